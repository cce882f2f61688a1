package io.dagctl.cli;

import io.dagctl.internal.runtime.DagRuntime;
import io.dagctl.internal.runtime.RunRequest;
import io.dagctl.internal.store.MetadataStore;
import io.dagctl.internal.store.StoreLocation;
import io.dagctl.internal.store.TaskInstance;
import io.dagctl.spec.DagSpec;
import io.dagctl.spec.TaskKind;
import io.dagctl.spec.TaskSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "test", description = "Runs a DAG, or one task and what it depends on, in this process without "
        + "recording anything in the metadata database, and prints the tasks' logs (Airflow's `dags test`/`tasks test`).")
final class TestCommand implements Callable<Integer> {
    @ParentCommand
    private Dagctl dagctl;

    @Parameters(index = "0", paramLabel = "DAG", description = "The DAG id.")
    private String dagId;

    @Parameters(index = "1", arity = "0..1", paramLabel = "TASK", description = "Run only this task and its upstream tasks.")
    private Optional<String> taskId;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "A run parameter; repeatable.")
    private Map<String, String> params = new LinkedHashMap<>();

    @Override
    public Integer call() throws IOException {
        DagSpec dag = dagctl.catalog().get(dagId);
        dag.params().bind(params);
        DagSpec tested = taskId.map(t -> withUpstreamOf(dag, DagCatalog.task(dag, t))).orElse(dag);
        List<String> choosers = tested.tasks().stream().map(t -> dag.task(t.id()))
                .filter(t -> t.kind() != TaskKind.PLAIN && !t.id().equals(taskId.orElse(null)))
                .map(TaskSpec::id).toList();
        if (!choosers.isEmpty()) {
            dagctl.out().println("testing " + taskId.orElseThrow() + ": the branch and short-circuit tasks upstream"
                    + " of it (" + String.join(", ", choosers) + ") run as plain tasks, so that it runs whatever"
                    + " they pick");
        }
        Path home = Files.createTempDirectory("dagctl-test-");
        try (MetadataStore store = MetadataStore.open(StoreLocation.h2InMemory("dagctl-test-" + UUID.randomUUID()));
             DagRuntime runtime = DagRuntime.builder()
                     .environment(dagctl.environment().variables())
                     .home(home)
                     .store(store)
                     .connections(dagctl.connections())
                     .modules(Dagctl.hookModules())
                     .resumeInterruptedOnOpen(false)
                     .build()) {
            String runId = runtime.trigger(tested, RunRequest.manual().withParams(params));
            int exitCode = new RunWatcher(runtime, dagctl.out(), tested, false).follow(tested.id(), runId,
                    runtime.submit(tested.id(), runId));
            printLogs(runtime, runtime.taskInstances(tested.id(), runId));
            return exitCode;
        } finally {
            deleteRecursively(home);
        }
    }

    /**
     * The DAG cut down to {@code task} and everything it depends on, as Airflow's {@code tasks test} runs a task
     * whatever its upstream decided. Its branch and short-circuit tasks run as plain tasks: the path a branch picks
     * may lie outside the cut and would skip {@code task}; and {@code task}'s own choice, among downstream tasks
     * the cut leaves out, is shown as its value.
     */
    static DagSpec withUpstreamOf(DagSpec dag, TaskSpec task) {
        Set<String> keep = new LinkedHashSet<>();
        Deque<String> pending = new ArrayDeque<>();
        pending.push(task.id());
        while (!pending.isEmpty()) {
            String id = pending.pop();
            if (keep.add(id)) {
                dag.task(id).upstream().forEach(pending::push);
            }
        }
        return new DagSpec(dag.id(), dag.dagClass(), dag.description(), dag.schedule(), dag.timezone(),
                dag.startDate(), dag.catchup(), dag.tags(), dag.params(), dag.maxActiveRuns(), dag.defaultRetry(),
                dag.executionTimeout(), dag.onFailure(), dag.onSuccess(),
                dag.tasks().stream().filter(t -> keep.contains(t.id()))
                        .map(TestCommand::plain).toList());
    }

    private static TaskSpec plain(TaskSpec t) {
        return new TaskSpec(t.id(), t.method(), t.returnType(), t.arguments(), t.upstream(), t.triggerRule(),
                TaskKind.PLAIN, t.retry(), t.executionTimeout(), t.onFailure(), t.onSuccess(), t.pool(),
                t.poolSlots());
    }

    private void printLogs(DagRuntime runtime, Iterable<TaskInstance> tasks) throws IOException {
        for (TaskInstance task : tasks) {
            for (int attempt = 1; attempt <= task.tryNumber(); attempt++) {
                Path log = runtime.logPath(task.dagId(), task.runId(), task.taskId(), attempt);
                if (Files.exists(log)) {
                    dagctl.out().println();
                    dagctl.out().println("--- log of " + task.taskId() + ", try " + attempt + " ---");
                    dagctl.out().print(Files.readString(log));
                    dagctl.out().flush();
                }
            }
        }
    }

    private static void deleteRecursively(Path directory) {
        try (var paths = Files.walk(directory)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
