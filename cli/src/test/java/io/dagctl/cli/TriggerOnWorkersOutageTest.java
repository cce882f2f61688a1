package io.dagctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.embedded.LocalPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dagctl trigger} with {@code DAGCTL_EXECUTOR=workers}, following a run that a {@code dagctl worker} executes,
 * while the PostgreSQL metadata database is stopped mid-run: both stay up, say once that the database is gone and
 * once that it is back, and the trigger prints the run's end and exits 0.
 */
@Timeout(180)
class TriggerOnWorkersOutageTest {
    private static final String HELD_PAIR = """
            package com.example;

            import io.dagctl.*;
            import java.nio.file.*;

            @Dag(id = "held_pair")
            public class HeldPair {
                @Task
                public String first() throws Exception {
                    Path home = Path.of(System.getenv("DAGCTL_HOME"));
                    Files.writeString(home.resolve("first-started"), "");
                    while (!Files.exists(home.resolve("release"))) {
                        Thread.sleep(20);
                    }
                    return "first done";
                }

                @Task
                public String second(@From("first") String before) {
                    return before + ", then second";
                }
            }
            """;

    @TempDir
    Path temp;
    LocalPostgres postgres;
    Process worker;
    Process trigger;

    @AfterEach
    void stop() throws InterruptedException {
        for (Process process : new Process[] {trigger, worker}) {
            if (process != null) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void triggerFollowsARunOnWorkersThroughADatabaseOutageAndPrintsItsEnd() throws Exception {
        Path dags = CompiledDags.compile(temp, "HeldPair", HELD_PAIR);
        Path home = Files.createDirectories(temp.resolve("home"));
        postgres = LocalPostgres.startEphemeral();
        Map<String, String> environment = Map.of("DAGCTL_HOME", home.toString(), "DAGCTL_PARALLELISM", "2",
                "DAGCTL_DB_URL", postgres.createDatabase("trigger_outage"), "DAGCTL_EXECUTOR", "workers",
                "DAGCTL_DAGS_PATH", dags.toString(), "DAGCTL_LOAD_EXAMPLES", "false");
        Path workerOutput = temp.resolve("worker.out");
        Path triggerOutput = temp.resolve("trigger.out");
        worker = dagctl(environment, workerOutput, "worker");
        trigger = dagctl(environment, triggerOutput, "trigger", "held_pair", "--run-id", "r");
        awaitFile(home.resolve("first-started"), triggerOutput);

        postgres.stopServer();
        awaitLine(triggerOutput, "Following run r lost the metadata database");
        awaitLine(workerOutput, "lost the metadata database");
        Files.writeString(home.resolve("release"), "");
        postgres.startAgain();

        assertThat(trigger.waitFor(90, TimeUnit.SECONDS)).as(read(triggerOutput)).isTrue();
        String printed = read(triggerOutput);
        assertThat(trigger.exitValue()).as(printed).isZero();
        assertThat(printed).contains("created run r of DAG held_pair")
                .containsPattern("Following run r lost the metadata database \\(.+\\); trying again every")
                .containsPattern("Following run r reached the metadata database again after [0-9.]+ s")
                .contains("run r of DAG held_pair: success")
                .contains("second returned \"first done, then second\"")
                .doesNotContain("Exception");
        assertThat(worker.isAlive()).as(read(workerOutput)).isTrue();
        assertThat(read(workerOutput)).containsPattern("reached the metadata database again after [0-9.]+ s");
    }

    /** A dagctl process logging as a user's does, through the CLI's own Logback configuration. */
    private static Process dagctl(Map<String, String> environment, Path output, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        return builder.start();
    }

    private static void awaitFile(Path file, Path output) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!Files.exists(file) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(file).as(read(output)).exists();
    }

    private static void awaitLine(Path output, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!read(output).contains(text) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(read(output)).contains(text);
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }
}
