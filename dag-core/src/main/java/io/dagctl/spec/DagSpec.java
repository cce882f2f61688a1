package io.dagctl.spec;

import io.dagctl.Notifier;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A DAG as read from its class, without running any of its code: what {@code dagctl list/show} need, and what
 * the runtime executes. Tasks are in a topological order (upstream before downstream, ties by declaration order).
 */
public record DagSpec(
        String id,
        Class<?> dagClass,
        String description,
        String schedule,
        ZoneId timezone,
        Optional<LocalDate> startDate,
        boolean catchup,
        List<String> tags,
        ParamsSpec params,
        int maxActiveRuns,
        RetryPolicy defaultRetry,
        Optional<Duration> executionTimeout,
        List<Class<? extends Notifier>> onFailure,
        List<Class<? extends Notifier>> onSuccess,
        List<TaskSpec> tasks) {

    public DagSpec {
        tags = List.copyOf(tags);
        onFailure = List.copyOf(onFailure);
        onSuccess = List.copyOf(onSuccess);
        tasks = List.copyOf(tasks);
    }

    public Optional<TaskSpec> findTask(String taskId) {
        return tasks.stream().filter(t -> t.id().equals(taskId)).findFirst();
    }

    public TaskSpec task(String taskId) {
        return findTask(taskId).orElseThrow(() -> new NoSuchElementException("DAG " + id + " has no task " + taskId));
    }

    public Map<String, TaskSpec> tasksById() {
        return tasks.stream().collect(Collectors.toMap(TaskSpec::id, Function.identity()));
    }

    /** The ids of the tasks directly downstream of {@code taskId}. */
    public Set<String> downstream(String taskId) {
        return tasks.stream().filter(t -> t.upstream().contains(taskId)).map(TaskSpec::id)
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }
}
