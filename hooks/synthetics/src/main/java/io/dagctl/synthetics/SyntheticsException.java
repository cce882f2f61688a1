package io.dagctl.synthetics;

import io.dagctl.Secrets;
import java.util.OptionalInt;

/** A call to the synthetics service failed, or a model did not complete. The message never holds a secret. */
public final class SyntheticsException extends RuntimeException {
    private final int httpStatus;

    public SyntheticsException(String message) {
        this(message, -1, null);
    }

    public SyntheticsException(String message, int httpStatus, Throwable cause) {
        super(Secrets.mask(message), cause);
        this.httpStatus = httpStatus;
    }

    /** The HTTP status the service answered with, when it answered. */
    public OptionalInt httpStatus() {
        return httpStatus < 0 ? OptionalInt.empty() : OptionalInt.of(httpStatus);
    }
}
