package io.dagctl.hooks.kafka;

import io.dagctl.KafkaBatch;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Produces to and reads from Kafka through one connection (see {@link KafkaHookFactory}), on the official Java
 * client. Production is idempotent (a retried send never duplicates a record) and waits for every replica in sync.
 * Reading takes an explicit offset range of one partition and no consumer group, so that a task reading its batch
 * again (a retry, a clear) gets exactly the same records.
 */
public final class KafkaHook implements AutoCloseable {
    /** How long an operation waits for the cluster before it fails (the client's default.api.timeout.ms). */
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final int READ_FETCH_MAX_WAIT_MILLIS = 10;

    /**
     * Consumers that read batches, idle between reads, by their properties: a run's hook lives as long as the run,
     * and a consumer made for each read cost more than the read (its metadata, metrics and connections).
     */
    private static final IdleConsumers IDLE_READERS = new IdleConsumers();

    private final String connectionId;
    private final Map<String, Object> clientProperties;
    private final Duration timeout;
    private KafkaProducer<String, byte[]> producer;
    private Admin admin;
    private KafkaConsumer<byte[], byte[]> offsetsConsumer;

    KafkaHook(String connectionId, Map<String, Object> clientProperties) {
        this.connectionId = connectionId;
        this.clientProperties = Map.copyOf(clientProperties);
        this.timeout = Optional.ofNullable(clientProperties.get(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG))
                .map(v -> Duration.ofMillis(Long.parseLong(v.toString()))).orElse(DEFAULT_TIMEOUT);
    }

    /** Creates a topic with this many partitions, or does nothing if it exists with as many. */
    public void createTopic(String topic, int partitions) {
        try {
            admin().createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty())))
                    .all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw failure("create topic '" + topic + "'", e);
            }
            int existing = describe(topic).partitions().size();
            if (existing != partitions) {
                throw new KafkaHookException("topic '" + topic + "' exists with " + existing + " partitions, not "
                        + partitions + " (connection '" + connectionId + "')");
            }
        } catch (InterruptedException e) {
            throw interrupted("create topic '" + topic + "'", e);
        }
    }

    /** The topics of the cluster, internal ones excluded, in name order. */
    public SortedSet<String> topics() {
        try {
            return new TreeSet<>(admin().listTopics().names().get());
        } catch (ExecutionException e) {
            throw failure("list topics", e);
        } catch (InterruptedException e) {
            throw interrupted("list topics", e);
        }
    }

    /** Each partition of the topic with the offsets it holds now, in partition order. */
    public synchronized List<PartitionOffsets> partitions(String topic) {
        List<TopicPartition> partitions = describe(topic).partitions().stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        try {
            // One consumer answers every offsets question of this hook: a scheduler asks at each pass.
            if (offsetsConsumer == null) {
                offsetsConsumer = consumer();
            }
            Map<TopicPartition, Long> beginnings = offsetsConsumer.beginningOffsets(partitions, timeout);
            Map<TopicPartition, Long> ends = offsetsConsumer.endOffsets(partitions, timeout);
            return partitions.stream()
                    .map(p -> new PartitionOffsets(topic, p.partition(), beginnings.get(p), ends.get(p)))
                    .toList();
        } catch (KafkaException e) {
            throw new KafkaHookException("offsets of topic '" + topic + "' cannot be read (connection '"
                    + connectionId + "'): " + e.getMessage(), e);
        }
    }

    /**
     * Per partition of the topic among {@code partitions}, the offset the next record will get: one question to the
     * broker, where {@link #partitions} asks three (the topic's partitions, their beginnings and their ends).
     */
    public synchronized Map<Integer, Long> endOffsets(String topic, Collection<Integer> partitions) {
        try {
            if (offsetsConsumer == null) {
                offsetsConsumer = consumer();
            }
            Map<Integer, Long> ends = new TreeMap<>();
            offsetsConsumer.endOffsets(partitions.stream().map(p -> new TopicPartition(topic, p)).toList(), timeout)
                    .forEach((partition, end) -> ends.put(partition.partition(), end));
            return ends;
        } catch (KafkaException e) {
            throw new KafkaHookException("offsets of topic '" + topic + "' cannot be read (connection '"
                    + connectionId + "'): " + e.getMessage(), e);
        }
    }

    /** Produces one message and waits until the broker has it. */
    public ProducedRecord produce(String topic, KafkaMessage message) {
        return produce(topic, List.of(message)).get(0);
    }

    /**
     * Produces the messages in order and waits until the broker has them all. Messages with the same key go to the
     * same partition, in order.
     */
    public List<ProducedRecord> produce(String topic, List<KafkaMessage> messages) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(messages.size());
        try {
            for (KafkaMessage message : messages) {
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, message.key(), message.value());
                message.headers().forEach((name, value) ->
                        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
                sent.add(producer().send(record));
            }
            producer().flush();
            List<ProducedRecord> produced = new ArrayList<>(sent.size());
            for (Future<RecordMetadata> future : sent) {
                RecordMetadata metadata = future.get();
                produced.add(new ProducedRecord(topic, metadata.partition(), metadata.offset()));
            }
            return produced;
        } catch (ExecutionException e) {
            throw failure("produce to topic '" + topic + "'", e);
        } catch (KafkaException e) {
            throw new KafkaHookException("cannot produce to topic '" + topic + "' (connection '" + connectionId
                    + "'): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            throw interrupted("produce to topic '" + topic + "'", e);
        }
    }

    /**
     * The records of one partition from {@code firstOffset} to {@code lastOffset}, both included, in offset order.
     * Offsets without a record (transaction markers, compacted records) are skipped.
     *
     * @throws KafkaHookException when part of the range is no longer on the broker (retention deleted it) or not
     *     yet written
     */
    public List<KafkaRecord> read(String topic, int partition, long firstOffset, long lastOffset) {
        if (firstOffset < 0 || lastOffset < firstOffset) {
            throw new IllegalArgumentException("offsets " + firstOffset + ".." + lastOffset + " of " + topic + "/"
                    + partition + " are not a range: the first must be at least 0 and at most the last");
        }
        TopicPartition topicPartition = new TopicPartition(topic, partition);
        String range = topic + "/" + partition + " offsets " + firstOffset + ".." + lastOffset;
        Map<String, Object> properties = readerProperties();
        KafkaConsumer<byte[], byte[]> consumer = IDLE_READERS.take(properties);
        try {
            List<KafkaRecord> records = read(consumer, topicPartition, firstOffset, lastOffset, range);
            IDLE_READERS.give(properties, consumer);
            return records;
        } catch (RuntimeException e) {
            consumer.close(Duration.ZERO);
            if (e instanceof KafkaException kafka) {
                throw new KafkaHookException("cannot read " + range + " (connection '" + connectionId + "'): "
                        + kafka.getMessage(), kafka);
            }
            throw e;
        }
    }

    /**
     * Seeks and polls without asking the broker for the partition's offsets first: a range that starts before them
     * fails the poll ({@code auto.offset.reset=none}), and one that ends after them is noticed when a poll comes back
     * empty, the only times they are asked for.
     */
    private List<KafkaRecord> read(KafkaConsumer<byte[], byte[]> consumer, TopicPartition topicPartition,
            long firstOffset, long lastOffset, String range) {
        consumer.assign(List.of(topicPartition));
        consumer.seek(topicPartition, firstOffset);
        List<KafkaRecord> records = new ArrayList<>((int) Math.min(lastOffset - firstOffset + 1, 10_000));
        long deadline = System.nanoTime() + timeout.toNanos();
        long position = firstOffset;
        while (position <= lastOffset) {
            if (System.nanoTime() > deadline) {
                throw new KafkaHookException("cannot read " + range + " within " + timeout.toSeconds()
                        + " s: stopped at offset " + position);
            }
            List<ConsumerRecord<byte[], byte[]>> polled;
            try {
                polled = consumer.poll(POLL).records(topicPartition);
            } catch (OffsetOutOfRangeException e) {
                long beginning = consumer.beginningOffsets(List.of(topicPartition), timeout).get(topicPartition);
                throw new KafkaHookException("cannot read " + range + ": the partition starts at offset " + beginning
                        + " now (retention deleted the older records)", e);
            }
            for (ConsumerRecord<byte[], byte[]> record : polled) {
                if (record.offset() <= lastOffset) {
                    records.add(toRecord(record));
                }
            }
            position = consumer.position(topicPartition, timeout);
            if (polled.isEmpty() && position <= lastOffset) {
                long end = consumer.endOffsets(List.of(topicPartition), timeout).get(topicPartition);
                if (lastOffset >= end) {
                    throw new KafkaHookException("cannot read " + range + ": the partition ends at offset "
                            + (end - 1));
                }
            }
        }
        return records;
    }

    /** The records of a run's batch, partition after partition, each in offset order. */
    public List<KafkaRecord> read(KafkaBatch batch) {
        List<KafkaRecord> records = new ArrayList<>();
        for (KafkaBatch.OffsetRange range : batch.ranges()) {
            records.addAll(read(batch.topic(), range.partition(), range.first(), range.last()));
        }
        return records;
    }

    private static KafkaRecord toRecord(ConsumerRecord<byte[], byte[]> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
        }
        return new KafkaRecord(record.topic(), record.partition(), record.offset(),
                Instant.ofEpochMilli(record.timestamp()), record.key(), record.value(),
                Collections.unmodifiableMap(headers));
    }

    private TopicDescription describe(String topic) {
        try {
            return admin().describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new KafkaHookException("topic '" + topic + "' does not exist (connection '" + connectionId
                        + "')", e.getCause());
            }
            throw failure("describe topic '" + topic + "'", e);
        } catch (InterruptedException e) {
            throw interrupted("describe topic '" + topic + "'", e);
        }
    }

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            Map<String, Object> properties = new HashMap<>(clientProperties);
            properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            properties.put(ProducerConfig.ACKS_CONFIG, "all");
            producer = new KafkaProducer<>(onlyKnownTo(ProducerConfig.configNames(), properties),
                    new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        return newConsumer(consumerProperties());
    }

    private static KafkaConsumer<byte[], byte[]> newConsumer(Map<String, Object> properties) {
        return new KafkaConsumer<>(new HashMap<>(properties), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private Map<String, Object> consumerProperties() {
        Map<String, Object> properties = new HashMap<>(clientProperties);
        // No group: offsets are the caller's, never committed by the client.
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return onlyKnownTo(ConsumerConfig.configNames(), properties);
    }

    /** A reader's offset out of range is an error, never a silent jump to the partition's end. */
    private Map<String, Object> readerProperties() {
        Map<String, Object> properties = consumerProperties();
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        // A read that reaches the partition's end leaves a fetch for the records after it, which the broker holds
        // this long when there are none; the consumer's next read, from another offset, waits for it to come back.
        properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, READ_FETCH_MAX_WAIT_MILLIS);
        return properties;
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(onlyKnownTo(AdminClientConfig.configNames(),
                    new HashMap<>(clientProperties)));
        }
        return admin;
    }

    /** A connection's properties serve three clients; each is given only its own, so none warns of the others'. */
    private static Map<String, Object> onlyKnownTo(Set<String> names, Map<String, Object> properties) {
        properties.keySet().retainAll(names);
        return properties;
    }

    private KafkaHookException failure(String action, ExecutionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        return new KafkaHookException("cannot " + action + " (connection '" + connectionId + "'): "
                + cause.getMessage(), cause);
    }

    private KafkaHookException interrupted(String action, InterruptedException e) {
        Thread.currentThread().interrupt();
        return new KafkaHookException("interrupted while trying to " + action, e);
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
        if (offsetsConsumer != null) {
            offsetsConsumer.close(Duration.ofSeconds(5));
            offsetsConsumer = null;
        }
    }

    /** At most {@value #MAX_IDLE} idle consumers per set of properties; each is used by one read at a time. */
    private static final class IdleConsumers {
        private static final int MAX_IDLE = 16;
        private final Map<Map<String, Object>, Deque<KafkaConsumer<byte[], byte[]>>> idle = new HashMap<>();

        KafkaConsumer<byte[], byte[]> take(Map<String, Object> properties) {
            synchronized (this) {
                Deque<KafkaConsumer<byte[], byte[]>> consumers = idle.get(properties);
                if (consumers != null && !consumers.isEmpty()) {
                    return consumers.pollFirst();
                }
            }
            return newConsumer(properties);
        }

        void give(Map<String, Object> properties, KafkaConsumer<byte[], byte[]> consumer) {
            synchronized (this) {
                Deque<KafkaConsumer<byte[], byte[]>> consumers = idle.computeIfAbsent(properties,
                        p -> new ArrayDeque<>());
                if (consumers.size() < MAX_IDLE) {
                    consumers.addFirst(consumer);
                    return;
                }
            }
            consumer.close(Duration.ZERO);
        }
    }
}
