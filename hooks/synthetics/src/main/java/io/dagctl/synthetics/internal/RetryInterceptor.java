package io.dagctl.synthetics.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries a call on connect errors, 5xx and 429 with exponential backoff (half fixed, half random, so that many
 * clients do not retry in step), honouring a 429's or 503's {@code Retry-After}. A request whose body can be sent
 * once (an uploaded stream) is not retried; nor is a POST that failed after connecting, which the service may have
 * acted on. Logs name the method and path only: the API key travels in a header and never reaches a log line.
 */
public final class RetryInterceptor implements Interceptor {
    private static final Logger LOG = LoggerFactory.getLogger(RetryInterceptor.class);
    /** A Retry-After longer than this is cut short: a pipeline task should rather fail and be retried itself. */
    private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(2);

    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;

    public RetryInterceptor(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        boolean repeatable = request.body() == null || !request.body().isOneShot();
        for (int attempt = 1; ; attempt++) {
            Response response;
            try {
                response = chain.proceed(request);
            } catch (IOException e) {
                boolean notConnected = e instanceof ConnectException || e instanceof UnknownHostException
                        || e instanceof NoRouteToHostException;
                boolean retriable = repeatable && (notConnected || !request.method().equals("POST"));
                if (!retriable || attempt >= maxAttempts || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                Duration wait = backoff(attempt);
                LOG.warn("{} {} failed ({}), retrying in {} ms (attempt {} of {})", request.method(),
                        request.url().encodedPath(), e.getClass().getSimpleName(), wait.toMillis(), attempt + 1,
                        maxAttempts);
                sleep(wait);
                continue;
            }
            int code = response.code();
            if (!(code == 429 || code >= 500) || !repeatable || attempt >= maxAttempts) {
                return response;
            }
            Duration wait = retryAfter(response.header("Retry-After")).orElse(backoff(attempt));
            LOG.warn("{} {} answered {}, retrying in {} ms (attempt {} of {})", request.method(),
                    request.url().encodedPath(), code, wait.toMillis(), attempt + 1, maxAttempts);
            response.close();
            sleep(wait);
        }
    }

    Duration backoff(int attempt) {
        long exponential = initialBackoff.toMillis() << Math.min(attempt - 1, 20);
        long capped = Math.min(maxBackoff.toMillis(), exponential);
        return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
    }

    /** {@code Retry-After} in seconds or as an HTTP date. */
    static Optional<Duration> retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        Duration wait;
        try {
            wait = Duration.ofSeconds(Long.parseLong(header.strip()));
        } catch (NumberFormatException notSeconds) {
            try {
                wait = Duration.between(ZonedDateTime.now(),
                        ZonedDateTime.parse(header.strip(), DateTimeFormatter.RFC_1123_DATE_TIME));
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
        if (wait.isNegative()) {
            wait = Duration.ZERO;
        }
        return Optional.of(wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait);
    }

    private static void sleep(Duration wait) throws IOException {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry");
        }
    }
}
