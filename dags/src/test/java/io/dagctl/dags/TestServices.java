package io.dagctl.dags;

import io.dagctl.ConnectionUri;
import io.dagctl.Connections;
import io.dagctl.spec.DagSpec;
import io.dagctl.spec.RetryPolicy;
import io.dagctl.spec.TaskSpec;
import io.dagctl.synthetics.service.LocalSyntheticsService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What the DAG tests share beyond the embedded PostgreSQL and S3 of {@code io.dagctl.embedded.testing}: one local
 * synthetic-data service per test JVM, connections made from URIs, and DAG specs without retry delays.
 */
final class TestServices {
    static final String SYNTHETICS_API_KEY = "dags-test-synthetics-key";

    private static LocalSyntheticsService synthetics;

    private TestServices() {
    }

    /** The local synthetic-data service, started on first use and stopped (its work directory deleted) at exit. */
    static synchronized LocalSyntheticsService synthetics() {
        if (synthetics == null) {
            Path workDir;
            try {
                workDir = Files.createTempDirectory("dagctl-dags-synthetics-");
            } catch (IOException e) {
                throw new UncheckedIOException("could not create a work directory for the synthetics service", e);
            }
            LocalSyntheticsService started = LocalSyntheticsService.start(0, workDir, Optional.of(SYNTHETICS_API_KEY));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                started.close();
                deleteTree(workDir);
            }, "synthetics-test-shutdown"));
            synthetics = started;
        }
        return synthetics;
    }

    /** {@code http://localhost:port?api_key=...}, the URI a {@code synthetics_default} connection holds. */
    static String syntheticsUri() {
        return synthetics().baseUri() + "?api_key=" + SYNTHETICS_API_KEY;
    }

    /** Connections parsed from {@code id -> URI} pairs, as {@code DAGCTL_CONN_<ID>} variables would give them. */
    static Connections connections(Map<String, String> uris) {
        Map<String, ConnectionUri> parsed = new LinkedHashMap<>();
        uris.forEach((id, uri) -> parsed.put(id, ConnectionUri.parse(id, uri)));
        return Connections.of(parsed);
    }

    /**
     * The DAG with every task tried once: a test of a failure asserts the error of the last try, and the real
     * retry delays (tens of seconds) would only make it slow. Retries themselves are the runtime's tests.
     */
    static DagSpec withoutRetries(DagSpec dag) {
        RetryPolicy once = new RetryPolicy(0, Duration.ZERO, false, Duration.ZERO);
        return new DagSpec(dag.id(), dag.dagClass(), dag.description(), dag.schedule(), dag.timezone(),
                dag.startDate(), dag.catchup(), dag.tags(), dag.params(), dag.maxActiveRuns(), once,
                dag.executionTimeout(), dag.onFailure(), dag.onSuccess(),
                dag.tasks().stream().map(t -> new TaskSpec(t.id(), t.method(), t.returnType(), t.arguments(),
                        t.upstream(), t.triggerRule(), t.kind(), once, t.executionTimeout(), t.onFailure(),
                        t.onSuccess())).toList());
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary directory is harmless at exit.
        }
    }
}
