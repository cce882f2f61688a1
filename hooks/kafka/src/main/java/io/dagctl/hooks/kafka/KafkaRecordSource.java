package io.dagctl.hooks.kafka;

import io.dagctl.Connections;
import io.dagctl.internal.schedule.RecordSource;
import io.dagctl.spec.Triggers.KafkaRecordsTrigger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads the offsets of the topics that {@code @OnKafkaRecords} DAGs watch, through one {@link KafkaHook} per
 * connection, kept open while the scheduler runs.
 */
public final class KafkaRecordSource implements RecordSource, AutoCloseable {
    /**
     * How long a topic's partitions and their beginnings are taken as read: a scheduler asks for offsets at every
     * pass, and only the ends move that often. Partitions are added, and retention moves beginnings, seldom.
     */
    private static final long PARTITIONS_READ_EVERY_NANOS = Duration.ofSeconds(1).toNanos();

    private final Connections connections;
    private final KafkaHookFactory factory = new KafkaHookFactory();
    private final Map<String, KafkaHook> hooks = new ConcurrentHashMap<>();
    /** By connection and topic, its partitions as last read in full. */
    private final Map<String, PartitionsRead> partitionsRead = new ConcurrentHashMap<>();

    public KafkaRecordSource(Connections connections) {
        this.connections = connections;
    }

    private record PartitionsRead(List<PartitionOffsets> partitions, long readAtNanos) {
    }

    @Override
    public Map<Integer, OffsetSpan> offsets(KafkaRecordsTrigger trigger) {
        String connectionId = trigger.connectionId().orElse(factory.defaultConnectionId());
        KafkaHook hook = hooks.computeIfAbsent(connectionId, id -> factory.create(connections.get(id)));
        String key = connectionId + "/" + trigger.topic();
        PartitionsRead read = partitionsRead.get(key);
        Map<Integer, OffsetSpan> offsets = new TreeMap<>();
        if (read == null || System.nanoTime() - read.readAtNanos() >= PARTITIONS_READ_EVERY_NANOS) {
            List<PartitionOffsets> partitions = hook.partitions(trigger.topic());
            partitionsRead.put(key, new PartitionsRead(partitions, System.nanoTime()));
            partitions.forEach(p -> offsets.put(p.partition(), new OffsetSpan(p.beginning(), p.end())));
            return offsets;
        }
        Map<Integer, Long> ends = hook.endOffsets(trigger.topic(),
                read.partitions().stream().map(PartitionOffsets::partition).toList());
        read.partitions().forEach(p -> offsets.put(p.partition(), new OffsetSpan(p.beginning(),
                ends.get(p.partition()))));
        return offsets;
    }

    @Override
    public void close() {
        hooks.values().forEach(KafkaHook::close);
    }
}
