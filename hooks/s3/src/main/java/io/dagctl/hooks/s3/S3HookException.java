package io.dagctl.hooks.s3;

/** An S3 operation failed; the message names the object or bucket and the connection, never a secret. */
public final class S3HookException extends RuntimeException {
    public S3HookException(String message, Throwable cause) {
        super(message, cause);
    }

    public S3HookException(String message) {
        super(message);
    }
}
