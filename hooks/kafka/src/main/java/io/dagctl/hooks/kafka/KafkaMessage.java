package io.dagctl.hooks.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A message to produce: an optional key (which picks the partition), a value, and headers. Text is sent as UTF-8.
 *
 * @param key the record key, or null for none
 * @param value the record value's bytes
 * @param headers header names and their UTF-8 values, in order
 */
public record KafkaMessage(String key, byte[] value, Map<String, String> headers) {
    public KafkaMessage {
        Objects.requireNonNull(value, "value");
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** A message with a text value and no headers. */
    public static KafkaMessage of(String key, String value) {
        return new KafkaMessage(key, value.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** This message with one more header. */
    public KafkaMessage withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new KafkaMessage(key, this.value, more);
    }
}
