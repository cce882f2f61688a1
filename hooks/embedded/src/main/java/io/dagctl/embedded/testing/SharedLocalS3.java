package io.dagctl.embedded.testing;

import io.dagctl.embedded.LocalS3;

/**
 * One ephemeral {@link LocalS3} per JVM for tests: started on first use, stopped at exit, so that test classes in
 * any module share a server instead of each paying for a start.
 */
public final class SharedLocalS3 {
    private static LocalS3 instance;

    private SharedLocalS3() {
    }

    public static synchronized LocalS3 instance() {
        if (instance == null) {
            LocalS3 started = LocalS3.startEphemeral();
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "local-s3-shutdown"));
            instance = started;
        }
        return instance;
    }

    /** A connection URI whose default bucket is {@code bucket}, created if missing. */
    public static String connectionUri(String bucket) {
        return instance().connectionUri(bucket);
    }
}
