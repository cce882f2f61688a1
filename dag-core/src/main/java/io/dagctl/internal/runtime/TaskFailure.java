package io.dagctl.internal.runtime;

/** A try that fails for a reason the runtime states itself (a timeout, a bad branch, a missing value). */
final class TaskFailure extends RuntimeException {
    TaskFailure(String message) {
        super(message);
    }
}
