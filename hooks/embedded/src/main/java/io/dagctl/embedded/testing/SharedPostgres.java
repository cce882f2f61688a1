package io.dagctl.embedded.testing;

import io.dagctl.embedded.LocalPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One ephemeral PostgreSQL per test JVM, started on first use and stopped when the JVM exits: tests share the
 * server (a start costs about a second) and isolate themselves with {@link #freshDatabase(String)}.
 */
public final class SharedPostgres {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static LocalPostgres server;

    private SharedPostgres() {
    }

    public static synchronized LocalPostgres server() {
        if (server == null || !server.isRunning()) {
            try {
                server = LocalPostgres.startEphemeral();
            } catch (IOException e) {
                throw new UncheckedIOException("could not start the shared test PostgreSQL: " + e.getMessage(), e);
            }
        }
        return server;
    }

    /** A new empty database on the shared server, named {@code <prefix>_<n>}; returns its connection URI. */
    public static String freshDatabase(String prefix) {
        return server().createDatabase(prefix + "_" + DATABASES.incrementAndGet());
    }
}
