package io.dagctl.internal.logging;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.internal.logging.TaskLogs.TryLog;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class TaskLogsTest {
    private static final Logger TASK = LoggerFactory.getLogger(TaskLogs.TASK_LOGGER_PREFIX + "test");

    @TempDir
    Path root;

    @Test
    void opensATrysFileWhenTheTryStartsSoThatALogThatCannotBeWrittenFailsTheTryAtOnce() {
        TaskLogs logs = new TaskLogs(root);
        try (TryLog log = logs.open("quiet", "manual__1", "nothing", 1)) {
            assertThat(log.path())
                    .isEqualTo(root.resolve("dag_id=quiet/run_id=manual__1/task_id=nothing/attempt=1.log"))
                    .isEmptyFile();
        }
    }

    @Test
    void opensALaterTryOfATaskWhoseDirectoryWasRemovedSinceItsFirstTry() throws Exception {
        TaskLogs.RunLogs run = new TaskLogs(root).ofRun("flaky", "manual__1");
        Path first;
        try (TryLog log = run.open("fetch", 1)) {
            first = log.path();
        }
        java.nio.file.Files.delete(first);
        java.nio.file.Files.delete(first.getParent());

        try (TryLog log = run.open("fetch", 2)) {
            assertThat(log.path())
                    .isEqualTo(root.resolve("dag_id=flaky/run_id=manual__1/task_id=fetch/attempt=2.log"))
                    .isEmptyFile();
        }
    }

    @Test
    void keepsATrysLinesInMemoryUntilFlushedAndWritesThemAllThen() {
        TaskLogs logs = new TaskLogs(root);
        try (TryLog log = logs.open("talk", "manual__1", "say", 2)) {
            log.during(() -> {
                TASK.info("one");
                TASK.warn("two");
            });
            assertThat(log.path()).isEmptyFile();

            log.flush();

            assertThat(log.path()).content().contains("INFO", "one", "WARN", "two");
        }
    }

    @Test
    void writesWhatIsLeftWhenClosed() {
        TaskLogs logs = new TaskLogs(root);
        TryLog log = logs.open("talk", "manual__1", "bye", 1);
        log.during(() -> TASK.info("last words"));

        log.close();

        assertThat(log.path()).content().contains("last words");
    }
}
