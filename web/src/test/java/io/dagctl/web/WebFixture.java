package io.dagctl.web;

import io.dagctl.Connections;
import io.dagctl.internal.discovery.DagDiscovery;
import io.dagctl.internal.logging.TaskLogs;
import io.dagctl.internal.runtime.DagRuntime;
import io.dagctl.internal.store.MetadataStore;
import io.dagctl.internal.store.StoreLocation;
import io.dagctl.ops.IdPaths;
import io.dagctl.ops.ObjectReader;
import io.dagctl.ops.Operations;
import io.dagctl.spec.DagSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/** A webserver on a free port over a private in-memory store with {@link WebFixtureDag}. */
final class WebFixture implements AutoCloseable {
    final Path home;
    /** Where {@code s3://bucket/key} is {@code objects/bucket/key}. */
    final Path objects;
    final MetadataStore store;
    final DagRuntime runtime;
    final Operations operations;
    final WebServer server;

    WebFixture(WebSettings settings) {
        this(settings, List.of(DagDiscovery.load(WebFixtureDag.class), DagDiscovery.load(WebScheduledDag.class)),
                List.of(), Map.of());
    }

    /** Over {@code dags}, reporting {@code importErrors} and the connections {@code environment} configures. */
    WebFixture(WebSettings settings, List<DagSpec> dags, List<DagDiscovery.ImportError> importErrors,
            Map<String, String> environment) {
        try {
            home = Files.createTempDirectory("dagctl-web");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        store = MetadataStore.open(StoreLocation.h2InMemory("web-" + UUID.randomUUID()));
        runtime = DagRuntime.builder().environment(Map.of()).home(home).store(store).parallelism(4)
                .connections(Connections.of(Map.of())).dags(dags).build();
        objects = home.resolve("objects");
        // An object store on the filesystem: bucket and key segments as directories under objects/.
        ObjectReader files = (bucket, key, out) -> Files.copy(IdPaths.under(objects,
                Stream.concat(Stream.of(bucket), Stream.of(key.split("/"))).toArray(String[]::new)), out);
        operations = new Operations(() -> dags, () -> store, () -> runtime, TaskLogs.under(home), files, false)
                .withImportFailures(() -> importErrors)
                .withConnections(() -> Operations.ConnectionSummary.configured(environment));
        server = WebServer.start(operations, settings);
    }

    static WebSettings local() {
        return new WebSettings("127.0.0.1", 0, Map.of(), List.of(), java.util.Optional.empty());
    }

    /** The run of {@code web_fixture} with this id once it has ended, within 30 s. */
    Operations.Run awaitEnd(String runId) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            Operations.Run run = operations.findRun("web_fixture", runId);
            if (run.state().isFinished()) {
                return run;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("run " + runId + " did not end in 30 s");
    }

    URI url(String path) {
        return server.url().resolve(path);
    }

    @Override
    public void close() throws InterruptedException {
        server.stop(Duration.ZERO);
        runtime.close();
        store.close();
        try (Stream<Path> paths = Files.walk(home)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory harms nothing
        }
    }
}
