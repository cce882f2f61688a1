package io.dagctl.internal.schedule;

/**
 * Named points of the scheduler where a crash test stops the JVM as {@code kill -9} does, with no shutdown hook and
 * nothing flushed: started with {@code -Ddagctl.crashAt=<point>:<n>}, the scheduler halts the n-th time it reaches
 * the point. Without the property, reaching a point does nothing.
 */
public enum CrashPoint {
    /** A pass cut Kafka batches off the offsets it read; their claims and runs are not made yet. */
    KAFKA_BATCH_CUT("kafka-batch-cut"),
    /** The claims and runs of the Kafka batches a pass cut are committed; the runs may have started. */
    KAFKA_RUN_CREATED("kafka-run-created");

    public static final String PROPERTY = "dagctl.crashAt";
    /** What a crash point exits with: the status of a process killed by SIGKILL. */
    public static final int EXIT_STATUS = 137;
    private static final String CRASH_AT = System.getProperty(PROPERTY, "");

    private final String label;
    private int reached;

    CrashPoint(String label) {
        this.label = label;
    }

    /** The value of {@value #PROPERTY} that halts the JVM the {@code nth} time this point is reached. */
    public String at(int nth) {
        return label + ":" + nth;
    }

    synchronized void reach() {
        if (!CRASH_AT.startsWith(label + ":")) {
            return;
        }
        reached++;
        if (reached == Integer.parseInt(CRASH_AT.substring(label.length() + 1))) {
            Runtime.getRuntime().halt(EXIT_STATUS);
        }
    }
}
