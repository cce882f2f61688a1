package io.dagctl.cli;

/** dagctl's documented exit codes. */
final class ExitCodes {
    static final int OK = 0;
    /** A run, or a task under {@code dagctl test}, failed. */
    static final int RUN_FAILED = 1;
    /** A usage error, an unknown DAG, task or run, or a DAG definition error. */
    static final int USAGE = 2;

    private ExitCodes() {
    }
}
