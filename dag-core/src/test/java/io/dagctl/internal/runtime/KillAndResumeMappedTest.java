package io.dagctl.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.RunState;
import io.dagctl.TaskState;
import io.dagctl.internal.store.TaskInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills (SIGKILL) a child JVM in the middle of a mapped task's instances, then resumes the run here: the instances
 * that had succeeded keep their values and do not run again, the others run once more, and the downstream task
 * receives every value in index order.
 */
class KillAndResumeMappedTest {
    @TempDir
    Path home;

    @Test
    void resumesAMappedRunKeepingTheInstancesThatSucceededBeforeTheKill() throws Exception {
        Path effects = home.resolve("effects.txt");
        Map<String, TaskState> atKill = killOnceTwoInstancesAreDone(effects);

        List<String> succeeded = atKill.entrySet().stream().filter(e -> e.getValue() == TaskState.SUCCESS)
                .map(Map.Entry::getKey).filter(label -> label.startsWith("work[")).sorted().toList();
        assertThat(succeeded).as("instances committed before the kill").isNotEmpty();
        assertThat(atKill).as("every instance exists: the expansion was committed")
                .containsKeys(IntStream.range(0, CrashingMappedRun.ITEMS).mapToObj(i -> "work[" + i + "]")
                        .toArray(String[]::new))
                .doesNotContainKey("work");
        List<String> interrupted = atKill.entrySet().stream().filter(e -> e.getValue() == TaskState.RUNNING)
                .map(Map.Entry::getKey).toList();
        assertThat(interrupted).as("instances running at the kill").isNotEmpty();
        List<String> before = lines(effects);

        CrashingMappedRun.Pipeline.sideEffects = effects;
        try (DagRuntime runtime = CrashingMappedRun.runtime(home)) {
            RunResult result = runtime.resume("crashing_mapped", CrashingMappedRun.RUN_ID);
            assertThat(result.state()).isEqualTo(RunState.SUCCESS);
            assertThat(result.tasks()).filteredOn(t -> interrupted.contains(t.label()))
                    .allSatisfy(t -> assertThat(t.tryNumber()).as("%s retried after its interrupted try", t.label())
                            .isEqualTo(2));
            assertThat(result.tasks()).filteredOn(t -> succeeded.contains(t.label()))
                    .allSatisfy(t -> assertThat(t.tryNumber()).isEqualTo(1));
        }

        List<String> added = lines(effects).subList(before.size(), lines(effects).size());
        for (int i = 0; i < CrashingMappedRun.ITEMS; i++) {
            String label = "work[" + i + "]";
            if (succeeded.contains(label)) {
                assertThat(added).as("%s succeeded before the kill", label).doesNotContain("start " + label);
            } else {
                assertThat(added).as("%s had not succeeded before the kill", label).containsOnlyOnce("done " + label);
            }
        }
        assertThat(added).last().isEqualTo("total [0, 10, 20, 30, 40, 50]");
    }

    /** Starts the child JVM, kills it once two instances' bodies are done, and returns the states it left. */
    private Map<String, TaskState> killOnceTwoInstancesAreDone(Path effects) throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CrashingMappedRun.class.getName(), home.toString(),
                effects.toString())
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("child.out").toFile())
                .start();
        Instant deadline = Instant.now().plusSeconds(60);
        // Two tries run at once: when a third starts, the success of one of the first two is committed.
        while (lines(effects).stream().filter(line -> line.startsWith("start work[")).count() < 3) {
            assertThat(child.isAlive()).as("the child JVM ended before the kill point; see %s",
                    home.resolve("child.out")).isTrue();
            assertThat(Instant.now()).as("kill point reached in time").isBefore(deadline);
            Thread.sleep(5);
        }
        child.destroyForcibly();
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        try (DagRuntime reader = CrashingMappedRun.runtime(home)) {
            return reader.taskInstances("crashing_mapped", CrashingMappedRun.RUN_ID).stream()
                    .collect(Collectors.toMap(TaskInstance::label, TaskInstance::state));
        }
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }
}
