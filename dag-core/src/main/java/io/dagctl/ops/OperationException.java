package io.dagctl.ops;

/**
 * A request an operation refuses, with the message every face shows as it is: the CLI on stderr (exit code 2, as for
 * any bad argument), the REST API as a problem document whose status follows {@link #kind()}.
 */
public final class OperationException extends IllegalArgumentException {
    /** Why the request was refused. */
    public enum Kind {
        /** A DAG, run, task, try or pool the request names does not exist. */
        NOT_FOUND,
        /** The request itself is malformed: an id outside its grammar, a param that does not parse. */
        INVALID,
        /** The request is well formed but the state forbids it now: a run that already ended, a run id taken. */
        CONFLICT
    }

    private final Kind kind;

    public OperationException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    static OperationException notFound(String message) {
        return new OperationException(Kind.NOT_FOUND, message);
    }

    static OperationException invalid(String message) {
        return new OperationException(Kind.INVALID, message);
    }

    static OperationException conflict(String message) {
        return new OperationException(Kind.CONFLICT, message);
    }
}
