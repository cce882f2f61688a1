package io.dagctl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Describes a component of a DAG's params record. Without a default value the parameter is required. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER})
public @interface Param {
    /** The default in the same text form as {@code -p name=value}; {@link #NONE} makes the parameter required. */
    String defaultValue() default NONE;

    /** What the parameter means, shown by {@code dagctl show}. */
    String description() default "";

    /** The value of {@link #defaultValue()} that means "no default"; not a text anyone would give. */
    String NONE = "\u0000no default";
}
