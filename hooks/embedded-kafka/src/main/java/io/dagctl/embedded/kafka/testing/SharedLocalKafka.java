package io.dagctl.embedded.kafka.testing;

import io.dagctl.embedded.kafka.LocalKafka;

/**
 * One ephemeral {@link LocalKafka} per JVM for tests: started on first use, stopped at exit, so that test classes
 * share a broker instead of each paying for a start.
 */
public final class SharedLocalKafka {
    private static LocalKafka instance;

    private SharedLocalKafka() {
    }

    public static synchronized LocalKafka instance() {
        if (instance == null) {
            instance = LocalKafka.startEphemeral();
        }
        return instance;
    }

    /** {@code kafka://127.0.0.1:<port>} of the shared broker. */
    public static String connectionUri() {
        return instance().connectionUri();
    }
}
