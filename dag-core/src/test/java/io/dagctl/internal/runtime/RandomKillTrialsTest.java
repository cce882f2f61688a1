package io.dagctl.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.RunState;
import io.dagctl.TaskState;
import io.dagctl.internal.store.TaskInstance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Twenty {@code kill -9} of a single-process run on H2, each at a random point (after a random number of side effects
 * and a random pause), each followed by a resume: every run ends successfully, no task that had succeeded runs
 * again, and a body runs twice only when the kill caught it in flight. Set {@code -Dfault.seed=N} to replay trials.
 */
@Timeout(600)
class RandomKillTrialsTest {
    private static final int TRIALS = 20;
    private static final List<String> TASKS = List.of("extract", "left", "right", "merge", "publish");

    @TempDir
    Path home;

    @Test
    void twentyKillsAtRandomPointsLoseNothingAndRerunNoSucceededTask() throws Exception {
        long seed = Long.getLong("fault.seed", System.nanoTime());
        Random random = new Random(seed);
        int kills = 0;
        int lost = 0;
        int duplicated = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            Path trialHome = Files.createDirectories(home.resolve("trial-" + trial));
            Path effects = trialHome.resolve("effects.txt");
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), CrashingRun.class.getName(), trialHome.toString(),
                    effects.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(trialHome.resolve("child.out").toFile())
                    .start();
            // Ten lines in all (start and done of five tasks): kill after 0 to 9 of them, and up to 400 ms more.
            int linesBeforeKill = random.nextInt(10);
            Instant deadline = Instant.now().plusSeconds(90);
            while (lines(effects).size() < linesBeforeKill && child.isAlive()) {
                assertThat(Instant.now()).as("trial %d (seed %d) reached its kill point in time", trial, seed)
                        .isBefore(deadline);
                Thread.sleep(2);
            }
            Thread.sleep(random.nextInt(400));
            if (child.isAlive()) {
                kills++;
            }
            child.destroyForcibly();
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();

            List<String> before = lines(effects);
            CrashingRun.Pipeline.sideEffects = effects;
            try (DagRuntime runtime = CrashingRun.runtime(trialHome, false)) {
                Map<String, TaskState> atKill = runtime.taskInstances("crashing", CrashingRun.RUN_ID).stream()
                        .collect(Collectors.toMap(TaskInstance::taskId, TaskInstance::state));
                if (atKill.isEmpty()) {
                    // Killed before the run was committed: nothing ran, nothing to resume.
                    assertThat(before).as("trial %d: no body before the run exists", trial).isEmpty();
                    continue;
                }
                RunState atKillRun = runtime.findRun("crashing", CrashingRun.RUN_ID).orElseThrow().state();
                RunState end = atKillRun.isFinished() ? atKillRun
                        : runtime.resume("crashing", CrashingRun.RUN_ID).state();
                List<String> after = lines(effects);
                for (String task : TASKS) {
                    int done = Collections.frequency(after, "done " + task);
                    int starts = Collections.frequency(after, "start " + task);
                    if (end != RunState.SUCCESS || done == 0) {
                        lost++;
                    }
                    boolean succeededBefore = atKill.get(task) == TaskState.SUCCESS;
                    if (succeededBefore && starts > 1 || starts > 2) {
                        duplicated++;
                    }
                }
            }
        }
        FaultSummary.row("kill -9 of a single-process run (H2), random points, seed " + seed, TRIALS, kills, lost,
                duplicated);
        assertThat(lost).as("task ends lost (seed %d)", seed).isZero();
        assertThat(duplicated).as("bodies run again after they had succeeded (seed %d)", seed).isZero();
    }

    private static List<String> lines(Path file) throws java.io.IOException {
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }
}
