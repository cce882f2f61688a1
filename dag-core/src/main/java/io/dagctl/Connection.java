package io.dagctl;

import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Injects a hook configured from the named connection ({@code DAGCTL_CONN_<ID>}); a hook injected without it
 * uses its type's default connection ({@code s3_default}, ...).
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD})
public @interface Connection {
    /** The connection id, lower snake case: {@code booking_db} reads {@code DAGCTL_CONN_BOOKING_DB}. */
    String value();
}
