package io.dagctl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A task of the enclosing {@link Dag}: a plain, non-private, non-static method. Its parameters may be a
 * {@link TaskContext}, the DAG's params record, and values returned by other tasks ({@link From}, or
 * unannotated when exactly one task of the DAG returns that type). Its return value goes to XCom.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Task {
    /** The task id; defaults to the method name in snake case ({@code extractFeatures} → {@code extract_features}). */
    String id() default "";

    /** Tasks this one runs after without taking their values. */
    String[] after() default {};

    /**
     * When the task runs given how its upstream tasks ended (see {@link TriggerRule}). Under any rule but
     * {@code ALL_SUCCESS}, a parameter bound to an upstream task that did not succeed receives {@code null}.
     */
    TriggerRule triggerRule() default TriggerRule.ALL_SUCCESS;

    /** Retries after the first try; -1 takes the DAG's. */
    int retries() default -1;

    /** ISO-8601 duration; empty takes the DAG's. */
    String retryDelay() default "";

    /** Doubles the delay after each try when true here or on the DAG. */
    boolean retryExponentialBackoff() default false;

    /** ISO-8601 duration; empty takes the DAG's. */
    String maxRetryDelay() default "";

    /** ISO-8601 duration after which a try is interrupted and fails; empty takes the DAG's (none by default). */
    String executionTimeout() default "";

    /**
     * The method returns {@code boolean}: {@code false} skips every task downstream of it, whatever their
     * trigger rules (Airflow's ShortCircuitOperator).
     */
    boolean shortCircuit() default false;

    /**
     * The method returns the id ({@code String}) or ids ({@code Collection<String>}) of the directly downstream
     * tasks to follow; the other direct downstream tasks are skipped (Airflow's BranchPythonOperator).
     */
    boolean branch() default false;

    /** Told when the task fails after its last try (not on a retry). Instances come from the injector. */
    Class<? extends Notifier>[] onFailure() default {};

    /** Told when a try of the task succeeds. Instances come from the injector. */
    Class<? extends Notifier>[] onSuccess() default {};

    /**
     * The pool whose slots a try holds while queued or running (Airflow's pools). {@code default_pool} has no limit
     * unless defined; other pools are defined with {@code dagctl pools set NAME SLOTS}, and a task of an undefined
     * pool waits until it is.
     */
    String pool() default "default_pool";

    /** How many of the pool's slots a try takes. */
    int poolSlots() default 1;
}
