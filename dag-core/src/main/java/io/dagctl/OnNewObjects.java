package io.dagctl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the annotated {@link Dag} once per object that appears under {@code s3://bucket/prefix}: the scheduler lists
 * the prefix every {@link #every()}, and each object (a key with an ETag) it has not seen before starts one run, with
 * the key and ETag as params. Every object is taken once, across restarts and schedulers sharing a database.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface OnNewObjects {
    /** The bucket to watch. */
    String bucket();

    /** Only keys starting with this; empty for the whole bucket. */
    String prefix() default "";

    /** The S3 connection to list with; empty means the S3 hook's default ({@code s3_default}). */
    String connection() default "";

    /** How often the prefix is listed, ISO-8601. */
    String every() default "PT1M";

    /** The {@code String} param that receives the object's key. */
    String keyParam() default "key";

    /** The {@code String} param that receives the object's ETag. */
    String etagParam() default "etag";
}
