package io.dagctl.internal.schedule;

import io.dagctl.spec.Triggers.KafkaRecordsTrigger;
import java.util.Map;

/**
 * Tells which offsets a watched topic holds. dag-core knows no Kafka client; the CLI supplies one backed by the
 * Kafka hook.
 */
public interface RecordSource {
    /**
     * Per partition of the trigger's topic, the offsets it holds: the ends as they are now; the partitions and their
     * beginnings may be up to a second old, since they change seldom and asking for them too would triple the
     * broker's questions at each pass.
     */
    Map<Integer, OffsetSpan> offsets(KafkaRecordsTrigger trigger);

    /** A partition holds records {@code beginning} to {@code end - 1}; {@code end} is the next record's offset. */
    record OffsetSpan(long beginning, long end) {
    }

    /** For schedulers that watch no topic. */
    RecordSource NONE = trigger -> {
        throw new IllegalStateException("no Kafka connection is configured to read topic " + trigger.topic());
    };
}
