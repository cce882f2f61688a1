package io.dagctl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Maps the task over the list returned by the named upstream task (Airflow's {@code expand}): the task runs once per
 * element, as instances {@code task[0]}, {@code task[1]}, ..., each receiving its element in this parameter, whose
 * type is the list's element type. The task's other parameters bind as usual and are the same for every instance
 * (Airflow's {@code partial}). An empty list skips the task. A downstream task receives the instances' values as a
 * {@code List} in index order, through a parameter annotated {@link From}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Expand {
    /** The upstream task id; it returns a {@code List} (or another {@code Collection}) of this parameter's type. */
    String value();
}
