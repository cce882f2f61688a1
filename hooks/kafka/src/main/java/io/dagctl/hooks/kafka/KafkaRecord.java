package io.dagctl.hooks.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * A record read back from a partition.
 *
 * @param key the key's bytes, or null when the record has none
 * @param value the value's bytes, or null for a tombstone
 * @param headers header names and their values as UTF-8 text
 */
public record KafkaRecord(String topic, int partition, long offset, Instant timestamp, byte[] key, byte[] value,
        Map<String, String> headers) {

    /** The key as UTF-8 text, or null. */
    public String keyAsString() {
        return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }

    /** The value as UTF-8 text, or null. */
    public String valueAsString() {
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    /** {@code topic/partition@offset}, how errors name a record. */
    public String position() {
        return topic + "/" + partition + "@" + offset;
    }
}
