package io.dagctl.hooks.http;

import io.dagctl.RetryAdvice;
import java.io.IOException;

/**
 * A server answered with an error status; the message names the (masked) URL and the status. A 4xx other than 408
 * and 429 (404, 403...) fails the task without retry: another try would ask the same.
 */
public final class HttpStatusException extends IOException implements RetryAdvice {
    private final int status;

    public HttpStatusException(String message, int status) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    @Override
    public boolean worthRetrying() {
        return RetryAdvice.worthRetryingStatus(status);
    }
}
