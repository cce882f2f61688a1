package io.dagctl.hooks.kafka;

import io.dagctl.Connections;
import io.dagctl.internal.schedule.RecordSource;
import io.dagctl.spec.Triggers.KafkaRecordsTrigger;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Reads the offsets of the topics that {@code @OnKafkaRecords} DAGs watch, through one {@link KafkaHook} per
 * connection, kept open while the scheduler runs.
 */
public final class KafkaRecordSource implements RecordSource, AutoCloseable {
    private final Connections connections;
    private final KafkaHookFactory factory = new KafkaHookFactory();
    private final Map<String, KafkaHook> hooks = new ConcurrentHashMap<>();

    public KafkaRecordSource(Connections connections) {
        this.connections = connections;
    }

    @Override
    public Map<Integer, OffsetSpan> offsets(KafkaRecordsTrigger trigger) {
        String connectionId = trigger.connectionId().orElse(factory.defaultConnectionId());
        KafkaHook hook = hooks.computeIfAbsent(connectionId, id -> factory.create(connections.get(id)));
        return hook.partitions(trigger.topic()).stream().collect(Collectors.toMap(PartitionOffsets::partition,
                p -> new OffsetSpan(p.beginning(), p.end())));
    }

    @Override
    public void close() {
        hooks.values().forEach(KafkaHook::close);
    }
}
