package io.dagctl.internal.store;

import static com.google.common.util.concurrent.Uninterruptibles.awaitUninterruptibly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.dagctl.RunState;
import io.dagctl.TaskState;
import io.dagctl.embedded.testing.SharedPostgres;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Reading a run's changed task instances on PostgreSQL, with transactions that commit out of their ids' order. */
@Timeout(60)
class ChangeJournalTest {
    private static final Instant LOGICAL = Instant.parse("2026-12-01T00:00:00Z");

    MetadataStore store;
    final ExecutorService writers = Executors.newSingleThreadExecutor();

    @BeforeEach
    void openStore() {
        store = MetadataStore.open(StoreLocation.fromEnvironment(Map.of(StoreLocation.DB_URL_VARIABLE,
                SharedPostgres.freshDatabase("journal")), Path.of(".")));
        store.write(tx -> {
            tx.insertRun(new DagRun("bikes", "manual__1", RunState.QUEUED, RunType.MANUAL, LOGICAL, LOGICAL, LOGICAL,
                    Map.of(), LOGICAL, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
            tx.insertTasks(List.of(TaskInstance.fresh("bikes", "manual__1", "extract", 1),
                    TaskInstance.fresh("bikes", "manual__1", "load", 1),
                    TaskInstance.fresh("bikes", "manual__1", "report", 1)));
        });
    }

    @AfterEach
    void closeStore() {
        writers.shutdownNow();
        store.close();
    }

    @Test
    void readsEveryInstanceFirstThenOnlyWhatChanged() {
        ChangeJournal.Page first = read(Optional.empty());
        setState("load", TaskState.RUNNING);

        ChangeJournal.Page second = read(Optional.of(first.snapshot()));
        ChangeJournal.Page third = read(Optional.of(second.snapshot()));

        assertThat(first.changed()).extracting(TaskInstance::taskId)
                .containsExactlyInAnyOrder("extract", "load", "report");
        assertThat(second.changed()).extracting(TaskInstance::taskId, TaskInstance::state)
                .containsExactly(tuple("load", TaskState.RUNNING));
        assertThat(third.changed()).isEmpty();
    }

    @Test
    void aHeartbeatIsNoChangeToFollow() {
        ChangeJournal.Page first = read(Optional.empty());
        store.write(tx -> tx.handle().execute("UPDATE task_instance SET heartbeat_at = CURRENT_TIMESTAMP"));

        assertThat(read(Optional.of(first.snapshot())).changed()).isEmpty();
    }

    @Test
    void aChangeCommittedAfterThatOfALaterTransactionIsReadOnceItCommits() throws Exception {
        ChangeJournal.Page first = read(Optional.empty());
        CountDownLatch written = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        // The older transaction takes its id first and writes, but commits last.
        Future<?> older = writers.submit(() -> store.write(tx -> {
            updateState(tx, "extract", TaskState.SUCCESS);
            written.countDown();
            awaitUninterruptibly(commit);
        }));
        written.await();
        setState("load", TaskState.RUNNING);

        ChangeJournal.Page whileOlderRuns = read(Optional.of(first.snapshot()));
        commit.countDown();
        older.get();
        ChangeJournal.Page afterOlderCommitted = read(Optional.of(whileOlderRuns.snapshot()));
        ChangeJournal.Page settled = read(Optional.of(afterOlderCommitted.snapshot()));

        assertThat(whileOlderRuns.changed()).extracting(TaskInstance::taskId).containsExactly("load");
        // Once each: the later transaction's change, read before, is not read again.
        assertThat(afterOlderCommitted.changed()).extracting(TaskInstance::taskId, TaskInstance::state)
                .containsExactly(tuple("extract", TaskState.SUCCESS));
        assertThat(settled.changed()).isEmpty();
    }

    private ChangeJournal.Page read(Optional<String> from) {
        return ChangeJournal.read(store, "bikes", "manual__1", from);
    }

    private void setState(String taskId, TaskState state) {
        store.write(tx -> updateState(tx, taskId, state));
    }

    private static void updateState(MetadataStore.Transaction tx, String taskId, TaskState state) {
        tx.handle().createUpdate("UPDATE task_instance SET state = :state WHERE dag_id = 'bikes'"
                        + " AND run_id = 'manual__1' AND task_id = :taskId")
                .bind("state", state.label())
                .bind("taskId", taskId)
                .execute();
    }
}
