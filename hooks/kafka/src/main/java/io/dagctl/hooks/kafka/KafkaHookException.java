package io.dagctl.hooks.kafka;

/** A Kafka operation failed; the message names the topic (and partition) and the connection, never a secret. */
public final class KafkaHookException extends RuntimeException {
    public KafkaHookException(String message, Throwable cause) {
        super(message, cause);
    }

    public KafkaHookException(String message) {
        super(message);
    }
}
