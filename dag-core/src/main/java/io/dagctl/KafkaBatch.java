package io.dagctl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The records of a topic that one run of an {@link OnKafkaRecords} DAG covers: per partition, an offset range.
 * Its params carry it as two strings, the topic and {@link #offsets()}; {@link #parse} reads them back.
 *
 * @param ranges one per partition, in partition order
 */
public record KafkaBatch(String topic, List<OffsetRange> ranges) {
    public KafkaBatch {
        ranges = ranges.stream().sorted(Comparator.comparingInt(OffsetRange::partition)).toList();
    }

    /** Offsets {@code first} to {@code last} of a partition, both included. */
    public record OffsetRange(int partition, long first, long last) {
        public OffsetRange {
            if (partition < 0 || first < 0 || last < first) {
                throw new IllegalArgumentException("partition " + partition + " offsets " + first + "-" + last
                        + " are not a range: partition and offsets must be at least 0, the first at most the last");
            }
        }

        public long records() {
            return last - first + 1;
        }
    }

    /** {@code 0:0-63,1:12-40}: partition, colon, first and last offset; partitions apart by commas. */
    public String offsets() {
        return ranges.stream().map(r -> r.partition() + ":" + r.first() + "-" + r.last())
                .collect(Collectors.joining(","));
    }

    /** How many offsets the batch spans (records, unless compaction or transactions left gaps). */
    public long records() {
        return ranges.stream().mapToLong(OffsetRange::records).sum();
    }

    /**
     * Reads a batch back from its params.
     *
     * @throws IllegalArgumentException quoting the offsets, when they are not in the form {@link #offsets()} writes
     */
    public static KafkaBatch parse(String topic, String offsets) {
        List<OffsetRange> ranges = new ArrayList<>();
        for (String range : offsets.split(",")) {
            try {
                int colon = range.indexOf(':');
                int dash = range.indexOf('-', colon + 1);
                ranges.add(new OffsetRange(Integer.parseInt(range.substring(0, colon).strip()),
                        Long.parseLong(range.substring(colon + 1, dash).strip()),
                        Long.parseLong(range.substring(dash + 1).strip())));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("offsets '" + offsets + "' of topic " + topic
                        + " are not partition:first-last ranges apart by commas, e.g. 0:0-63,1:12-40", e);
            }
        }
        return new KafkaBatch(topic, ranges);
    }
}
