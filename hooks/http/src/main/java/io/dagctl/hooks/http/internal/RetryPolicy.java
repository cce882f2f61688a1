package io.dagctl.hooks.http.internal;

import java.time.Duration;

/**
 * How often and how patiently a request is retried: attempts in all, the first backoff (doubled each time up to
 * {@code maxBackoff}), and the longest {@code Retry-After} a server may ask for.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter) {
    public static final RetryPolicy DEFAULT =
            new RetryPolicy(4, Duration.ofMillis(500), Duration.ofSeconds(10), Duration.ofMinutes(2));

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("retry policy: maxAttempts must be at least 1, was " + maxAttempts);
        }
    }

    Duration backoff(int failedAttempts) {
        long millis = initialBackoff.toMillis() << Math.min(failedAttempts - 1, 20);
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }
}
