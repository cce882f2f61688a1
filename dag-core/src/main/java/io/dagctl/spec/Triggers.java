package io.dagctl.spec;

import io.dagctl.RunState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What starts a DAG besides its time schedule, and the assets its tasks update. At most one of {@code assets},
 * {@code triggeredBy}, {@code newObjects} and {@code kafkaRecords} is set, and none when the DAG has a time schedule.
 *
 * @param assets the assets whose updates run the DAG; empty when it is not scheduled on assets
 * @param updates the assets each task updates on success, by task id
 */
public record Triggers(
        List<String> assets,
        Optional<CompletionTrigger> triggeredBy,
        Optional<NewObjectsTrigger> newObjects,
        Optional<KafkaRecordsTrigger> kafkaRecords,
        Map<String, List<String>> updates) {

    public static final Triggers NONE = new Triggers(List.of(), Optional.empty(), Optional.empty(), Optional.empty(),
            Map.of());

    public Triggers {
        assets = List.copyOf(assets);
        updates = Map.copyOf(updates);
    }

    /** Whether the scheduler has anything to start this DAG for. */
    public boolean isEventDriven() {
        return !assets.isEmpty() || triggeredBy.isPresent() || newObjects.isPresent() || kafkaRecords.isPresent();
    }

    /** A run of {@code dagId} ending in {@code state} with {@code when} holding; {@code params} by param name. */
    public record CompletionTrigger(
            String dagId, RunState state, Optional<XComCondition> when, Map<String, XComPath> params) {
        public CompletionTrigger {
            params = Map.copyOf(params);
        }
    }

    /** New objects under {@code s3://bucket/prefix}, listed through {@code connectionId} (empty: the default). */
    public record NewObjectsTrigger(
            String bucket, String prefix, Optional<String> connectionId, Duration every, String keyParam,
            String etagParam) {
    }

    /** Micro-batches of {@code topic}'s records, its offsets read through {@code connectionId} (empty: the default). */
    public record KafkaRecordsTrigger(
            String topic, int maxRecords, Duration maxWait, Optional<String> connectionId, String topicParam,
            String offsetsParam) {
    }
}
