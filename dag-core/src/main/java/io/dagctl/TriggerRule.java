package io.dagctl;

/**
 * When a task may run given the states of its direct upstream tasks; Airflow's rules and names. A task whose rule
 * can no longer be met ends without running, {@code skipped} or {@code upstream_failed} as each rule says; "failed"
 * below counts {@code failed} and {@code upstream_failed} upstream tasks alike.
 *
 * <p>Under any rule but {@link #ALL_SUCCESS} a task may run although an upstream task did not succeed: a parameter
 * bound to that task's value then receives {@code null}, so it must not be a primitive (a compile-time error).
 */
public enum TriggerRule {
    /** Runs when every upstream task succeeded (the default). Upstream_failed as soon as one failed; skipped when one was skipped. */
    ALL_SUCCESS,
    /** Runs when every upstream task failed. Skipped when one succeeded or was skipped. */
    ALL_FAILED,
    /** Runs when every upstream task is done, whatever its state. Never skipped or upstream_failed by its rule. */
    ALL_DONE,
    /** Runs when every upstream task was skipped. Skipped when one succeeded or failed. */
    ALL_SKIPPED,
    /**
     * Runs as soon as one upstream task succeeded. Once all are done without a success: skipped when all were
     * skipped, upstream_failed otherwise.
     */
    ONE_SUCCESS,
    /** Runs as soon as one upstream task failed. Skipped when all are done without a failure. */
    ONE_FAILED,
    /** Runs as soon as one upstream task succeeded or failed. Skipped when all are done and all were skipped. */
    ONE_DONE,
    /** Runs when every upstream task is done and none failed (skipped ones allowed). Upstream_failed as soon as one failed. */
    NONE_FAILED,
    /** Runs when every upstream task is done and none was skipped. Skipped as soon as one was skipped. */
    NONE_SKIPPED,
    /**
     * Runs when every upstream task is done, none failed and at least one succeeded (Airflow's usual rule after a
     * branch). Upstream_failed as soon as one failed; skipped when all were skipped.
     */
    NONE_FAILED_MIN_ONE_SUCCESS,
    /** Runs at once, whatever its upstream tasks do. Never skipped or upstream_failed by its rule. */
    ALWAYS
}
