package io.dagctl.internal.xcom;

/** A value that cannot go to or come from XCom; the message names the task and the reason. */
public final class XComException extends RuntimeException {
    public XComException(String message) {
        super(message);
    }
}
