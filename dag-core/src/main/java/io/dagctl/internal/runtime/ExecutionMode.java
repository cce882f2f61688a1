package io.dagctl.internal.runtime;

import java.util.Locale;

/** Who executes a triggered run (Airflow's executor setting). */
public enum ExecutionMode {
    /** The triggering process, on its threads, against H2 or PostgreSQL. */
    LOCAL,
    /** {@code dagctl worker} processes sharing a PostgreSQL metadata database. */
    WORKERS;

    static ExecutionMode parse(String variable, String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "", "local" -> LOCAL;
            case "workers" -> WORKERS;
            default -> throw new IllegalArgumentException(variable + " must be 'local' or 'workers', not '" + text
                    + "'");
        };
    }
}
