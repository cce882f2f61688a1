package io.dagctl.dags;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.ConnectionUri;
import io.dagctl.Connections;
import io.dagctl.RunState;
import io.dagctl.dags.demo.DemoData;
import io.dagctl.embedded.testing.SharedLocalS3;
import io.dagctl.embedded.testing.SharedPostgres;
import io.dagctl.hooks.postgres.PostgresHook;
import io.dagctl.hooks.postgres.PostgresHookModule;
import io.dagctl.hooks.s3.S3Hook;
import io.dagctl.hooks.s3.S3HookFactory;
import io.dagctl.hooks.s3.S3HookModule;
import io.dagctl.hooks.s3.S3Key;
import io.dagctl.internal.discovery.DagDiscovery;
import io.dagctl.internal.runtime.DagRuntime;
import io.dagctl.internal.schedule.ObjectSource;
import io.dagctl.internal.schedule.Scheduler;
import io.dagctl.internal.schedule.SchedulerStore;
import io.dagctl.internal.store.DagRun;
import io.dagctl.internal.store.MetadataStore;
import io.dagctl.internal.store.StoreLocation;
import io.dagctl.spec.DagSpec;
import io.dagctl.testkit.MutableClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ingest_bike_drops under the scheduler: CSVs dropped in local S3 are loaded into embedded PostgreSQL once each,
 * whether the scheduler restarts or two of them share the database, and a rewritten file replaces its rows.
 */
class IngestBikeDropsTest {
    @TempDir
    Path home;
    final MutableClock clock = new MutableClock(Instant.now().minusSeconds(60));
    PostgresHook bikes;
    S3Hook s3;
    MetadataStore metadata;
    SchedulerStore schedulerStore;
    DagRuntime runtime;
    DagRuntime otherRuntime;
    String bucketUri;

    @BeforeEach
    void start() {
        String database = SharedPostgres.freshDatabase("drops");
        bikes = new PostgresHook(ConnectionUri.parse("bike_db", database));
        DemoData.seedBikes(bikes);
        bucketUri = SharedLocalS3.connectionUri("drop-runs");
        s3 = new S3HookFactory().create(ConnectionUri.parse("s3_default", bucketUri));
        s3.createBucketIfMissing(IngestBikeDrops.BUCKET);
        s3.list(IngestBikeDrops.BUCKET, "").forEach(s3::delete);
        Connections connections = TestServices.connections(Map.of("bike_db", database, "s3_default", bucketUri));
        metadata = MetadataStore.open(StoreLocation.h2InMemory("drops-" + UUID.randomUUID()));
        schedulerStore = SchedulerStore.open(metadata.location());
        runtime = runtime(connections);
        otherRuntime = runtime(connections);
    }

    private DagRuntime runtime(Connections connections) {
        return DagRuntime.builder().environment(Map.of()).home(home).store(metadata).parallelism(2)
                .modules(List.of(new PostgresHookModule(), new S3HookModule())).connections(connections).build();
    }

    @AfterEach
    void stop() {
        runtime.close();
        otherRuntime.close();
        schedulerStore.close();
        metadata.close();
        s3.close();
    }

    /** The scheduler's S3 listing, as the CLI wires it: through the S3 hook. */
    private ObjectSource listing() {
        return trigger -> s3.listObjects(trigger.bucket(), trigger.prefix()).stream()
                .map(o -> new ObjectSource.StoredObject(o.key().key(), o.eTag())).toList();
    }

    private Scheduler scheduler(DagRuntime on) {
        DagSpec dag = DagDiscovery.load(IngestBikeDrops.class);
        return new Scheduler(on, schedulerStore, List.of(dag), clock, listing(), false);
    }

    @Test
    void eachDroppedFileIsLoadedOnceAndARewrittenFileReplacesItsRows() {
        drop("incoming/2011-01-01.csv", 1, 11);
        drop("incoming/2011-01-11.csv", 11, 16);
        drop("elsewhere/ignored.csv", 16, 20);
        Scheduler one = scheduler(runtime);
        Scheduler two = scheduler(otherRuntime);
        one.tick();
        two.tick();
        awaitBoth(one, two);

        assertThat(runs()).hasSize(2).extracting(DagRun::state).containsOnly(RunState.SUCCESS);
        assertThat(rowsBySource()).isEqualTo(Map.of("s3://bike-drops/incoming/2011-01-01.csv", 10L,
                "s3://bike-drops/incoming/2011-01-11.csv", 5L));

        clock.advance(Duration.ofMinutes(1));
        Scheduler restarted = scheduler(runtime);
        restarted.tick();
        restarted.awaitInFlight(Duration.ofMinutes(1));
        assertThat(runs()).hasSize(2);

        drop("incoming/2011-01-01.csv", 1, 4);
        clock.advance(Duration.ofMinutes(1));
        restarted.tick();
        restarted.awaitInFlight(Duration.ofMinutes(1));
        assertThat(runs()).hasSize(3).extracting(DagRun::state).containsOnly(RunState.SUCCESS);
        assertThat(rowsBySource()).isEqualTo(Map.of("s3://bike-drops/incoming/2011-01-01.csv", 3L,
                "s3://bike-drops/incoming/2011-01-11.csv", 5L));
    }

    @Test
    void aBadFileFailsItsRunAndLoadsNothing() {
        s3.upload(new S3Key(IngestBikeDrops.BUCKET, "incoming/bad.csv"),
                out -> out.write("instant,dteday\n1,2011-01-01\n".getBytes(StandardCharsets.UTF_8)));
        Scheduler scheduler = scheduler(runtime);
        scheduler.tick();
        scheduler.awaitInFlight(Duration.ofMinutes(1));
        assertThat(runs()).singleElement().extracting(DagRun::state).isEqualTo(RunState.FAILED);
        assertThat(runtime.taskInstances("ingest_bike_drops", runs().get(0).runId()).stream()
                .filter(t -> t.taskId().equals("check_file")).findFirst().orElseThrow().error())
                .hasValueSatisfying(e -> assertThat(e).contains("s3://bike-drops/incoming/bad.csv"));
    }

    private void awaitBoth(Scheduler one, Scheduler two) {
        assertThat(one.awaitInFlight(Duration.ofMinutes(1))).isTrue();
        assertThat(two.awaitInFlight(Duration.ofMinutes(1))).isTrue();
    }

    private List<DagRun> runs() {
        return runtime.runs(Optional.of("ingest_bike_drops"), 100);
    }

    private Map<String, Long> rowsBySource() {
        return bikes.inTransaction(handle -> handle.createQuery("SELECT source_file, COUNT(*) AS n FROM ingested_rides"
                        + " GROUP BY source_file")
                .reduceRows(new java.util.HashMap<String, Long>(), (map, row) -> {
                    map.put(row.getColumn("source_file", String.class), row.getColumn("n", Long.class));
                    return map;
                }));
    }

    /** Lines {@code from} to {@code to} (exclusive) of the bundled CSV, under the header, as an object. */
    private void drop(String key, int from, int to) {
        String csv;
        try (InputStream in = DemoData.openBikeRides()) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            csv = lines.get(0) + "\n" + String.join("\n", lines.subList(from, to)) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        s3.upload(new S3Key(IngestBikeDrops.BUCKET, key), out -> out.write(csv.getBytes(StandardCharsets.UTF_8)));
    }
}
