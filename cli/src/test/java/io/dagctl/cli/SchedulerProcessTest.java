package io.dagctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.ConnectionUri;
import io.dagctl.dags.demo.DemoData;
import io.dagctl.embedded.testing.SharedLocalS3;
import io.dagctl.embedded.testing.SharedPostgres;
import io.dagctl.hooks.postgres.PostgresHook;
import io.dagctl.hooks.s3.S3Hook;
import io.dagctl.hooks.s3.S3HookFactory;
import io.dagctl.hooks.s3.S3Key;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dagctl scheduler} as a process: it lists the watched prefix in local S3 through the S3 hook, runs
 * ingest_bike_drops for a dropped file against embedded PostgreSQL, and stops cleanly on SIGTERM.
 */
class SchedulerProcessTest {
    @TempDir
    Path home;

    @Test
    void theSchedulerIngestsADroppedFileAndStopsCleanlyOnSigterm() throws Exception {
        String database = SharedPostgres.freshDatabase("scheduler");
        PostgresHook bikes = new PostgresHook(ConnectionUri.parse("bike_db", database));
        DemoData.seedBikes(bikes);
        String s3Uri = SharedLocalS3.connectionUri("scheduler-runs");
        String key = "incoming/process-" + System.nanoTime() + ".csv";
        try (S3Hook s3 = new S3HookFactory().create(ConnectionUri.parse("s3_default", s3Uri))) {
            s3.createBucketIfMissing("bike-drops");
            byte[] csv;
            try (InputStream in = DemoData.openBikeRides()) {
                List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
                csv = (String.join("\n", lines.subList(0, 8)) + "\n").getBytes(StandardCharsets.UTF_8);
            }
            s3.upload(new S3Key("bike-drops", key), out -> out.write(csv));
        }

        Path output = home.resolve("scheduler.out");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "scheduler", "--every", "PT0.2S")
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(Map.of("DAGCTL_HOME", home.toString(), "DAGCTL_PARALLELISM", "2",
                "DAGCTL_CONN_S3_DEFAULT", s3Uri, "DAGCTL_CONN_BIKE_DB", database));
        Process scheduler = builder.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (loadedRows(bikes, key) == 0 && System.nanoTime() < deadline && scheduler.isAlive()) {
                Thread.sleep(200);
            }
            assertThat(loadedRows(bikes, key)).as(read(output)).isEqualTo(7);
        } finally {
            scheduler.destroy(); // SIGTERM
        }
        assertThat(scheduler.waitFor(60, TimeUnit.SECONDS)).as(read(output)).isTrue();
        assertThat(scheduler.exitValue()).as(read(output)).isEqualTo(ExitCodes.OK);
        assertThat(read(output)).contains("scheduler started: 9 DAG(s), 0 interrupted run(s) resumed")
                .contains("scheduler stopped");
        CliRunner.Result runs = new CliRunner(home).run("runs", "ingest_bike_drops");
        assertThat(runs.out()).contains("success").doesNotContain("running").doesNotContain("queued");
    }

    private static long loadedRows(PostgresHook bikes, String key) {
        return bikes.inTransaction(handle -> {
            boolean exists = handle.createQuery("SELECT to_regclass('ingested_rides') IS NOT NULL")
                    .mapTo(Boolean.class).one();
            return exists ? handle.createQuery("SELECT COUNT(*) FROM ingested_rides WHERE source_file = :source")
                    .bind("source", "s3://bike-drops/" + key).mapTo(Long.class).one() : 0L;
        });
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }
}
