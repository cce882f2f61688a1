package io.dagctl.cli;

import io.dagctl.RunState;
import io.dagctl.TaskState;
import io.dagctl.internal.runtime.DagRuntime;
import io.dagctl.internal.runtime.RunResult;
import io.dagctl.internal.store.TaskInstance;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Follows a run executing in this process: prints each task's state changes as they are committed, then a summary
 * with what each task returned, and turns the run's end state into the exit code.
 */
final class RunWatcher {
    private static final Duration POLL = Duration.ofMillis(200);
    private static final int MAX_VALUE_WIDTH = 1000;

    private final DagRuntime runtime;
    private final PrintWriter out;
    private final Map<String, String> lastSeen = new HashMap<>();

    RunWatcher(DagRuntime runtime, PrintWriter out) {
        this.runtime = runtime;
        this.out = out;
    }

    /** Waits for the run while printing its progress; 0 when it succeeded, 1 otherwise. */
    int follow(String dagId, String runId, CompletableFuture<RunResult> execution) {
        RunResult result = null;
        while (result == null) {
            try {
                result = execution.get(POLL.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException stillRunning) {
                printChanges(runtime.taskInstances(dagId, runId));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException(ExitCodes.RUN_FAILED, "interrupted while waiting for run " + runId
                        + "; it stays resumable: dagctl resume " + runId);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }
        printChanges(result.tasks());
        printSummary(result);
        return result.state() == RunState.SUCCESS ? ExitCodes.OK : ExitCodes.RUN_FAILED;
    }

    private void printChanges(List<TaskInstance> tasks) {
        for (TaskInstance task : tasks) {
            if (task.state() == TaskState.NONE) {
                continue;
            }
            String seen = task.state().label() + "#" + task.tryNumber();
            if (!seen.equals(lastSeen.put(task.taskId(), seen))) {
                out.printf("  %-32s %-16s%s%n", task.taskId(), task.state().label(), describeTry(task));
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
        out.println();
        out.println("run " + result.runId() + " of DAG " + result.run().dagId() + ": " + result.state().label());
        for (TaskInstance task : result.tasks()) {
            runtime.xcomJson(task.dagId(), task.runId(), task.taskId())
                    .ifPresent(json -> out.println("  " + task.taskId() + " returned " + abbreviate(json)));
        }
        result.tasks().stream().filter(t -> t.state() == TaskState.FAILED).forEach(t -> out.println(
                "  " + t.taskId() + " failed; its log: dagctl logs " + t.runId() + " " + t.taskId()));
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
