package io.dagctl.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dagctl.RunState;
import io.dagctl.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every metadata database must do; one subclass per database. */
abstract class MetadataStoreContract {
    private static final Instant LOGICAL = Instant.parse("2011-03-01T00:00:00Z");

    MetadataStore store;

    abstract MetadataStore openStore();

    @BeforeEach
    void open() {
        store = openStore();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static String sqlState(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.sql.SQLException sql) {
                return sql.getSQLState();
            }
        }
        return "no SQLException in " + e;
    }

    private DagRun queuedRun(String runId) {
        return new DagRun("bikes", runId, RunState.QUEUED, RunType.MANUAL, LOGICAL, LOGICAL,
                LOGICAL.plus(1, ChronoUnit.DAYS), Map.of("startDate", "2011-03-01"), Instant.now(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    void createRun(String runId, String... taskIds) {
        store.write(tx -> {
            tx.insertRun(queuedRun(runId));
            tx.insertTasks(java.util.Arrays.stream(taskIds).map(t -> TaskInstance.fresh("bikes", runId, t, 2)).toList());
        });
    }

    /** Writes values with their instances' rows as they are, as the end of a try writes them. */
    private void storeValues(XComEntry... values) {
        store.write(tx -> tx.updateTasks(java.util.Arrays.stream(values)
                .map(v -> store.findTaskInstance(v.dagId(), v.runId(), v.taskId()).orElseThrow()).toList(),
                List.of(values)));
    }

    @Test
    void readsBackARunWithItsParamsAndInstants() {
        createRun("manual__1", "extract");

        DagRun run = store.findRun("bikes", "manual__1").orElseThrow();

        assertThat(run.state()).isEqualTo(RunState.QUEUED);
        assertThat(run.runType()).isEqualTo(RunType.MANUAL);
        assertThat(run.logicalDate()).isEqualTo(LOGICAL);
        assertThat(run.dataIntervalEnd()).isEqualTo(Instant.parse("2011-03-02T00:00:00Z"));
        assertThat(run.params()).containsExactly(Map.entry("startDate", "2011-03-01"));
        assertThat(run.owner()).isEmpty();
    }

    @Test
    void savesEveryColumnOfATaskInstance() {
        createRun("manual__1", "extract");
        Instant start = Instant.parse("2024-05-01T10:00:00.123456Z");
        TaskInstance started = TaskInstance.fresh("bikes", "manual__1", "extract", 2).startedTry(start, "host-a", 42);
        TaskInstance failed = started.endedTry(TaskState.UP_FOR_RETRY, start.plusMillis(1500),
                Optional.of("boom"), Optional.of(start.plusSeconds(60)));

        store.write(tx -> tx.updateTasks(List.of(failed)));

        TaskInstance read = store.findTaskInstance("bikes", "manual__1", "extract").orElseThrow();
        assertThat(read).isEqualTo(failed);
        assertThat(read.tryNumber()).isEqualTo(1);
        assertThat(read.duration()).contains(Duration.ofMillis(1500));
    }

    @Test
    void keepsXComValuesAndDeletesThemWhenCleared() {
        createRun("manual__1", "extract", "load");
        storeValues(XComEntry.returnValue("bikes", "manual__1", "extract", "{\"rows\":3}"),
                XComEntry.returnValue("bikes", "manual__1", "load", "\"done\""));

        assertThat(store.findXCom("bikes", "manual__1", "extract", XComEntry.RETURN_VALUE))
                .map(XComEntry::storedValue).contains("{\"rows\":3}");

        store.write(tx -> tx.deleteXComs("bikes", "manual__1", List.of("extract")));
        assertThat(store.xcoms("bikes", "manual__1")).extracting(XComEntry::taskId).containsExactly("load");
    }

    @Test
    void deletesAnEndedRunWithItsTaskInstancesAndValuesAndLeavesOtherRunsWhole() {
        createRun("manual__1", "extract", "load");
        createRun("manual__2", "extract");
        storeValues(XComEntry.returnValue("bikes", "manual__1", "extract", "1"),
                XComEntry.returnValue("bikes", "manual__2", "extract", "2"));
        store.write(tx -> {
            tx.updateRun(store.findRun("bikes", "manual__1").orElseThrow().ended(RunState.SUCCESS, Instant.now()));
        });

        boolean deleted = store.inTransaction(tx -> tx.deleteEndedRun("bikes", "manual__1"));

        assertThat(deleted).isTrue();
        assertThat(store.findRun("bikes", "manual__1")).isEmpty();
        assertThat(store.taskInstances("bikes", "manual__1")).isEmpty();
        assertThat(store.xcoms("bikes", "manual__1")).isEmpty();
        assertThat(store.taskInstances("bikes", "manual__2")).extracting(TaskInstance::taskId)
                .containsExactly("extract");
        assertThat(store.xcoms("bikes", "manual__2")).extracting(XComEntry::storedValue).containsExactly("2");
    }

    @Test
    void deletesNothingOfARunThatHasNotEnded() {
        createRun("manual__1", "extract");
        storeValues(XComEntry.returnValue("bikes", "manual__1", "extract", "1"));

        boolean deleted = store.inTransaction(tx -> tx.deleteEndedRun("bikes", "manual__1"));

        assertThat(deleted).isFalse();
        assertThat(store.taskInstances("bikes", "manual__1")).hasSize(1);
        assertThat(store.xcoms("bikes", "manual__1")).hasSize(1);
    }

    @Test
    void refusesASecondValueForTheSameTaskAndKey() {
        createRun("manual__1", "extract");
        XComEntry value = XComEntry.returnValue("bikes", "manual__1", "extract", "1");
        storeValues(value);

        assertThatThrownBy(() -> storeValues(value))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("task instance extract of run manual__1 of DAG bikes has a return value already,"
                        + " or no row");
    }

    @Test
    void savesATrysEndAndItsValueWithTheNextTrysStartInOneWrite() {
        createRun("manual__1", "extract", "load");
        Instant start = Instant.parse("2024-05-01T10:00:00Z");
        TaskInstance extracted = store.findTaskInstance("bikes", "manual__1", "extract").orElseThrow()
                .startedTry(start, "host-a", 42).endedTry(TaskState.SUCCESS, start.plusSeconds(1), Optional.empty(),
                        Optional.empty());
        TaskInstance loading = store.findTaskInstance("bikes", "manual__1", "load").orElseThrow()
                .startedTry(start.plusSeconds(1), "host-a", 42);

        store.write(tx -> tx.updateTasks(List.of(extracted, loading),
                List.of(XComEntry.returnValue("bikes", "manual__1", "extract", "{\"rows\":3}"))));

        assertThat(store.findTaskInstance("bikes", "manual__1", "extract")).contains(extracted);
        assertThat(store.findTaskInstance("bikes", "manual__1", "load")).contains(loading);
        assertThat(store.xcoms("bikes", "manual__1")).extracting(XComEntry::taskId, XComEntry::storedValue)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("extract", "{\"rows\":3}"));
    }

    @Test
    void refusesAValueThatComesWithoutItsInstanceAndWritesNothing() {
        createRun("manual__1", "extract", "load");
        TaskInstance loading = store.findTaskInstance("bikes", "manual__1", "load").orElseThrow()
                .startedTry(Instant.now(), "host-a", 42);

        assertThatThrownBy(() -> store.write(tx -> tx.updateTasks(List.of(loading),
                List.of(XComEntry.returnValue("bikes", "manual__1", "extract", "1")))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the value of task instance extract of run manual__1 of DAG bikes comes without the"
                        + " instance");

        assertThat(store.xcoms("bikes", "manual__1")).isEmpty();
        assertThat(store.findTaskInstance("bikes", "manual__1", "load").orElseThrow().state())
                .isEqualTo(TaskState.NONE);
    }

    @Test
    void rollsBackAWriteThatFailsHalfway() {
        createRun("manual__1", "extract");
        TaskInstance running = store.findTaskInstance("bikes", "manual__1", "extract").orElseThrow()
                .startedTry(Instant.now(), "h", 1);

        assertThatThrownBy(() -> store.write(tx -> {
            tx.updateTasks(List.of(running));
            throw new IllegalStateException("crash between two statements");
        })).hasMessage("crash between two statements");

        assertThat(store.findTaskInstance("bikes", "manual__1", "extract").orElseThrow().state())
                .isEqualTo(TaskState.NONE);
    }

    @Test
    void letsOnlyOneProcessTakeOverARun() {
        createRun("manual__1", "extract");
        DagRun queued = store.findRun("bikes", "manual__1").orElseThrow();

        boolean first = store.inTransaction(tx -> tx.takeOver(queued, "host:1:a", Instant.now()));
        boolean second = store.inTransaction(tx -> tx.takeOver(queued, "host:2:b", Instant.now()));
        DagRun ofDeadOwner = store.findRun("bikes", "manual__1").orElseThrow();
        boolean fromDeadOwner = store.inTransaction(tx -> tx.takeOver(ofDeadOwner, "host:3:c", Instant.now()));

        assertThat(first).isTrue();
        assertThat(second).isFalse();
        assertThat(fromDeadOwner).isTrue();
        DagRun taken = store.findRun("bikes", "manual__1").orElseThrow();
        assertThat(taken.owner()).contains("host:3:c");
        assertThat(taken.state()).isEqualTo(RunState.RUNNING);
    }

    @Test
    void takesNoRunOverThatEndedSinceItWasRead() {
        createRun("manual__1", "extract");
        DagRun queued = store.findRun("bikes", "manual__1").orElseThrow();
        store.inTransaction(tx -> tx.takeOver(queued, "host:1:a", Instant.now()));
        DagRun running = store.findRun("bikes", "manual__1").orElseThrow();
        store.write(tx -> tx.updateRun(running.ended(RunState.SUCCESS, Instant.now())));

        boolean asQueued = store.inTransaction(tx -> tx.takeOver(queued, "host:2:b", Instant.now()));

        assertThat(asQueued).isFalse();
        DagRun ended = store.findRun("bikes", "manual__1").orElseThrow();
        assertThat(ended.state()).isEqualTo(RunState.SUCCESS);
        assertThat(ended.owner()).isEmpty();
    }

    @Test
    void listsRunsNewestFirstAndByState() {
        createRun("manual__1", "extract");
        store.write(tx -> tx.insertRun(new DagRun("bikes", "manual__2", RunState.SUCCESS, RunType.SCHEDULED,
                LOGICAL.plusSeconds(86400), LOGICAL, LOGICAL, Map.of(), Instant.now(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty())));

        assertThat(store.runs(Optional.of("bikes"), 10)).extracting(DagRun::runId)
                .containsExactly("manual__2", "manual__1");
        assertThat(store.runs(Optional.empty(), 1)).extracting(DagRun::runId).containsExactly("manual__2");
        assertThat(store.runsInStates(Set.of(RunState.QUEUED, RunState.RUNNING))).extracting(DagRun::runId)
                .containsExactly("manual__1");
    }

    @Test
    void readsOnePageOfTheRunsAFilterMatchesAndCountsThemAll() {
        for (int day = 1; day <= 4; day++) {
            int offset = day;
            store.write(tx -> tx.insertRun(new DagRun("bikes", "scheduled__" + offset, RunState.SUCCESS,
                    RunType.SCHEDULED, LOGICAL.plus(offset, ChronoUnit.DAYS), LOGICAL, LOGICAL, Map.of(),
                    Instant.now(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty())));
        }
        createRun("manual__1", "extract");

        MetadataStore.RunPage page = store.runPage(Optional.of("bikes"), Optional.of(RunState.SUCCESS),
                Optional.of("scheduled"), 2, 1);
        assertThat(page.runs()).extracting(DagRun::runId).containsExactly("scheduled__3", "scheduled__2");
        assertThat(page.total()).isEqualTo(4);
        assertThat(store.runPage(Optional.empty(), Optional.empty(), Optional.of("manual"), 10, 0).total())
                .isEqualTo(1);
        assertThat(store.runPage(Optional.empty(), Optional.empty(), Optional.empty(), 10, 5).runs()).isEmpty();
    }
}
