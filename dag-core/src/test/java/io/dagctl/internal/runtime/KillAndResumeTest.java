package io.dagctl.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.RunState;
import io.dagctl.TaskState;
import io.dagctl.internal.store.TaskInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills (SIGKILL) a child JVM executing a run at several points, then resumes the run here: no task that
 * succeeded before the kill runs again, interrupted tries are retried, and the run ends successfully.
 */
class KillAndResumeTest {
    private static final List<String> TASKS = List.of("extract", "left", "right", "merge", "publish");

    @TempDir
    Path home;

    @Test
    void resumesARunKilledWhileTwoTasksAreRunning() throws Exception {
        Path effects = home.resolve("effects.txt");
        Map<String, TaskState> atKill = killWhen(effects, lines -> lines.contains("start left")
                && lines.contains("start right"));

        assertThat(atKill).containsEntry("extract", TaskState.SUCCESS)
                .containsEntry("left", TaskState.RUNNING).containsEntry("right", TaskState.RUNNING);
        resumeExplicitlyAndCheck(effects, atKill);
        assertThat(tries("left")).isEqualTo(2);
    }

    @Test
    void resumesARunKilledAsATaskFinishesWhenTheProcessStartsAgain() throws Exception {
        Path effects = home.resolve("effects.txt");
        // Before or after merge's success is committed: either way it must not be lost nor run a third time.
        Map<String, TaskState> atKill = killWhen(effects, lines -> lines.contains("done merge"));

        resumeOnOpenAndCheck(effects, atKill);
    }

    @Test
    void resumesARunKilledWhileItsLastTaskRuns() throws Exception {
        Path effects = home.resolve("effects.txt");
        Map<String, TaskState> atKill = killWhen(effects, lines -> lines.contains("start publish"));

        assertThat(atKill).containsEntry("merge", TaskState.SUCCESS).containsEntry("publish", TaskState.RUNNING);
        resumeOnOpenAndCheck(effects, atKill);
    }

    /** Starts the child JVM, kills it once the side effects match, and returns the task states it left. */
    private Map<String, TaskState> killWhen(Path effects, Predicate<List<String>> point) throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CrashingRun.class.getName(), home.toString(),
                effects.toString())
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("child.out").toFile())
                .start();
        Instant deadline = Instant.now().plusSeconds(60);
        while (!point.test(lines(effects))) {
            assertThat(child.isAlive()).as("the child JVM ended before the kill point; see %s",
                    home.resolve("child.out")).isTrue();
            assertThat(Instant.now()).as("kill point reached in time").isBefore(deadline);
            Thread.sleep(5);
        }
        child.destroyForcibly();
        assertThat(child.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        try (DagRuntime reader = CrashingRun.runtime(home, false)) {
            return reader.taskInstances("crashing", CrashingRun.RUN_ID).stream()
                    .collect(Collectors.toMap(TaskInstance::taskId, TaskInstance::state));
        }
    }

    private void resumeExplicitlyAndCheck(Path effects, Map<String, TaskState> atKill) throws IOException {
        CrashingRun.Pipeline.sideEffects = effects;
        List<String> before = lines(effects);
        try (DagRuntime runtime = CrashingRun.runtime(home, false)) {
            RunResult result = runtime.resume("crashing", CrashingRun.RUN_ID);
            assertThat(result.state()).isEqualTo(RunState.SUCCESS);
        }
        checkSideEffects(before, lines(effects), atKill);
    }

    private void resumeOnOpenAndCheck(Path effects, Map<String, TaskState> atKill) throws IOException {
        CrashingRun.Pipeline.sideEffects = effects;
        List<String> before = lines(effects);
        try (DagRuntime runtime = CrashingRun.runtime(home, true)) {
            assertThat(runtime.resumeInterrupted()).as("already resumed when the runtime opened").isEmpty();
            RunResult result = awaitEnd(runtime);
            assertThat(result.state()).isEqualTo(RunState.SUCCESS);
        }
        checkSideEffects(before, lines(effects), atKill);
    }

    private static RunResult awaitEnd(DagRuntime runtime) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            var run = runtime.findRun("crashing", CrashingRun.RUN_ID).orElseThrow();
            if (run.state().isFinished()) {
                return new RunResult(run, runtime.taskInstances("crashing", CrashingRun.RUN_ID));
            }
            sleep();
        }
        throw new AssertionError("the resumed run did not end within 30 s");
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Every task's body completed, tasks that had succeeded before the kill never ran again, and the others
     * completed once more only if the kill caught them between finishing and committing.
     */
    private static void checkSideEffects(List<String> before, List<String> after, Map<String, TaskState> atKill) {
        List<String> added = after.subList(before.size(), after.size());
        for (String task : TASKS) {
            if (atKill.get(task) == TaskState.SUCCESS) {
                assertThat(added).as("%s succeeded before the kill", task).doesNotContain("start " + task);
                assertThat(before).as("%s body ran once", task).containsOnlyOnce("done " + task);
            } else {
                assertThat(added).as("%s had not succeeded before the kill", task).containsOnlyOnce("done " + task);
            }
        }
    }

    private int tries(String taskId) {
        try (DagRuntime reader = CrashingRun.runtime(home, false)) {
            return reader.taskInstances("crashing", CrashingRun.RUN_ID).stream()
                    .filter(t -> t.taskId().equals(taskId)).findFirst().orElseThrow().tryNumber();
        }
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }
}
