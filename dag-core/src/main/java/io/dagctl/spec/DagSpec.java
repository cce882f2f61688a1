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
 * {@code endDate} is the last logical date the scheduler creates a run for; {@code triggers} what else starts the DAG.
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
        List<TaskSpec> tasks,
        Optional<LocalDate> endDate,
        Triggers triggers,
        int maxActiveTasks) {

    /** Airflow's default for both {@code maxActiveRuns} and {@code maxActiveTasks}. */
    public static final int DEFAULT_MAX_ACTIVE = 16;

    public DagSpec {
        tags = List.copyOf(tags);
        onFailure = List.copyOf(onFailure);
        onSuccess = List.copyOf(onSuccess);
        tasks = List.copyOf(tasks);
    }

    /** A DAG with the default limit of active tasks. */
    public DagSpec(String id, Class<?> dagClass, String description, String schedule, ZoneId timezone,
            Optional<LocalDate> startDate, boolean catchup, List<String> tags, ParamsSpec params, int maxActiveRuns,
            RetryPolicy defaultRetry, Optional<Duration> executionTimeout, List<Class<? extends Notifier>> onFailure,
            List<Class<? extends Notifier>> onSuccess, List<TaskSpec> tasks, Optional<LocalDate> endDate,
            Triggers triggers) {
        this(id, dagClass, description, schedule, timezone, startDate, catchup, tags, params, maxActiveRuns,
                defaultRetry, executionTimeout, onFailure, onSuccess, tasks, endDate, triggers, DEFAULT_MAX_ACTIVE);
    }

    /** A DAG that only a time schedule or a user starts, and whose schedule does not end. */
    public DagSpec(String id, Class<?> dagClass, String description, String schedule, ZoneId timezone,
            Optional<LocalDate> startDate, boolean catchup, List<String> tags, ParamsSpec params, int maxActiveRuns,
            RetryPolicy defaultRetry, Optional<Duration> executionTimeout, List<Class<? extends Notifier>> onFailure,
            List<Class<? extends Notifier>> onSuccess, List<TaskSpec> tasks) {
        this(id, dagClass, description, schedule, timezone, startDate, catchup, tags, params, maxActiveRuns,
                defaultRetry, executionTimeout, onFailure, onSuccess, tasks, Optional.empty(), Triggers.NONE);
    }

    /**
     * Whether the batches of a Kafka-triggered DAG limited to one run at a time run in offset order: each starts only
     * once the batch before it has succeeded or was skipped, so a failed batch holds the later ones back.
     */
    public boolean runsBatchesInOrder() {
        return triggers.kafkaRecords().isPresent() && maxActiveRuns == 1;
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
