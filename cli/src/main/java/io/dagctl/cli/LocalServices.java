package io.dagctl.cli;

import io.dagctl.ConnectionUri;
import io.dagctl.Connections;
import io.dagctl.dags.demo.DemoData;
import io.dagctl.embedded.LocalPostgres;
import io.dagctl.embedded.LocalS3;
import io.dagctl.embedded.kafka.LocalKafka;
import io.dagctl.hooks.postgres.PostgresHook;
import io.dagctl.hooks.s3.S3HookFactory;
import io.dagctl.ops.Operations.ConnectionSummary;
import io.dagctl.spec.DagSpec;
import io.dagctl.synthetics.service.LocalSyntheticsService;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Real local services for the connections a user has not configured, so that a first run needs no set-up:
 * PostgreSQL from Maven-packaged binaries (seeded with the demo data on first use), an S3-compatible server on the
 * local filesystem, a single-node Kafka broker, the local synthetic-data service, and a Slack outbox file. Each is started on first use, says
 * so on stderr, and keeps its data under the dagctl home.
 */
final class LocalServices implements Connections, AutoCloseable {
    /** The connections the bundled DAGs use, all served by the one local PostgreSQL. */
    static final Set<String> POSTGRES_CONNECTIONS = Set.of("postgres_default", "booking_db", "bike_db");
    static final String S3_CONNECTION = "s3_default";
    static final String KAFKA_CONNECTION = "kafka_default";
    static final String SYNTHETICS_CONNECTION = "synthetics_default";
    static final String SLACK_CONNECTION = "slack_default";
    static final String HTTP_CONNECTION = "http_default";
    /** The default bucket of the local S3 connection. */
    static final String BUCKET = "dagctl";

    private final Path home;
    private final Supplier<PrintWriter> notices;
    private LocalPostgres postgres;
    private LocalS3 s3;
    private LocalKafka kafka;
    private LocalSyntheticsService synthetics;
    private String syntheticsApiKey;
    private ConnectionUri slackOutbox;

    LocalServices(Path home, Supplier<PrintWriter> notices) {
        this.home = home;
        this.notices = notices;
    }

    @Override
    public synchronized Optional<ConnectionUri> find(String id) {
        if (POSTGRES_CONNECTIONS.contains(id)) {
            return Optional.of(ConnectionUri.parse(id, postgres().connectionUri()));
        }
        return switch (id) {
            case S3_CONNECTION -> Optional.of(ConnectionUri.parse(id, s3().connectionUri(BUCKET)));
            case KAFKA_CONNECTION -> Optional.of(ConnectionUri.parse(id, kafka().connectionUri()));
            case SYNTHETICS_CONNECTION -> Optional.of(ConnectionUri.parse(id,
                    synthetics().baseUri() + "?api_key=" + syntheticsApiKey));
            case SLACK_CONNECTION -> Optional.of(slackOutbox(id));
            // Like Airflow's http_default: no credentials, so absolute URLs (a DAG's dataUrl) work as they are.
            case HTTP_CONNECTION -> Optional.of(ConnectionUri.parse(id, "http://localhost/"));
            default -> Optional.empty();
        };
    }

    /**
     * The connections served here, as a face lists them for ids the user has not configured: host and port once
     * the service has started, nothing is started to list them.
     */
    synchronized List<ConnectionSummary> defaults() {
        List<ConnectionSummary> defaults = new ArrayList<>();
        for (String id : POSTGRES_CONNECTIONS.stream().sorted().toList()) {
            defaults.add(embedded(id, "postgresql", postgres == null ? null : postgres.connectionUri(),
                    "embedded PostgreSQL, data in " + home.resolve("postgres")));
        }
        defaults.add(embedded(S3_CONNECTION, "s3", s3 == null ? null : s3.connectionUri(BUCKET),
                "embedded S3-compatible server, bucket " + BUCKET + " in " + home.resolve("s3")));
        defaults.add(embedded(KAFKA_CONNECTION, "kafka", kafka == null ? null : kafka.connectionUri(),
                "embedded Kafka broker, log in " + home.resolve("kafka")));
        defaults.add(embedded(SYNTHETICS_CONNECTION, "http", synthetics == null ? null
                : synthetics.baseUri().toString(), "local synthetic-data service, models in "
                + home.resolve("synthetics")));
        defaults.add(new ConnectionSummary(SLACK_CONNECTION, "file", Optional.empty(), Optional.empty(),
                "messages appended to " + home.resolve("outbox").resolve("slack.jsonl")));
        defaults.add(new ConnectionSummary(HTTP_CONNECTION, "http", Optional.of("localhost"), Optional.empty(),
                "no base URL, no credentials"));
        return defaults;
    }

    private static ConnectionSummary embedded(String id, String type, String startedAt, String description) {
        return startedAt == null
                ? new ConnectionSummary(id, type, Optional.empty(), Optional.empty(), description
                        + " (started on first use)")
                : ConnectionSummary.of(ConnectionUri.parse(id, startedAt), description);
    }

    /** The local PostgreSQL, started and (on first use) seeded with the demo data. */
    synchronized LocalPostgres postgres() {
        if (postgres == null) {
            Path directory = home.resolve("postgres");
            try {
                postgres = LocalPostgres.start(directory);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            notice("PostgreSQL", "127.0.0.1:" + postgres.port() + ", data in " + directory,
                    POSTGRES_CONNECTIONS.stream().sorted().toList().toString());
            PostgresHook hook = new PostgresHook(ConnectionUri.parse("postgres_default", postgres.connectionUri()));
            if (!hasDemoTables(hook)) {
                DemoData.Summary seeded = DemoData.seed(hook, DemoData.DEFAULT_USERS, DemoData.DEFAULT_SEED);
                notices.get().println("dagctl: seeded the demo data: " + seeded.users() + " users, "
                        + seeded.sessions() + " sessions, " + seeded.referenceDays() + " reference days of bike rides");
            }
        }
        return postgres;
    }

    private static boolean hasDemoTables(PostgresHook hook) {
        return hook.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT to_regclass('public.users') IS NOT NULL AND to_regclass('public.reference') IS NOT NULL")
                .mapTo(Boolean.class).one());
    }

    private synchronized LocalS3 s3() {
        if (s3 == null) {
            Path directory = home.resolve("s3");
            s3 = LocalS3.start(directory);
            s3.createBucket(BUCKET);
            notice("S3-compatible server", s3.endpoint() + ", objects of bucket " + BUCKET + " in "
                    + s3.bucketDirectory(BUCKET).orElseThrow(), "[" + S3_CONNECTION + "]");
        }
        return s3;
    }

    /**
     * Creates in the embedded S3, as its default bucket is, each bucket that a DAG's object trigger watches through it
     * ({@code configured} does not name the trigger's connection): on a fresh home the bundled ingest_bike_drops
     * finds {@code bike-drops} there, empty, instead of failing every listing.
     */
    synchronized void createWatchedBuckets(List<DagSpec> dags, Connections configured) {
        for (DagSpec dag : dags) {
            dag.triggers().newObjects()
                    .filter(trigger -> trigger.connectionId().orElse(S3HookFactory.DEFAULT_CONNECTION_ID)
                            .equals(S3_CONNECTION) && configured.find(S3_CONNECTION).isEmpty())
                    .ifPresent(trigger -> s3().createBucket(trigger.bucket()));
        }
    }

    private LocalKafka kafka() {
        if (kafka == null) {
            Path directory = home.resolve("kafka");
            kafka = LocalKafka.start(directory);
            notice("Kafka broker", kafka.bootstrapServers() + ", log in " + directory, "[" + KAFKA_CONNECTION + "]");
        }
        return kafka;
    }

    private LocalSyntheticsService synthetics() {
        if (synthetics == null) {
            byte[] key = new byte[24];
            new SecureRandom().nextBytes(key);
            syntheticsApiKey = HexFormat.of().formatHex(key);
            Path directory = home.resolve("synthetics");
            synthetics = LocalSyntheticsService.start(0, directory, Optional.of(syntheticsApiKey));
            notice("synthetic-data service", synthetics.baseUri() + ", models in " + directory,
                    "[" + SYNTHETICS_CONNECTION + "]");
        }
        return synthetics;
    }

    /** The Slack outbox file, said once however many tasks look the connection up. */
    private ConnectionUri slackOutbox(String id) {
        if (slackOutbox == null) {
            Path outbox = home.resolve("outbox").resolve("slack.jsonl").toAbsolutePath();
            try {
                Files.createDirectories(outbox.getParent());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            notices.get().println("dagctl: " + Connections.variableFor(id) + " is not set: Slack messages go to "
                    + outbox);
            slackOutbox = ConnectionUri.parse(id, outbox.toUri().toString());
        }
        return slackOutbox;
    }

    private void notice(String service, String where, String connections) {
        notices.get().println("dagctl: using the embedded " + service + " at " + where + " for connections "
                + connections + " (set DAGCTL_CONN_<ID> to use your own)");
    }

    @Override
    public synchronized void close() {
        if (synthetics != null) {
            synthetics.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }
}
