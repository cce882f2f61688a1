package io.dagctl.cli;

import io.dagctl.RunState;
import io.dagctl.TaskState;
import io.dagctl.internal.runtime.DagRuntime;
import io.dagctl.internal.runtime.RunChanges;
import io.dagctl.internal.runtime.RunResult;
import io.dagctl.internal.store.Outage;
import io.dagctl.internal.store.TaskInstance;
import io.dagctl.ops.ShellWords;
import io.dagctl.spec.DagSpec;
import io.dagctl.spec.TaskSpec;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Follows a run, executing in this process or on workers: prints each task's state changes as they are committed,
 * then a summary with what each task returned, and turns the run's end state into the exit code. Tasks are listed in the DAG's
 * order, so that changes seen in the same poll read upstream first and two runs of a DAG print alike.
 */
final class RunWatcher {
    private static final Duration POLL = Duration.ofMillis(200);
    private static final int MAX_VALUE_WIDTH = 1000;

    private final DagRuntime runtime;
    private final PrintWriter out;
    private final Comparator<TaskInstance> dagOrder;
    private final boolean recorded;
    private final Map<String, String> lastSeen = new HashMap<>();

    /**
     * @param recorded whether the run stays in the metadata database, so that the summary may point at
     *     {@code dagctl status}, {@code logs} and the log directory
     */
    RunWatcher(DagRuntime runtime, PrintWriter out, DagSpec dag, boolean recorded) {
        this.runtime = runtime;
        this.out = out;
        this.dagOrder = dagOrder(dag);
        this.recorded = recorded;
    }

    /** Task instances in the order of the DAG's tasks (upstream first), mapped ones by index; unknown ones last. */
    static Comparator<TaskInstance> dagOrder(DagSpec dag) {
        Map<String, Integer> positions = new HashMap<>();
        for (TaskSpec task : dag.tasks()) {
            positions.put(task.id(), positions.size());
        }
        return Comparator.<TaskInstance>comparingInt(t -> positions.getOrDefault(t.taskId(), Integer.MAX_VALUE))
                .thenComparing(TaskInstance::taskId).thenComparingInt(TaskInstance::mapIndex);
    }

    /** Waits for the run while printing its progress; 0 when it succeeded, 1 otherwise. */
    int follow(String dagId, String runId, CompletableFuture<RunResult> execution) {
        RunChanges changes = runtime.changes(dagId, runId);
        RunResult result = null;
        while (result == null) {
            try {
                result = execution.get(POLL.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException stillRunning) {
                printChangesUnlessUnreachable(changes);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException(ExitCodes.RUN_FAILED, "interrupted while waiting for run " + runId
                        + "; it stays resumable: dagctl resume " + ShellWords.quote(runId));
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }
        printChanges(result.tasks());
        printSummary(result);
        if (!result.state().isFinished()) {
            out.println("run " + runId + " stopped before its end; resume it with: dagctl resume " + runId);
            out.flush();
        }
        return result.state() == RunState.SUCCESS ? ExitCodes.OK : ExitCodes.RUN_FAILED;
    }

    /** While the database is away the execution side says so once and waits; the changes print once it is back. */
    private void printChangesUnlessUnreachable(RunChanges changes) {
        try {
            printChanges(changes.next());
        } catch (RuntimeException e) {
            if (!Outage.isConnectionFailure(e)) {
                throw e;
            }
        }
    }

    private void printChanges(Collection<TaskInstance> tasks) {
        for (TaskInstance task : tasks.stream().sorted(dagOrder).toList()) {
            if (task.state() == TaskState.NONE) {
                continue;
            }
            String seen = task.state().label() + "#" + task.tryNumber();
            if (!seen.equals(lastSeen.put(task.label(), seen))) {
                out.println(String.format("  %-32s %-16s%s", task.label(), task.state().label(), describeTry(task))
                        .stripTrailing());
            }
        }
        out.flush();
    }

    private static String describeTry(TaskInstance task) {
        StringBuilder text = new StringBuilder();
        if (task.tryNumber() > 0) {
            text.append("try ").append(task.tryNumber()).append('/').append(task.maxTries());
        }
        task.duration().filter(d -> task.state().isFinished() && task.tryNumber() > 0)
                .ifPresent(d -> text.append(String.format(" in %.1fs", d.toMillis() / 1000.0)));
        task.nextTryAt().filter(t -> task.state() == TaskState.UP_FOR_RETRY)
                .ifPresent(t -> text.append(", next try at ").append(t));
        task.error().filter(e -> task.state() == TaskState.FAILED || task.state() == TaskState.UP_FOR_RETRY)
                .ifPresent(e -> text.append(": ").append(firstLine(e)));
        return text.toString();
    }

    private void printSummary(RunResult result) {
        List<TaskInstance> tasks = result.tasks().stream().sorted(dagOrder).toList();
        String dagId = result.run().dagId();
        String runId = result.runId();
        out.println();
        out.println("run " + runId + " of DAG " + dagId + ": " + result.state().label());
        // A mapped task's instances returned one list between them. Read in one query: a query per task read every
        // value of the run once per task.
        Map<String, String> values = runtime.returnValuesJson(dagId, runId);
        tasks.stream().map(TaskInstance::taskId).distinct().filter(values::containsKey)
                .forEach(taskId -> out.println("  " + taskId + " returned " + abbreviate(values.get(taskId))));
        if (recorded) {
            tasks.stream().filter(t -> t.state() == TaskState.FAILED).forEach(t -> out.println("  " + t.label()
                    + " failed; its log: dagctl logs " + ShellWords.quote(runId) + " " + ShellWords.quote(t.label())));
            // The run's log directory: the parent of its tasks' directories.
            tasks.stream().findFirst().ifPresent(t -> out.println("task logs in "
                    + runtime.logPath(dagId, runId, t.taskId(), 1).getParent().getParent()));
            out.println("task states: dagctl status " + ShellWords.quote(runId) + ", values: dagctl xcom "
                    + ShellWords.quote(runId));
        }
        out.flush();
    }

    static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline) + " ...";
    }

    private static String abbreviate(String json) {
        return json.length() <= MAX_VALUE_WIDTH ? json : json.substring(0, MAX_VALUE_WIDTH) + "...";
    }
}
