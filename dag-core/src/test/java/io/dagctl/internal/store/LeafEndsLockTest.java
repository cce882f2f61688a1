package io.dagctl.internal.store;

import static com.google.common.util.concurrent.Uninterruptibles.awaitUninterruptibly;
import static org.assertj.core.api.Assertions.assertThat;

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

/**
 * Two transactions record the ends of a run's last two tasks at once: whichever takes the run's lock second must see
 * the other's end, or neither ends the run.
 */
@Timeout(60)
class LeafEndsLockTest {
    private static final Instant LOGICAL = Instant.parse("2026-12-01T00:00:00Z");

    MetadataStore store;
    final ExecutorService transactions = Executors.newFixedThreadPool(2);

    @BeforeEach
    void openStore() {
        store = MetadataStore.open(StoreLocation.fromEnvironment(Map.of(StoreLocation.DB_URL_VARIABLE,
                SharedPostgres.freshDatabase("leaf_ends")), Path.of(".")));
        store.write(tx -> {
            tx.insertRun(new DagRun("bikes", "manual__1", RunState.RUNNING, RunType.MANUAL, LOGICAL, LOGICAL, LOGICAL,
                    Map.of(), LOGICAL, Optional.of(LOGICAL), Optional.empty(), Optional.empty(), Optional.empty()));
            tx.insertTasks(List.of(TaskInstance.fresh("bikes", "manual__1", "extract", 1),
                    TaskInstance.fresh("bikes", "manual__1", "load", 1)));
            tx.handle().execute("UPDATE task_instance SET state = 'running'");
        });
    }

    @AfterEach
    void closeStore() {
        transactions.shutdownNow();
        store.close();
    }

    @Test
    void theTransactionThatTakesTheRunsLockSecondSeesTheFirstsEnd() throws Exception {
        CountDownLatch firstLocked = new CountDownLatch(1);
        CountDownLatch commitFirst = new CountDownLatch(1);
        Future<Boolean> first = transactions.submit(() -> store.inTransaction(tx -> {
            succeed(tx, "extract");
            boolean unfinished = WorkQueue.lockRunAndAskUnfinished(tx, "bikes", "manual__1").orElseThrow()
                    .anyUnfinished();
            firstLocked.countDown();
            awaitUninterruptibly(commitFirst);
            return unfinished;
        }));
        firstLocked.await();
        Future<Boolean> second = transactions.submit(() -> store.inTransaction(tx -> {
            succeed(tx, "load");
            return WorkQueue.lockRunAndAskUnfinished(tx, "bikes", "manual__1").orElseThrow().anyUnfinished();
        }));
        while (sessionsWaitingForALock() == 0) {
            Thread.sleep(10);
        }
        commitFirst.countDown();

        assertThat(first.get()).as("the first sees the second's task running").isTrue();
        assertThat(second.get()).as("the second, once it has the lock, sees the first's end").isFalse();
    }

    /**
     * A second UPDATE of a row in the transaction that last wrote it has PostgreSQL check the row's foreign key,
     * which takes a share lock on the run: two transactions that wrote a value after each end then deadlocked when
     * each went on to lock the run.
     */
    @Test
    void twoTransactionsRecordingEndsWithTheirValuesTakeTheRunsLockOneAfterTheOther() throws Exception {
        store.write(tx -> tx.handle().execute("UPDATE task_instance SET worker = 'w', try_number = 1"));
        CountDownLatch bothEnded = new CountDownLatch(2);
        List<Future<Boolean>> ends = List.of("extract", "load").stream()
                .map(taskId -> transactions.submit(() -> store.inTransaction(tx -> {
                    TaskInstance running = tx.taskInstances("bikes", "manual__1").stream()
                            .filter(t -> t.taskId().equals(taskId)).findFirst().orElseThrow();
                    boolean[] recorded = WorkQueue.endTries(tx, List.of(running.endedTry(TaskState.SUCCESS,
                            LOGICAL.plusSeconds(1), Optional.empty(), Optional.empty())), List.of("\"" + taskId + "\""),
                            "w", Optional.empty());
                    bothEnded.countDown();
                    awaitUninterruptibly(bothEnded);
                    WorkQueue.lockRunAndAskUnfinished(tx, "bikes", "manual__1").orElseThrow();
                    return recorded[0];
                })))
                .toList();

        assertThat(ends.get(0).get()).isTrue();
        assertThat(ends.get(1).get()).isTrue();
        assertThat(store.taskInstances("bikes", "manual__1")).extracting(TaskInstance::state)
                .containsOnly(TaskState.SUCCESS);
    }

    private int sessionsWaitingForALock() {
        return store.withHandle(handle -> handle.createQuery("SELECT COUNT(*) FROM pg_stat_activity"
                + " WHERE wait_event_type = 'Lock'").mapTo(Integer.class).one());
    }

    private static void succeed(MetadataStore.Transaction tx, String taskId) {
        tx.handle().createUpdate("UPDATE task_instance SET state = 'success' WHERE task_id = :taskId")
                .bind("taskId", taskId)
                .execute();
    }
}
