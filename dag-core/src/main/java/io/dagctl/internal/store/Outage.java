package io.dagctl.internal.store;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;

/**
 * What a long-lived process (worker, scheduler, a command following a run) does when the metadata database goes
 * away: it says so in one line, waits a backoff that doubles up to a cap between attempts, and says in one line
 * that the database is back at the first call that succeeds again. Other failures are logged each time, with their
 * stack trace, since they are not expected to heal.
 */
public final class Outage {
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

    private final Logger log;
    private final String who;
    private final Duration cap;
    private Instant since;
    /** When the database was reached again after the last outage; the epoch when there was none. */
    private Instant reachableSince = Instant.EPOCH;
    private Duration backoff = FIRST_BACKOFF;

    /**
     * @param who how the log lines name the process, e.g. {@code "Worker host:12:1"}
     * @param cap the longest wait between two attempts
     */
    public Outage(Logger log, String who, Duration cap) {
        this.log = log;
        this.who = who;
        this.cap = cap;
    }

    /** Whether {@code e} says the database cannot be reached (down, restarting, or the connection was cut). */
    public static boolean isConnectionFailure(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException || cause instanceof ConnectException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                // 08: connection exception; 57P01-03: admin shutdown, crash shutdown, cannot connect now.
                if (state.startsWith("08") || state.startsWith("57P0")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether the database has been reachable, as far as calls tell, for at least {@code period} since the end of the
     * last outage (always, when there was none).
     */
    public synchronized boolean reachableFor(Duration period) {
        return since == null && !reachableSince.plus(period).isAfter(Instant.now());
    }

    /**
     * Records a failed call and returns how long to wait before the next one: the first failure of an outage is
     * logged in one line, the following ones not at all.
     */
    public synchronized Duration failed(String doing, RuntimeException e) {
        if (!isConnectionFailure(e)) {
            log.error("{} could not {}; trying again in {} ms", who, doing, cap.toMillis(), e);
            return cap;
        }
        if (since == null) {
            since = Instant.now();
            log.warn("{} lost the metadata database ({}); trying again every {} s at most until it is back", who,
                    rootMessage(e), cap.toMillis() / 1000.0);
        }
        Duration wait = backoff;
        backoff = backoff.multipliedBy(2).compareTo(cap) > 0 ? cap : backoff.multipliedBy(2);
        return wait;
    }

    /** Records a call that succeeded, logging the end of an outage. */
    public synchronized void succeeded() {
        if (since != null) {
            reachableSince = Instant.now();
            log.warn("{} reached the metadata database again after {} s", who,
                    Duration.between(since, reachableSince).toMillis() / 1000.0);
            since = null;
        }
        backoff = FIRST_BACKOFF;
    }

    /** {@link #failed}, then sleeps the backoff. */
    public void failedThenWait(String doing, RuntimeException e) throws InterruptedException {
        Thread.sleep(failed(doing, e).toMillis());
    }

    /** The message of the innermost cause of {@code e}, or its class name when it has none. */
    public static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
