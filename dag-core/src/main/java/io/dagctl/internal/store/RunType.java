package io.dagctl.internal.store;

import java.util.Locale;

/** Why a run exists, as Airflow's run types say it; each has the run-id prefix of the same name. */
public enum RunType {
    /** A user asked for it: {@code dagctl trigger}. */
    MANUAL,
    /** The DAG's time schedule asked for it, once its data interval ended. */
    SCHEDULED,
    /** {@code dagctl backfill} created it for an interval the schedule had not run. */
    BACKFILL,
    /** Assets the DAG is scheduled on were updated. */
    ASSET_TRIGGERED,
    /** A run of the DAG it watches ended in the watched state, and the condition held. */
    DAG_TRIGGERED,
    /** A new object appeared under the prefix it watches. */
    OBJECT_TRIGGERED,
    /** Records arrived on the Kafka topic it watches: the run covers one micro-batch of them. */
    KAFKA_TRIGGERED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RunType ofLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
