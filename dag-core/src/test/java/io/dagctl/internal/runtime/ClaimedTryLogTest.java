package io.dagctl.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dagctl.Dag;
import io.dagctl.From;
import io.dagctl.Task;
import io.dagctl.TaskState;
import io.dagctl.internal.logging.TaskLogs;
import io.dagctl.internal.logging.TaskLogs.TryLog;
import io.dagctl.internal.store.MetadataStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The log file of a claimed try is opened while the claim commits; whatever the order, a try has its file once it
 * starts, and a try whose claim did not commit has none.
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
    void removesTheLogFileOfATryWhoseClaimDidNotCommit() {
        refusing = store;

        assertThatThrownBy(() -> runtime.run(Specs.of(Refused.class, "first", "second"),
                RunRequest.manual().withRunId("r"))).hasStackTraceContaining("Check constraint violation: \"second_never_runs");

        assertThat(CALLS).isEmpty();
        assertThat(store.findTaskInstance("refused", "r", "second").orElseThrow().state()).isEqualTo(TaskState.NONE);
        assertThat(runtime.logPath("refused", "r", "first", 1)).content().contains("Task first succeeded");
        assertThat(runtime.logPath("refused", "r", "second", 1)).doesNotExist();
    }

    @Test
    void removesAFileOpenedAheadWhenItsTryWillNotStart() {
        TryLogOpening opening = new TryLogOpening(() -> new TaskLogs(home).open("d", "r", "t", 1));
        opening.openIfFirst();
        Path path = home.resolve("dag_id=d/run_id=r/task_id=t/attempt=1.log");
        assertThat(path).exists();

        opening.discard();

        assertThat(path).doesNotExist();
    }

    @Test
    void opensNothingForATryDiscardedBeforeTheLogThreadReachedIt() {
        TryLogOpening opening = new TryLogOpening(() -> new TaskLogs(home).open("d", "r", "t", 1));

        opening.discard();
        opening.openIfFirst();

        assertThat(home.resolve("dag_id=d")).doesNotExist();
    }

    @Test
    void keepsAFileThatExistedBeforeTheTryOpenedIt() throws Exception {
        Path path;
        try (TryLog earlier = new TaskLogs(home).open("d", "r", "t", 1)) {
            path = earlier.path();
        }
        Files.writeString(path, "an interrupted try's line\n");
        TryLogOpening opening = new TryLogOpening(() -> new TaskLogs(home).open("d", "r", "t", 1));
        opening.openIfFirst();

        opening.discard();

        assertThat(path).hasContent("an interrupted try's line");
    }

    @Test
    void givesTheTryTheFileTheLogThreadOpenedAndOpensItOnTheTrysThreadOtherwise() {
        TryLogOpening ahead = new TryLogOpening(() -> new TaskLogs(home).open("d", "r", "ahead", 1));
        ahead.openIfFirst();
        TryLogOpening late = new TryLogOpening(() -> new TaskLogs(home).open("d", "r", "late", 1));

        try (TryLog first = ahead.take(); TryLog second = late.take()) {
            assertThat(first.path()).isEqualTo(home.resolve("dag_id=d/run_id=r/task_id=ahead/attempt=1.log"));
            assertThat(second.path()).isEqualTo(home.resolve("dag_id=d/run_id=r/task_id=late/attempt=1.log"))
                    .exists();
        }
    }
}
