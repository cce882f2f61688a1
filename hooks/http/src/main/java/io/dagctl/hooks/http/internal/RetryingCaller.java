package io.dagctl.hooks.http.internal;

import io.dagctl.Secrets;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes a request, retrying connection failures, 5xx and 429 with exponential backoff, and waiting as long as a
 * {@code Retry-After} header asks (up to the policy's limit). Logs name the target as the caller describes it, so
 * that a secret URL is never printed.
 */
public final class RetryingCaller {
    private static final Logger LOG = LoggerFactory.getLogger(RetryingCaller.class);

    private final OkHttpClient client;
    private final RetryPolicy policy;

    public RetryingCaller(OkHttpClient client, RetryPolicy policy) {
        this.client = client;
        this.policy = policy;
    }

    /**
     * The first response that is not worth retrying, or the last one; the caller closes it.
     *
     * @param target how to name the request in logs and errors, e.g. "GET https://host/path?token=***"
     * @throws IOException when every attempt failed to get a response; its message names {@code target}
     */
    public Response execute(Request request, String target) throws IOException {
        for (int attempt = 1; ; attempt++) {
            Duration wait;
            try {
                Response response = client.newCall(request).execute();
                if (!retryable(response.code()) || attempt == policy.maxAttempts()) {
                    return response;
                }
                wait = retryAfter(response).orElse(policy.backoff(attempt));
                LOG.warn("{} returned HTTP {}; retrying in {} ms (attempt {} of {})", target, response.code(),
                        wait.toMillis(), attempt + 1, policy.maxAttempts());
                response.close();
            } catch (IOException e) {
                String reason = Secrets.mask(e.getClass().getSimpleName() + ": " + e.getMessage());
                if (attempt == policy.maxAttempts()) {
                    throw new IOException(target + " failed after " + attempt + " attempts: " + reason, e);
                }
                wait = policy.backoff(attempt);
                LOG.warn("{} failed ({}); retrying in {} ms (attempt {} of {})", target, reason, wait.toMillis(),
                        attempt + 1, policy.maxAttempts());
            }
            sleep(wait, target);
        }
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
