package io.dagctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C during {@code dagctl trigger}, sent to a real dagctl process. */
@Timeout(180)
class TriggerStopTest {
    private static final String SLOW_PAIR = """
            package com.example;

            import io.dagctl.*;
            import java.nio.file.*;

            @Dag(id = "slow_pair")
            public class SlowPair {
                @Task
                public String first() throws Exception {
                    Files.writeString(Path.of(System.getenv("DAGCTL_HOME"), "first-started"), "");
                    Thread.sleep(3000);
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

    @Test
    void ctrlCLetsTheRunningTryEndStartsNothingMoreAndSaysHowToResume() throws Exception {
        Path dags = CompiledDags.compile(temp, "SlowPair", SLOW_PAIR);
        Path home = Files.createDirectories(temp.resolve("home"));
        Path output = temp.resolve("trigger.out");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--dags-path", dags.toString(),
                "trigger", "slow_pair", "--run-id", "r")
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(Map.of("DAGCTL_HOME", home.toString(), "DAGCTL_PARALLELISM", "2"));
        Process trigger = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(home.resolve("first-started")) && System.nanoTime() < deadline && trigger.isAlive()) {
            Thread.sleep(50);
        }
        assertThat(home.resolve("first-started")).as(read(output)).exists();

        Process ctrlC = new ProcessBuilder("kill", "-INT", String.valueOf(trigger.pid())).start();
        assertThat(ctrlC.waitFor()).isZero();

        assertThat(trigger.waitFor(60, TimeUnit.SECONDS)).as(read(output)).isTrue();
        String printed = read(output);
        assertThat(trigger.exitValue()).as(printed).isEqualTo(130);
        assertThat(printed).contains("dagctl: stopping: no more tasks start; waiting for the running tries to end"
                        + " (kill -9 leaves them to dagctl resume, which counts them as failed tries)\n")
                .contains("  first                            success         try 1/1 in ")
                .contains("""

                        run r of DAG slow_pair: running
                          first returned "first done"
                        """)
                .endsWith("run r stopped before its end; resume it with: dagctl resume r\n")
                .contains("  second                           scheduled\n")
                .doesNotContain("second                           running")
                .doesNotContain("Exception").doesNotContain("closed");

        CliRunner dagctl = new CliRunner(home).with("DAGCTL_DAGS_PATH", dags.toString());
        CliRunner.Result resume = dagctl.run("resume", "r");
        assertThat(resume.exitCode()).as(resume.toString()).isZero();
        assertThat(dagctl.run("xcom", "r", "second").out()).isEqualTo("\"first done, then second\"\n");
        assertThat(dagctl.run("status", "r").plainOut()).contains("first   success  1/1").contains("second  success  1/1");
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }
}
