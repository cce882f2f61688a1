package io.dagctl.hooks.kafka;

/**
 * The offsets a partition holds now: records {@code beginning} to {@code end - 1} can be read ({@code end} is the
 * offset the next record will get).
 */
public record PartitionOffsets(String topic, int partition, long beginning, long end) {
    /** How many records the partition holds. */
    public long records() {
        return end - beginning;
    }
}
