package io.dagctl.spec;

import java.time.Duration;

/** How often and when a failed task is tried again. {@code retries} counts the tries after the first. */
public record RetryPolicy(int retries, Duration delay, boolean exponentialBackoff, Duration maxDelay) {

    public RetryPolicy {
        if (retries < 0) {
            throw new IllegalArgumentException("retries must not be negative: " + retries);
        }
    }

    /** All tries, the first included. */
    public int maxTries() {
        return retries + 1;
    }

    /**
     * The wait before try {@code nextTry} (2 for the first retry): the delay, doubled for each earlier retry when
     * backing off exponentially, never above {@code maxDelay}.
     */
    public Duration delayBefore(int nextTry) {
        if (!exponentialBackoff) {
            return delay;
        }
        int doublings = Math.max(0, Math.min(nextTry - 2, 62));
        long millis = delay.toMillis();
        long grown = millis > (Long.MAX_VALUE >> doublings) ? Long.MAX_VALUE : millis << doublings;
        return Duration.ofMillis(Math.min(grown, maxDelay.toMillis()));
    }
}
