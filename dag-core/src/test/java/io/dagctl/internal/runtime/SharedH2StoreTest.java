package io.dagctl.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.RunState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several processes on one machine share the default H2 store of a dagctl home, as {@code dagctl trigger} next to a
 * scheduler does: commands started at the same instant all work, also on a home whose database does not exist yet,
 * and after one of them is killed with {@code kill -9}.
 */
class SharedH2StoreTest {
    @TempDir
    Path home;

    @Test
    void runsStartedAtTheSameInstantInThreeProcessesAllSucceed() throws Exception {
        for (int round = 0; round < 3; round++) {
            Path roundHome = Files.createDirectories(home.resolve("round-" + round));
            List<Process> processes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                processes.add(start(roundHome, "run_" + i));
            }
            for (int i = 0; i < processes.size(); i++) {
                Process process = processes.get(i);
                assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();
                assertThat(process.exitValue()).as("round %d, process %d: %s", round, i,
                        Files.readString(roundHome.resolve("run_" + i + ".out"))).isZero();
            }
            try (DagRuntime reader = CrashingRun.runtime(roundHome, false)) {
                for (int i = 0; i < 3; i++) {
                    assertThat(reader.findRun("crashing", "run_" + i).orElseThrow().state()).isEqualTo(RunState.SUCCESS);
                }
            }
        }
    }

    @Test
    void aCommandRightAfterAKillNineWorks() throws Exception {
        Process killed = start(home, "killed");
        while (!Files.exists(home.resolve("killed.effects")) || Files.readString(home.resolve("killed.effects")).isEmpty()) {
            assertThat(killed.isAlive()).isTrue();
            Thread.sleep(5);
        }
        killed.destroyForcibly();
        assertThat(killed.waitFor(10, TimeUnit.SECONDS)).isTrue();

        Process next = start(home, "next");

        assertThat(next.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(next.exitValue()).as(Files.readString(home.resolve("next.out"))).isZero();
    }

    private static Process start(Path home, String runId) throws Exception {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CrashingRun.class.getName(), home.toString(),
                home.resolve(runId + ".effects").toString(), runId)
                .redirectErrorStream(true)
                .redirectOutput(home.resolve(runId + ".out").toFile())
                .start();
    }
}
