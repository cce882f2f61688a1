package io.dagctl.hooks.slack;

/** A message could not be delivered; the message names the connection, never the webhook URL. */
public final class SlackException extends RuntimeException {
    public SlackException(String message, Throwable cause) {
        super(message, cause);
    }
}
