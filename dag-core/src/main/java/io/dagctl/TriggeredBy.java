package io.dagctl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the annotated {@link Dag} when a run of another DAG ends in {@link #state()} and {@link #when()} holds on the
 * values that run's tasks returned (Kestra's flow trigger). Values of that run are passed on as params.
 *
 * <p>Paths name a task of the other DAG and the fields of its return value: {@code detect_drift.datasetDrift}.
 * A condition is a path (true when the value is {@code true}), {@code !path}, or {@code path == literal} /
 * {@code path != literal} with a JSON literal ({@code true}, {@code 3}, {@code "text"}, {@code null}); an empty
 * condition always holds.
 *
 * <pre>{@code
 * @TriggeredBy(dag = "detect_data_drift", when = "detect_drift.datasetDrift",
 *         params = "driftReport = detect_drift.htmlReport")
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface TriggeredBy {
    /** The id of the DAG whose runs are watched. */
    String dag();

    /** The end state of the watched run that triggers. */
    RunState state() default RunState.SUCCESS;

    /** The condition on the watched run's values (see above); empty always holds. */
    String when() default "";

    /** {@code param = path}: a param of this DAG set from a value of the watched run (its JSON text, unquoted). */
    String[] params() default {};
}
