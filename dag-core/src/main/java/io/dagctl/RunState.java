package io.dagctl;

import java.util.Locale;

/** The state of a DAG run; Airflow's states and names. */
public enum RunState {
    QUEUED,
    RUNNING,
    SUCCESS,
    FAILED;

    public boolean isFinished() {
        return this == SUCCESS || this == FAILED;
    }

    /** The lower case name stored and printed. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RunState ofLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
