package io.dagctl.hooks.kafka.bench;

import io.dagctl.ConnectionUri;
import io.dagctl.Connections;
import io.dagctl.Dag;
import io.dagctl.KafkaBatch;
import io.dagctl.OnKafkaRecords;
import io.dagctl.Task;
import io.dagctl.embedded.kafka.LocalKafka;
import io.dagctl.hooks.kafka.KafkaHook;
import io.dagctl.hooks.kafka.KafkaHookFactory;
import io.dagctl.hooks.kafka.KafkaHookModule;
import io.dagctl.hooks.kafka.KafkaMessage;
import io.dagctl.hooks.kafka.KafkaRecord;
import io.dagctl.hooks.kafka.KafkaRecordSource;
import io.dagctl.internal.discovery.DagDiscovery;
import io.dagctl.internal.runtime.DagRuntime;
import io.dagctl.internal.schedule.ObjectSource;
import io.dagctl.internal.schedule.Scheduler;
import io.dagctl.internal.schedule.SchedulerStore;
import io.dagctl.internal.store.DagRun;
import io.dagctl.internal.store.MetadataStore;
import io.dagctl.internal.store.StoreLocation;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Records through a topic-triggered DAG whose one task counts its batch, for batches of 1, 64 and 1,000 records, on
 * the embedded broker and an H2 metadata database: records/s over records produced before the scheduler starts, and
 * the latency from a record's produce to the start of the run that covers it while records arrive at 50/s. The floor
 * is a bare consumer loop over a copy of the records that records each batch's offsets in the same database, in one
 * transaction per batch. Floor and DAG take turns for a number of rounds; the medians are compared. Arguments:
 * records per round for batches of 64 and 1,000 (default 20000); for batches of 1 (default 300); rounds (default 3).
 */
public final class StreamingBench {
    public record Batch(String topic, String offsets) {
    }

    @Dag(id = "count_1", params = Batch.class, maxActiveRuns = 16)
    @OnKafkaRecords(topic = "bench-1", maxRecords = 1, maxWait = "PT0.05S")
    public static final class Count1 {
        private final KafkaHook kafka;

        @Inject
        public Count1(KafkaHook kafka) {
            this.kafka = kafka;
        }

        @Task
        public int count(Batch batch) {
            return countOf(kafka, batch);
        }
    }

    @Dag(id = "count_64", params = Batch.class, maxActiveRuns = 16)
    @OnKafkaRecords(topic = "bench-64", maxRecords = 64, maxWait = "PT0.05S")
    public static final class Count64 {
        private final KafkaHook kafka;

        @Inject
        public Count64(KafkaHook kafka) {
            this.kafka = kafka;
        }

        @Task
        public int count(Batch batch) {
            return countOf(kafka, batch);
        }
    }

    @Dag(id = "count_1000", params = Batch.class, maxActiveRuns = 16)
    @OnKafkaRecords(topic = "bench-1000", maxRecords = 1000, maxWait = "PT0.05S")
    public static final class Count1000 {
        private final KafkaHook kafka;

        @Inject
        public Count1000(KafkaHook kafka) {
            this.kafka = kafka;
        }

        @Task
        public int count(Batch batch) {
            return countOf(kafka, batch);
        }
    }

    static int countOf(KafkaHook kafka, Batch batch) {
        return kafka.read(KafkaBatch.parse(batch.topic(), batch.offsets())).size();
    }

    private StreamingBench() {
    }

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int singleRecords = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Path home = Files.createTempDirectory("dagctl-streaming-bench-");
        try (LocalKafka broker = LocalKafka.startEphemeral();
             MetadataStore metadata = MetadataStore.open(StoreLocation.h2File(home.resolve("metadata")));
             SchedulerStore store = SchedulerStore.open(metadata.location())) {
            Connections connections = Connections.of(Map.of("kafka_default",
                    ConnectionUri.parse("kafka_default", broker.connectionUri())));
            KafkaHook kafka = new KafkaHookFactory().create(connections.get("kafka_default"));
            metadata.withHandle(h -> h.execute("CREATE TABLE bench_batch (topic VARCHAR(249), partition_no INT,"
                    + " first_offset BIGINT, last_offset BIGINT, PRIMARY KEY (topic, partition_no, first_offset))"));
            List<String> rows = new ArrayList<>();
            for (Class<?> dag : List.of(Count1.class, Count64.class, Count1000.class)) {
                OnKafkaRecords trigger = dag.getAnnotation(OnKafkaRecords.class);
                String dagId = dag.getAnnotation(Dag.class).id();
                int count = trigger.maxRecords() == 1 ? singleRecords : records;
                kafka.createTopic(trigger.topic(), 1);
                List<Double> bare = new ArrayList<>();
                List<Double> throughput = new ArrayList<>();
                // Floor and DAG take turns, so that both see the same load on a shared machine.
                for (int round = 1; round <= rounds; round++) {
                    String filled = trigger.topic() + "-filled-" + round;
                    kafka.createTopic(filled, 1);
                    kafka.produce(filled, IntStream.range(0, count)
                            .mapToObj(i -> KafkaMessage.of(null, "r" + i)).toList());
                    bare.add(bareLoop(broker, metadata, filled, trigger.maxRecords(), count));

                    // Each round's records wait on the topic before the scheduler starts; the DAG goes on from the
                    // offset the previous round ended at.
                    kafka.produce(trigger.topic(), IntStream.range(0, count)
                            .mapToObj(i -> KafkaMessage.of(null, "r" + i)).toList());
                    long covered = (long) count * round;
                    try (Scheduling scheduling = new Scheduling(home, metadata, store, connections, dag)) {
                        long started = System.nanoTime();
                        scheduling.start();
                        awaitCovered(metadata, dagId, covered);
                        throughput.add(count / ((System.nanoTime() - started) / 1e9));
                    }
                    System.out.printf("batch %d round %d: DAG %.0f records/s, bare loop %.0f records/s (load %s)%n",
                            trigger.maxRecords(), round, throughput.get(round - 1), bare.get(round - 1), loadAverage());
                }

                // Latency: records arriving at 50/s for 5 s, batches cut as they come.
                long before = (long) count * rounds;
                int paced = 250;
                List<Long> latencies;
                try (Scheduling scheduling = new Scheduling(home, metadata, store, connections, dag)) {
                    scheduling.start();
                    for (int i = 0; i < paced; i += 5) {
                        kafka.produce(trigger.topic(), IntStream.range(i, i + 5)
                                .mapToObj(n -> KafkaMessage.of(null, "p" + n)).toList());
                        Thread.sleep(100);
                    }
                    awaitCovered(metadata, dagId, before + paced);
                }
                latencies = latencies(kafka, metadata, dagId, before);
                Collections.sort(latencies);
                double dagMedian = median(throughput);
                double bareMedian = median(bare);
                rows.add(String.format("| %d | %d × %d | %.0f | %.0f | %.2f | %d ms | %d ms |", trigger.maxRecords(),
                        rounds, count, dagMedian, bareMedian, bareMedian / dagMedian,
                        latencies.get(latencies.size() / 2),
                        latencies.get((int) Math.min(latencies.size() - 1, Math.ceil(latencies.size() * 0.99) - 1))));
            }
            System.out.println("| batch | rounds × records | DAG records/s | bare loop records/s | bare / DAG"
                    + " | latency p50 | latency p99 |");
            System.out.println("|---|---|---|---|---|---|---|");
            rows.forEach(System.out::println);
            System.out.println("load average at the end: " + loadAverage());
            kafka.close();
        }
    }

    /** A scheduler passing every 10 ms with 4 task slots, on a thread of its own until closed. */
    private static final class Scheduling implements AutoCloseable {
        private final DagRuntime runtime;
        private final KafkaRecordSource source;
        private final Scheduler scheduler;
        private final Thread loop;

        Scheduling(Path home, MetadataStore metadata, SchedulerStore store, Connections connections, Class<?> dag) {
            runtime = DagRuntime.builder().environment(Map.of()).home(home).store(metadata).parallelism(4)
                    .connections(connections).modules(List.of(new KafkaHookModule())).build();
            source = new KafkaRecordSource(connections);
            scheduler = new Scheduler(runtime, store, List.of(DagDiscovery.load(dag)), Clock.systemUTC(),
                    ObjectSource.NONE, source, false);
            loop = new Thread(() -> scheduler.runUntilStopped(Duration.ofMillis(10), Duration.ofSeconds(60)));
        }

        void start() {
            loop.start();
        }

        @Override
        public void close() throws InterruptedException {
            scheduler.stop();
            loop.join();
            source.close();
            runtime.close();
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static String loadAverage() throws java.io.IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }

    /** Polls batches of at most {@code batchSize} and records each batch's offsets in its own transaction. */
    private static double bareLoop(LocalKafka broker, MetadataStore metadata, String topic, int batchSize, int count) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, batchSize);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        long started = System.nanoTime();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            int seen = 0;
            while (seen < count) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(100));
                if (batch.isEmpty()) {
                    continue;
                }
                var records = batch.records(partition);
                long first = records.get(0).offset();
                long last = records.get(records.size() - 1).offset();
                metadata.withHandle(h -> h.inTransaction(tx -> tx.createUpdate("INSERT INTO bench_batch VALUES"
                                + " (:topic, 0, :first, :last)")
                        .bind("topic", topic).bind("first", first).bind("last", last).execute()));
                seen += records.size();
            }
        }
        return count / ((System.nanoTime() - started) / 1e9);
    }

    /**
     * Waits until successful runs of the DAG cover {@code count} records, asking the database in one query every
     * 50 ms: more often, the question takes CPU from the runs it waits for.
     */
    private static void awaitCovered(MetadataStore metadata, String dagId, long count) throws InterruptedException {
        while (metadata.withHandle(h -> h.createQuery("SELECT COALESCE(SUM(r.last_offset - r.first_offset + 1), 0)"
                        + " FROM kafka_batch_range r JOIN kafka_batch b ON b.dag_id = r.dag_id AND b.topic = r.topic"
                        + " AND b.batch_no = r.batch_no JOIN dag_run d ON d.dag_id = b.dag_id AND d.run_id = b.run_id"
                        + " WHERE r.dag_id = :dagId AND d.state = 'success'")
                .bind("dagId", dagId).mapTo(Long.class).one()) < count) {
            Thread.sleep(50);
        }
    }

    /** For every paced record (offsets from {@code from}): its run's start minus its produce time, in ms. */
    private static List<Long> latencies(KafkaHook kafka, MetadataStore metadata, String dagId, long from) {
        List<Long> latencies = new ArrayList<>();
        for (DagRun run : metadata.runs(Optional.of(dagId), Integer.MAX_VALUE)) {
            KafkaBatch batch = KafkaBatch.parse(run.params().get("topic"), run.params().get("offsets"));
            if (batch.ranges().get(0).first() < from) {
                continue;
            }
            Instant started = run.startedAt().orElseThrow();
            for (KafkaRecord record : kafka.read(batch)) {
                latencies.add(Duration.between(record.timestamp(), started).toMillis());
            }
        }
        return latencies;
    }
}
