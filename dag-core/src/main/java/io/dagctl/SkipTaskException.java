package io.dagctl;

/**
 * Thrown by a task to end its try as skipped (Airflow's {@code AirflowSkipException}): nothing to do this time, which
 * is neither a success nor a failure. The task leaves no value in XCom and is not retried; its downstream tasks are
 * decided by their trigger rules as after a branch that skips (with {@link TriggerRule#ALL_SUCCESS}, they are
 * skipped too). The message goes to the try's log.
 */
public class SkipTaskException extends RuntimeException {
    public SkipTaskException(String message) {
        super(message);
    }
}
