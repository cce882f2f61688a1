package io.dagctl.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dagctl.Dag;
import io.dagctl.From;
import io.dagctl.RunState;
import io.dagctl.Task;
import io.dagctl.TaskState;
import io.dagctl.internal.logging.TaskLogs;
import io.dagctl.internal.logging.TaskLogs.TryLog;
import io.dagctl.internal.store.MetadataStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A run's task directories are made ahead of their tries, and a try makes its own file as it starts: a try whose
 * claim did not commit has none, and the directories of tasks that had no try are gone once the run ends.
 */
class ClaimedTryLogTest extends RuntimeFixture {
    static MetadataStore refusing;

    @Dag(id = "refused")
    static final class Refused {
        /** Makes the store refuse every claim of {@code second}, so that the turn claiming it fails to commit. */
        @Task
        int first() {
            refusing.withHandle(h -> h.execute("ALTER TABLE task_instance ADD CONSTRAINT second_never_runs"
                    + " CHECK (task_id <> 'second' OR state <> 'running')"));
            return 1;
        }

        @Task
        int second(@From("first") int value) {
            called("second");
            return value + 1;
        }
    }

    @Test
    void leavesNeitherFileNorDirectoryForATryWhoseClaimDidNotCommit() {
        refusing = store;

        assertThatThrownBy(() -> runtime.run(Specs.of(Refused.class, "first", "second"),
                RunRequest.manual().withRunId("r"))).hasStackTraceContaining("Check constraint violation: \"second_never_runs");

        assertThat(CALLS).isEmpty();
        assertThat(store.findTaskInstance("refused", "r", "second").orElseThrow().state()).isEqualTo(TaskState.NONE);
        assertThat(runtime.logPath("refused", "r", "first", 1)).content().contains("Task first succeeded");
        assertThat(runtime.logPath("refused", "r", "second", 1).getParent()).doesNotExist();
    }

    @Dag(id = "gated")
    static final class Gated {
        @Task(shortCircuit = true)
        boolean gate() {
            return false;
        }

        @Task(after = "gate")
        void skipped() {
            called("skipped");
        }

        @Task(after = "skipped")
        void alsoSkipped() {
            called("alsoSkipped");
        }
    }

    @Test
    void removesTheDirectoriesOfTasksThatHadNoTryWhenTheRunEnds() throws Exception {
        RunResult result = runtime.run(Specs.of(Gated.class, "gate", "skipped", "alsoSkipped"),
                RunRequest.manual().withRunId("r"));

        assertThat(result.state()).isEqualTo(RunState.SUCCESS);
        Path run = runtime.logPath("gated", "r", "gate", 1).getParent().getParent();
        try (Stream<Path> tasks = Files.list(run)) {
            assertThat(tasks.map(task -> task.getFileName().toString())).containsExactly("task_id=gate");
        }
    }

    @Test
    void makesTheTasksDirectoriesAheadAndRemovesOnlyThoseLeftEmpty() throws Exception {
        Path earlier;
        try (TryLog log = new TaskLogs(home).open("d", "r", "resumed", 1)) {
            earlier = log.path();
        }
        TaskLogs.RunLogs run = new TaskLogs(home).ofRun("d", "r");
        Path runDirectory = home.resolve("dag_id=d/run_id=r");

        run.makeDirectoriesAhead(List.of("ran", "resumed", "never"));

        assertThat(runDirectory.resolve("task_id=never")).isEmptyDirectory();
        try (TryLog log = run.open("ran", 1)) {
            assertThat(log.path()).isEqualTo(runDirectory.resolve("task_id=ran/attempt=1.log"));
        }
        run.removeUnusedDirectories();

        assertThat(runDirectory.resolve("task_id=never")).doesNotExist();
        assertThat(runDirectory.resolve("task_id=ran/attempt=1.log")).exists();
        assertThat(earlier).exists();
    }

    @Test
    void makesNoDirectoryAheadOnceTheRunEnded() {
        TaskLogs.RunLogs run = new TaskLogs(home).ofRun("d", "r");

        run.removeUnusedDirectories();
        run.makeDirectoriesAhead(List.of("late"));

        assertThat(home.resolve("dag_id=d")).doesNotExist();
    }
}
