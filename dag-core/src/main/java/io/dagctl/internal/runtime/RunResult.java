package io.dagctl.internal.runtime;

import io.dagctl.RunState;
import io.dagctl.TaskState;
import io.dagctl.internal.store.DagRun;
import io.dagctl.internal.store.TaskInstance;
import java.util.List;
import java.util.NoSuchElementException;

/** How a run ended (or stands, when it could not go on): the run and each of its task instances. */
public record RunResult(DagRun run, List<TaskInstance> tasks) {
    public RunResult {
        tasks = List.copyOf(tasks);
    }

    public String runId() {
        return run.runId();
    }

    public RunState state() {
        return run.state();
    }

    public TaskInstance task(String taskId) {
        return tasks.stream().filter(t -> t.taskId().equals(taskId)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("run " + run.runId() + " of DAG " + run.dagId()
                        + " has no task " + taskId));
    }

    public TaskState taskState(String taskId) {
        return task(taskId).state();
    }
}
