package io.dagctl.hooks.http;

import java.io.IOException;

/** A server answered with an error status; the message names the (masked) URL and the status. */
public final class HttpStatusException extends IOException {
    private final int status;

    public HttpStatusException(String message, int status) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
