package io.dagctl.internal.xcom;

/** Whose value it is. */
public record XComKey(String dagId, String runId, String taskId) {
}
