package io.dagctl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the annotated {@link Dag} once per micro-batch of the records of a Kafka topic: a batch is cut when
 * {@link #maxRecords()} records wait, or when the oldest waiting record has waited {@link #maxWait()}. The run's
 * params carry the batch ({@link KafkaBatch}: the topic and, per partition, the first and last offset), which its
 * tasks read by offset, so a retry or a clear reads exactly the same records. The offsets a run covers are recorded
 * in the metadata database before its run is made, so each offset belongs to exactly one run across restarts and
 * schedulers sharing a database. Batches are made in offset order; with {@code @Dag(maxActiveRuns = 1)} they also
 * run in that order, and a failed batch holds the later ones back until it succeeds (cleared and rerun) or is
 * skipped.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface OnKafkaRecords {
    String topic();

    /** The most records one run covers. */
    int maxRecords() default 500;

    /** How long waiting records wait for a full batch before a smaller one is cut, ISO-8601. */
    String maxWait() default "PT5S";

    /** The Kafka connection to read offsets with; empty means the Kafka hook's default ({@code kafka_default}). */
    String connection() default "";

    /** The {@code String} param that receives the topic. */
    String topicParam() default "topic";

    /** The {@code String} param that receives the offsets, as {@link KafkaBatch#offsets()} writes them. */
    String offsetsParam() default "offsets";
}
