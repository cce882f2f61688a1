package io.dagctl.spec;

/** How the runtime treats a task's return value beyond storing it in XCom. */
public enum TaskKind {
    /** The value is only stored. */
    PLAIN,
    /** A {@code false} return skips everything downstream. */
    SHORT_CIRCUIT,
    /** The returned id(s) name the direct downstream tasks to follow; the others are skipped. */
    BRANCH
}
