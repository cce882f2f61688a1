package io.dagctl.internal.store;

/** What the XCom backend stored for a task instance's return value, kept in the instance's row. */
public record XComEntry(String dagId, String runId, String taskId, int mapIndex, String key, String storedValue) {
    /** The key of a task's return value, as Airflow names it. */
    public static final String RETURN_VALUE = "return_value";

    /** The label of the task instance that returned it: {@code task} or {@code task[2]}. */
    public String label() {
        return TaskInstance.label(taskId, mapIndex);
    }

    public static XComEntry returnValue(String dagId, String runId, String taskId, String storedValue) {
        return new XComEntry(dagId, runId, taskId, -1, RETURN_VALUE, storedValue);
    }
}
