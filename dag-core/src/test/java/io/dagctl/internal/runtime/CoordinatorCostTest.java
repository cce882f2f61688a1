package io.dagctl.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.Connections;
import io.dagctl.Dag;
import io.dagctl.From;
import io.dagctl.RunState;
import io.dagctl.Task;
import io.dagctl.TaskState;
import io.dagctl.internal.store.DagRun;
import io.dagctl.internal.store.MetadataStore;
import io.dagctl.internal.store.StoreLocation;
import io.dagctl.internal.store.TaskInstance;
import io.dagctl.spec.ArgumentSpec;
import io.dagctl.spec.DagSpec;
import io.dagctl.spec.TaskSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the coordinator of a run does per hop must not grow with the DAG: a turn in a chain ten times as long looks
 * at as many instances. Counted, not timed, so that a loaded machine cannot change the verdict.
 */
class CoordinatorCostTest {
    private static final int SHORT = 500;
    private static final int LONG = 5000;

    @TempDir
    Path home;
    MetadataStore store;
    DagRuntime runtime;

    @Dag(id = "chain")
    static final class Chain {
        @Task
        int first() {
            return 0;
        }

        @Task
        int next(@From("first") int previous) {
            return previous + 1;
        }
    }

    @BeforeEach
    void openRuntime() {
        store = MetadataStore.open(StoreLocation.h2InMemory("coordinator-cost-" + UUID.randomUUID()));
        runtime = DagRuntime.builder().environment(Map.of()).home(home).store(store).parallelism(4)
                .connections(Connections.of(Map.of())).build();
    }

    @AfterEach
    void closeRuntime() {
        runtime.close();
        store.close();
    }

    @Test
    void eachTurnAfterTheFirstLooksAtAsManyInstancesInAChainOfFiveThousandTasksAsInOneOfFiveHundred() {
        RunExecution.TurnCosts shortChain = turnCosts(SHORT);
        RunExecution.TurnCosts longChain = turnCosts(LONG);

        assertThat(shortChain.first()).as("the first turn decides every task").isGreaterThanOrEqualTo(SHORT);
        assertThat(longChain.first()).as("the first turn decides every task").isGreaterThanOrEqualTo(LONG);
        // A hop ends one task, reads it as the next task's upstream, decides and claims that task.
        assertThat(longChain.mostAfterFirst()).isEqualTo(shortChain.mostAfterFirst()).isLessThanOrEqualTo(4);
        assertThat(longChain.totalAfterFirst() / (LONG - 1)).as("instances looked at per hop")
                .isEqualTo(shortChain.totalAfterFirst() / (SHORT - 1));
    }

    @Test
    void aFollowerReadsEachCommittedChangeOnceInsteadOfEveryInstancePerPoll() throws InterruptedException {
        DagSpec dag = chain(SHORT);
        String runId = runtime.trigger(dag, RunRequest.manual());
        CompletableFuture<RunResult> execution = runtime.submit(dag.id(), runId);
        int read = 0;
        int polls = 0;
        Set<String> seenSucceeded = new HashSet<>();
        while (!execution.isDone()) {
            List<TaskInstance> changes = runtime.changesSince(dag.id(), runId, read).orElse(List.of());
            read += changes.size();
            polls++;
            changes.stream().filter(t -> t.state() == TaskState.SUCCESS).forEach(t -> seenSucceeded.add(t.label()));
            Thread.sleep(1);
        }

        assertThat(execution.join().state()).isEqualTo(RunState.SUCCESS);
        assertThat(polls).isGreaterThan(10);
        // The instances as taken over, then each task's start and end: never the whole run again per poll.
        assertThat(read).isBetween(SHORT, 3 * SHORT);
        assertThat(seenSucceeded).hasSizeGreaterThan(SHORT / 2);
        assertThat(runtime.changesSince(dag.id(), runId, 0)).as("once the run has ended here").isEmpty();
    }

    @Test
    void readsTheValuesEveryTaskOfARunReturnedAtOnceAsEachTaskReadsItsOwn() {
        RunResult result = run(SHORT);

        Map<String, String> values = runtime.returnValuesJson(result.run().dagId(), result.runId());

        assertThat(values).hasSize(SHORT).containsEntry("t0", "0").containsEntry("t499", "499");
        assertThat(values.get("t250")).isEqualTo(runtime.xcomJson(result.run().dagId(), result.runId(), "t250")
                .orElseThrow());
    }

    @Test
    void createsTheRunItRunsStartedSoThatNoTransactionReadsItBackToTakeItOver() {
        RunResult result = run(3);

        DagRun stored = store.findRun(result.run().dagId(), result.runId()).orElseThrow();
        // A run created queued starts when a later transaction takes it over.
        assertThat(stored.startedAt()).contains(stored.createdAt());
        assertThat(result.task("t0").startDate()).contains(stored.createdAt());
    }

    private RunResult run(int length) {
        RunResult result = runtime.run(chain(length), RunRequest.manual());
        assertThat(result.state()).isEqualTo(RunState.SUCCESS);
        return result;
    }

    /** Runs a chain of {@code length} tasks with the coordinator in hand, to read what its turns looked at. */
    private RunExecution.TurnCosts turnCosts(int length) {
        DagSpec dag = chain(length);
        RunExecution execution = new RunExecution(runtime, dag, runtime.trigger(dag, RunRequest.manual()));
        assertThat(execution.execute().state()).isEqualTo(RunState.SUCCESS);
        return execution.turnCosts();
    }

    /** {@code length} tasks, each taking its predecessor's value. */
    private static DagSpec chain(int length) {
        DagSpec template = Specs.of(Chain.class, "first", "next");
        TaskSpec first = template.tasks().get(0);
        TaskSpec next = template.tasks().get(1);
        List<TaskSpec> tasks = new ArrayList<>();
        tasks.add(new TaskSpec("t0", first.method(), first.returnType(), first.arguments(), Set.of(),
                first.triggerRule(), first.kind(), first.retry(), first.executionTimeout(), List.of(), List.of()));
        for (int i = 1; i < length; i++) {
            String previous = "t" + (i - 1);
            tasks.add(new TaskSpec("t" + i, next.method(), next.returnType(),
                    List.of(new ArgumentSpec.Upstream(previous, int.class)), Set.of(previous), next.triggerRule(),
                    next.kind(), next.retry(), next.executionTimeout(), List.of(), List.of()));
        }
        return new DagSpec("chain_" + length, template.dagClass(), "", "", template.timezone(), template.startDate(),
                false, List.of(), template.params(), 1, template.defaultRetry(), template.executionTimeout(),
                List.of(), List.of(), tasks);
    }
}
