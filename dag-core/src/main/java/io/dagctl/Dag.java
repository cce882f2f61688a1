package io.dagctl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a class as a DAG: its {@link Task} methods are the tasks, and the parameters of those methods
 * are the edges. Durations are ISO-8601 ({@code PT30S}); an empty string means "not set".
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Dag {
    /** The DAG id, unique among discovered DAGs: lower snake case, e.g. {@code airbnb_user_bookings}. */
    String id();

    /** One line saying what the DAG does, shown by {@code dagctl list} and {@code dagctl show}. */
    String description() default "";

    /** A five-field cron expression, a preset ({@code @daily}, {@code @weekly}, ...) or empty for manual runs only. */
    String schedule() default "";

    /** The time zone the schedule is read in. */
    String timezone() default "UTC";

    /** The first logical date the scheduler considers, ISO-8601 ({@code 2011-01-01}); empty means "from now". */
    String startDate() default "";

    /**
     * The last logical date the scheduler creates a run for, ISO-8601 ({@code 2011-12-31}, midnight in
     * {@link #timezone()}); empty means no end.
     */
    String endDate() default "";

    /** Whether the scheduler creates the runs missed since {@link #startDate()} or only the latest. */
    boolean catchup() default false;

    /** Labels for people ({@code dagctl list} shows them); they change nothing in how the DAG runs. */
    String[] tags() default {};

    /**
     * A record whose components are the run parameters. Components annotated {@link Param} with a default are
     * optional; the canonical constructor may validate across components (start before end) by throwing
     * {@link IllegalArgumentException}. A task receives the record by declaring a parameter of its type.
     */
    Class<? extends Record> params() default NoParams.class;

    /** How many runs of the DAG may be running at once; more wait queued. */
    int maxActiveRuns() default 16;

    /** How many tries of the DAG's tasks, across all its runs, may be queued or running at once. */
    int maxActiveTasks() default 16;

    /** Default retry policy of the tasks: retries after the first try; a task may override each part. */
    int retries() default 0;

    /** The wait before a retry, ISO-8601. */
    String retryDelay() default "PT5M";

    /** Doubles the delay after each retry, up to {@link #maxRetryDelay()}. */
    boolean retryExponentialBackoff() default false;

    /** The cap of an exponentially growing delay. */
    String maxRetryDelay() default "PT24H";

    /** ISO-8601 duration after which a try of any task is interrupted and fails; empty means none. */
    String executionTimeout() default "";

    /** Told when a run ends failed. Instances come from the injector. */
    Class<? extends Notifier>[] onFailure() default {};

    /** Told when a run ends successfully. */
    Class<? extends Notifier>[] onSuccess() default {};

    /** The params of a DAG that declares none. */
    record NoParams() {
    }
}
