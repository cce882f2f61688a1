package io.dagctl;

import java.util.Locale;

/** The state of a task instance in a run; Airflow's states and names ({@code up_for_retry}, ...). */
public enum TaskState {
    /** Not yet considered: its upstream tasks have not decided it. */
    NONE,
    /** Its trigger rule is met; it waits for a free slot. */
    SCHEDULED,
    /** Handed to an executor: it waits for a worker to take it. */
    QUEUED,
    RUNNING,
    SUCCESS,
    FAILED,
    /** A try failed and another one is due at {@code next_try_at}. */
    UP_FOR_RETRY,
    /** Not run because its upstream tasks failed. */
    UPSTREAM_FAILED,
    SKIPPED;

    /** Whether the task will not change any more (until cleared). */
    public boolean isFinished() {
        return this == SUCCESS || this == FAILED || this == UPSTREAM_FAILED || this == SKIPPED;
    }

    /** The lower snake case name stored and printed: {@code up_for_retry}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TaskState ofLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
