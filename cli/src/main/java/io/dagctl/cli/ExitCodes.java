package io.dagctl.cli;

/** dagctl's documented exit codes. */
final class ExitCodes {
    static final int OK = 0;
    /** A run, or a task under {@code dagctl test}, failed. */
    static final int RUN_FAILED = 1;
    /** A usage error, an unknown DAG, task or run, or a DAG definition error. */
    static final int USAGE = 2;
    /** Stopped by Ctrl-C (SIGINT) or SIGTERM before the run ended; the shell's 128 + SIGINT. */
    static final int STOPPED = 130;

    private ExitCodes() {
    }
}
