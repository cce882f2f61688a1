package io.dagctl;

/** When a task may run given the states of its direct upstream tasks; Airflow's rules and names. */
public enum TriggerRule {
    ALL_SUCCESS,
    ALL_FAILED,
    ALL_DONE,
    ALL_SKIPPED,
    ONE_SUCCESS,
    ONE_FAILED,
    ONE_DONE,
    NONE_FAILED,
    NONE_SKIPPED,
    NONE_FAILED_MIN_ONE_SUCCESS,
    ALWAYS
}
