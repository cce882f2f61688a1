package io.dagctl.hooks.http.internal;

import io.dagctl.ConnectionUri;
import io.dagctl.Secrets;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes a request, retrying connection failures, 5xx and 429 with exponential backoff, and waiting as long as a
 * {@code Retry-After} header asks (up to the policy's limit). The whole request, retries, waits and the reading of
 * the response body included, ends by a deadline ({@value #DEADLINE_EXTRA} of the connection, 5 minutes by default),
 * however slowly a server answers; an interrupt of the calling thread (a task's execution timeout) ends it at once.
 * Logs name the target as the caller describes it, so that a secret URL is never printed.
 */
public final class RetryingCaller {
    private static final Logger LOG = LoggerFactory.getLogger(RetryingCaller.class);

    /** The connection query option that sets the deadline of each request, in milliseconds. */
    public static final String DEADLINE_EXTRA = "deadline_ms";
    public static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(5);

    private final OkHttpClient client;
    private final RetryPolicy policy;
    private final Duration deadline;

    /** {@code client} is watched by {@link CancelOnInterrupt} here. */
    public RetryingCaller(OkHttpClient client, RetryPolicy policy, Duration deadline) {
        this.client = CancelOnInterrupt.watching(client);
        this.policy = policy;
        this.deadline = deadline;
    }

    /**
     * The deadline a connection asks for with {@value #DEADLINE_EXTRA}, or {@link #DEFAULT_DEADLINE}.
     *
     * @throws IllegalArgumentException naming the connection when the value is not a positive whole number
     */
    public static Duration deadline(ConnectionUri connection) {
        return Duration.ofMillis(positiveIntExtra(connection, DEADLINE_EXTRA, (int) DEFAULT_DEADLINE.toMillis()));
    }

    /** A query option that must be a positive whole number. */
    public static int positiveIntExtra(ConnectionUri connection, String name, int fallback) {
        Optional<String> value = connection.extra(name);
        try {
            int parsed = value.map(Integer::parseInt).orElse(fallback);
            if (parsed >= 1) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("connection '" + connection.id() + "': " + name + "=" + value.orElse("")
                + " is not a positive whole number");
    }

    /**
     * The first response that is not worth retrying, or the last one; the caller closes it.
     *
     * @param target how to name the request in logs and errors, e.g. "GET https://host/path?token=***"
     * @throws IOException when every attempt failed to get a response; its message names {@code target}
     */
    public Response execute(Request request, String target) throws IOException {
        long deadlineAt = System.nanoTime() + deadline.toNanos();
        for (int attempt = 1; ; attempt++) {
            Duration wait;
            try {
                Call call = client.newCall(request);
                // Spans the reading of the body too, until the caller closes the response.
                call.timeout().timeout(Math.max(1, deadlineAt - System.nanoTime()), TimeUnit.NANOSECONDS);
                Response response = call.execute();
                if (!retryable(response.code()) || attempt == policy.maxAttempts()) {
                    return response;
                }
                wait = retryAfter(response).orElse(policy.backoff(attempt));
                LOG.warn("{} returned HTTP {}; retrying in {} ms (attempt {} of {})", target, response.code(),
                        wait.toMillis(), attempt + 1, policy.maxAttempts());
                response.close();
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedIOException("interrupted during " + target);
                }
                if (System.nanoTime() - deadlineAt >= 0) {
                    throw deadlineExceeded(target);
                }
                String reason = Secrets.mask(e.getClass().getSimpleName() + ": " + e.getMessage());
                if (attempt == policy.maxAttempts()) {
                    throw new IOException(target + " failed after " + attempt + " attempts: " + reason, e);
                }
                wait = policy.backoff(attempt);
                LOG.warn("{} failed ({}); retrying in {} ms (attempt {} of {})", target, reason, wait.toMillis(),
                        attempt + 1, policy.maxAttempts());
            }
            if (System.nanoTime() + wait.toNanos() - deadlineAt >= 0) {
                throw deadlineExceeded(target);
            }
            sleep(wait, target);
        }
    }

    /** The failure of a request that reached its deadline, while waiting for a response or reading its body. */
    public InterruptedIOException deadlineExceeded(String target) {
        return new InterruptedIOException(target + " did not complete within its deadline of " + deadline.toMillis()
                + " ms (the connection's " + DEADLINE_EXTRA + " sets it)");
    }

    private static boolean retryable(int code) {
        return code >= 500 || code == 429;
    }

    /** {@code Retry-After} in seconds or as an HTTP date, capped by the policy. */
    private Optional<Duration> retryAfter(Response response) {
        String header = response.header("Retry-After");
        if (header == null) {
            return Optional.empty();
        }
        Duration asked;
        try {
            asked = Duration.ofSeconds(Long.parseLong(header.strip()));
        } catch (NumberFormatException e) {
            try {
                asked = Duration.between(Instant.now(),
                        ZonedDateTime.parse(header.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
        if (asked.isNegative()) {
            return Optional.of(Duration.ZERO);
        }
        return Optional.of(asked.compareTo(policy.maxRetryAfter()) > 0 ? policy.maxRetryAfter() : asked);
    }

    private static void sleep(Duration wait, String target) throws InterruptedIOException {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry " + target);
        }
    }
}
