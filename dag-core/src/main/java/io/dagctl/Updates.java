package io.dagctl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The assets a {@link Task} updates (Airflow's outlets): each success of the task is an update of each asset, and
 * DAGs scheduled {@link OnAssetUpdates on them} run after it. A failed or skipped task updates nothing.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Updates {
    /** Asset URIs: {@code scheme://rest}, e.g. {@code s3://bike-sharing/model.json}. */
    String[] value();
}
