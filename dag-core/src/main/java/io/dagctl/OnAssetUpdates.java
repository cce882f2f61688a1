package io.dagctl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Schedules the annotated {@link Dag} on assets instead of time (Airflow's data-aware scheduling): it runs once
 * every asset listed was {@link Updates updated} since its previous asset-triggered run, however many times each
 * was updated meanwhile.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface OnAssetUpdates {
    /** Asset URIs, e.g. {@code s3://bike-sharing/model.json} or {@code postgres://bike_db/current}. */
    String[] value();
}
