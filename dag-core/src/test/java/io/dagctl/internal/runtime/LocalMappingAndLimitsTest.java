package io.dagctl.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.dagctl.Connections;
import io.dagctl.RunState;
import io.dagctl.TaskState;
import io.dagctl.internal.discovery.DagDiscovery;
import io.dagctl.internal.runtime.WorkerTest.Limited;
import io.dagctl.internal.runtime.WorkerTest.Mapped;
import io.dagctl.internal.runtime.WorkerTest.MappedOverNothing;
import io.dagctl.internal.runtime.WorkerTest.Pooled;
import io.dagctl.internal.store.MetadataStore;
import io.dagctl.internal.store.StoreLocation;
import io.dagctl.internal.store.TaskInstance;
import io.dagctl.internal.store.WorkQueue;
import io.dagctl.spec.DagSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The DAGs of {@link WorkerTest}, mapped and limited, run by one process on H2 as {@code dagctl trigger} does. */
@Timeout(60)
class LocalMappingAndLimitsTest {
    @TempDir
    Path home;
    MetadataStore store;
    DagRuntime runtime;

    @BeforeEach
    void openRuntime() {
        WorkerTest.CALLS.clear();
        WorkerTest.FAILURES_LEFT.clear();
        store = MetadataStore.open(StoreLocation.h2InMemory("local-mapping-" + UUID.randomUUID()));
        runtime = DagRuntime.builder().environment(Map.of()).home(home).store(store).parallelism(8)
                .connections(Connections.of(Map.of())).build();
    }

    @AfterEach
    void closeRuntime() {
        runtime.close();
        store.close();
    }

    @Test
    void mapsATaskOverAListAndHandsTheResultsDownstreamInIndexOrder() {
        RunResult result = runtime.run(DagDiscovery.load(Mapped.class), RunRequest.manual());

        assertThat(result.state()).isEqualTo(RunState.SUCCESS);
        assertThat(result.tasks()).filteredOn(t -> t.taskId().equals("shout"))
                .extracting(TaskInstance::label, TaskInstance::state)
                .containsExactlyInAnyOrder(tuple("shout[0]", TaskState.SUCCESS), tuple("shout[1]", TaskState.SUCCESS),
                        tuple("shout[2]", TaskState.SUCCESS));
        assertThat(WorkerTest.CALLS).contains("joined [OSLO!, LIMA!, PUNE!]");
        assertThat(runtime.xcomJson("mapped", result.runId(), "shout")).contains("[\"OSLO!\",\"LIMA!\",\"PUNE!\"]");
        assertThat(runtime.logPath("mapped", result.runId(), "shout[1]", 1)).content().contains("shout[1]");
    }

    @Test
    void retriesOneFailingMappedInstanceWithoutRerunningTheOthers() {
        WorkerTest.FAILURES_LEFT.put("lima", new AtomicInteger(1));
        RunResult result = runtime.run(DagDiscovery.load(Mapped.class), RunRequest.manual());

        assertThat(result.state()).isEqualTo(RunState.SUCCESS);
        assertThat(WorkerTest.CALLS).filteredOn(c -> c.startsWith("shout ")).containsExactlyInAnyOrder(
                "shout oslo", "shout lima", "shout lima", "shout pune");
        assertThat(instance(result, "shout[1]").tryNumber()).isEqualTo(2);
        assertThat(instance(result, "shout[0]").tryNumber()).isEqualTo(1);
    }

    @Test
    void failsTheRunWhenAMappedInstanceRunsOutOfTries() {
        WorkerTest.FAILURES_LEFT.put("pune", new AtomicInteger(2));
        RunResult result = runtime.run(DagDiscovery.load(Mapped.class), RunRequest.manual());

        assertThat(result.state()).isEqualTo(RunState.FAILED);
        TaskInstance pune = instance(result, "shout[2]");
        assertThat(pune.state()).isEqualTo(TaskState.FAILED);
        assertThat(pune.error()).contains("java.lang.IllegalStateException: no shouting in pune today");
        assertThat(result.taskState("joined")).isEqualTo(TaskState.UPSTREAM_FAILED);
    }

    @Test
    void skipsAMappedTaskWhoseListIsEmpty() {
        RunResult result = runtime.run(DagDiscovery.load(MappedOverNothing.class), RunRequest.manual());

        assertThat(result.state()).isEqualTo(RunState.SUCCESS);
        assertThat(result.task("twice").mapIndex()).isEqualTo(-1);
        assertThat(result.taskState("twice")).isEqualTo(TaskState.SKIPPED);
        assertThat(WorkerTest.CALLS).containsExactly("report []");
    }

    @Test
    void resumesAnInterruptedMappedRunKeepingTheInstancesThatSucceeded() {
        DagSpec dag = DagDiscovery.load(Mapped.class);
        WorkerTest.FAILURES_LEFT.put("pune", new AtomicInteger(2));
        RunResult failed = runtime.run(dag, RunRequest.manual().withRunId("again"));
        assertThat(failed.state()).isEqualTo(RunState.FAILED);
        WorkerTest.CALLS.clear();

        runtime.clear("mapped", "again", List.of("shout"), true);
        RunResult cleared = runtime.execute("mapped", "again");

        assertThat(cleared.state()).isEqualTo(RunState.SUCCESS);
        assertThat(WorkerTest.CALLS).containsExactly("shout pune", "joined [OSLO!, LIMA!, PUNE!]");
    }

    @Test
    void neverRunsMoreTasksOfADagAtOnceThanItsMaxActiveTasksAcrossItsRuns() {
        Limited.MOST.set(0);
        DagSpec dag = DagDiscovery.load(Limited.class);
        CompletableFuture<RunResult> first = runtime.submit("limited", runtime.trigger(dag, RunRequest.manual()
                .withRunId("first")));
        CompletableFuture<RunResult> second = runtime.submit("limited", runtime.trigger(dag, RunRequest.manual()
                .withRunId("second")));

        assertThat(DagRuntime.await(first).state()).isEqualTo(RunState.SUCCESS);
        assertThat(DagRuntime.await(second).state()).isEqualTo(RunState.SUCCESS);
        assertThat(Limited.MOST.get()).isEqualTo(3);
    }

    @Test
    void holdsAPoolsSlotsAndLetsTasksOfAnUndefinedPoolWait() throws InterruptedException {
        Pooled.MOST.set(0);
        DagSpec dag = DagDiscovery.load(Pooled.class);
        String runId = runtime.trigger(dag, RunRequest.manual());
        CompletableFuture<RunResult> run = runtime.submit("pooled", runId);
        Thread.sleep(1500);
        assertThat(store.taskInstances("pooled", runId)).filteredOn(t -> t.taskId().equals("load"))
                .extracting(TaskInstance::state).containsOnly(TaskState.SCHEDULED);

        WorkQueue.setPool(store, new WorkQueue.Pool("postgres", 5, "the demo database"));

        assertThat(DagRuntime.await(run).state()).isEqualTo(RunState.SUCCESS);
        assertThat(Pooled.MOST.get()).isEqualTo(4);
    }

    private static TaskInstance instance(RunResult result, String label) {
        return result.tasks().stream().filter(t -> t.label().equals(label)).findFirst().orElseThrow();
    }
}
