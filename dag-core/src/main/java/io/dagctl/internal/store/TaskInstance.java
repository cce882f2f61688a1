package io.dagctl.internal.store;

import io.dagctl.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One row of {@code task_instance}: the state of a task in a run and of its latest try. {@code tryNumber} is 0
 * before the first try; {@code error} is already masked.
 */
public record TaskInstance(
        String dagId, String runId, String taskId, int mapIndex, TaskState state, int tryNumber, int maxTries,
        Optional<Instant> startDate, Optional<Instant> endDate, Optional<Duration> duration, Optional<String> error,
        Optional<Instant> nextTryAt, Optional<String> hostname, Optional<Integer> pid) {

    /** How Airflow shows an instance: {@code task}, or {@code task[2]} for the instance of element 2 of a mapped task. */
    public static String label(String taskId, int mapIndex) {
        return mapIndex < 0 ? taskId : taskId + "[" + mapIndex + "]";
    }

    public String label() {
        return label(taskId, mapIndex);
    }

    /** A task of a new run, not yet considered. */
    public static TaskInstance fresh(String dagId, String runId, String taskId, int maxTries) {
        return new TaskInstance(dagId, runId, taskId, -1, TaskState.NONE, 0, maxTries, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    public TaskInstance withState(TaskState newState) {
        return new TaskInstance(dagId, runId, taskId, mapIndex, newState, tryNumber, maxTries, startDate, endDate,
                duration, error, nextTryAt, hostname, pid);
    }

    /** Decided without running (skipped, upstream_failed): ends now, with no try. */
    public TaskInstance decided(TaskState newState, Instant at) {
        return new TaskInstance(dagId, runId, taskId, mapIndex, newState, tryNumber, maxTries,
                startDate.or(() -> Optional.of(at)), Optional.of(at), Optional.of(Duration.ZERO), Optional.empty(),
                Optional.empty(), hostname, pid);
    }

    /** The next try starts now on this host and process. */
    public TaskInstance startedTry(Instant at, String host, int processId) {
        return new TaskInstance(dagId, runId, taskId, mapIndex, TaskState.RUNNING, tryNumber + 1, maxTries,
                Optional.of(at), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(host), Optional.of(processId));
    }

    /** The current try ended at {@code at} in {@code endState}, with an error when it failed. */
    public TaskInstance endedTry(TaskState endState, Instant at, Optional<String> failure, Optional<Instant> retryAt) {
        Optional<Duration> took = startDate.map(start -> Duration.between(start, at));
        return new TaskInstance(dagId, runId, taskId, mapIndex, endState, tryNumber, maxTries, startDate,
                Optional.of(at), took, failure, retryAt, hostname, pid);
    }

    /** Airflow's clear: back to no status, with its retries granted again. */
    public TaskInstance cleared(int retries) {
        return new TaskInstance(dagId, runId, taskId, mapIndex, TaskState.NONE, tryNumber, tryNumber + retries + 1,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    public boolean hasTriesLeft() {
        return tryNumber < maxTries;
    }
}
