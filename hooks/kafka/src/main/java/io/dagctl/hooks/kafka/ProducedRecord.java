package io.dagctl.hooks.kafka;

/** Where the broker stored a produced message. */
public record ProducedRecord(String topic, int partition, long offset) {
}
