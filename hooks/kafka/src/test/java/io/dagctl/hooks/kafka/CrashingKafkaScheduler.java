package io.dagctl.hooks.kafka;

import io.dagctl.ConnectionUri;
import io.dagctl.Connections;
import io.dagctl.Dag;
import io.dagctl.KafkaBatch;
import io.dagctl.OnKafkaRecords;
import io.dagctl.Task;
import io.dagctl.internal.discovery.DagDiscovery;
import io.dagctl.internal.runtime.DagRuntime;
import io.dagctl.internal.schedule.ObjectSource;
import io.dagctl.internal.schedule.Scheduler;
import io.dagctl.internal.schedule.SchedulerStore;
import io.dagctl.internal.store.MetadataStore;
import io.dagctl.internal.store.StoreLocation;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A scheduler process that the crash test stops at a crash point ({@code -Ddagctl.crashAt}): it cuts the batches of
 * {@link Batches} and runs them in this JVM until it is halted.
 */
public final class CrashingKafkaScheduler {
    static final String TOPIC = "crash-batches";

    private CrashingKafkaScheduler() {
    }

    public record Batch(String topic, String offsets) {
    }

    @Dag(id = "crash_batches", params = Batch.class)
    @OnKafkaRecords(topic = TOPIC, maxRecords = 16, maxWait = "PT1S")
    public static final class Batches {
        private final KafkaHook kafka;

        @Inject
        public Batches(KafkaHook kafka) {
            this.kafka = kafka;
        }

        /** A try the killed scheduler left running counts as a failed try, as after any crash: the retry succeeds. */
        @Task(retries = 1, retryDelay = "PT0.1S")
        public int count(Batch batch) {
            return kafka.read(KafkaBatch.parse(batch.topic(), batch.offsets())).size();
        }
    }

    /** The metadata database: {@code DAGCTL_DB_URL} when given, else the H2 file in {@code home}. */
    static MetadataStore metadata(Path home, String databaseUrl) {
        return MetadataStore.open(StoreLocation.fromEnvironment(databaseUrl.isEmpty() ? Map.of()
                : Map.of(StoreLocation.DB_URL_VARIABLE, databaseUrl), home));
    }

    static Connections connections(String kafkaUri) {
        return Connections.of(Map.of("kafka_default", ConnectionUri.parse("kafka_default", kafkaUri)));
    }

    static DagRuntime.Builder runtime(Path home, MetadataStore metadata, String kafkaUri) {
        return DagRuntime.builder().environment(Map.of()).home(home).store(metadata).parallelism(4)
                .connections(connections(kafkaUri)).modules(List.of(new KafkaHookModule()));
    }

    static Scheduler scheduler(DagRuntime runtime, SchedulerStore store, KafkaRecordSource records) {
        return new Scheduler(runtime, store, List.of(DagDiscovery.load(Batches.class)), Clock.systemUTC(),
                ObjectSource.NONE, records, false);
    }

    /** Arguments: the dagctl home, the Kafka connection URI, and the database URL (empty for H2). */
    public static void main(String[] args) {
        Path home = Path.of(args[0]);
        try (MetadataStore metadata = metadata(home, args[2]);
                SchedulerStore store = SchedulerStore.open(metadata.location());
                KafkaRecordSource records = new KafkaRecordSource(connections(args[1]));
                DagRuntime runtime = runtime(home, metadata, args[1]).build()) {
            scheduler(runtime, store, records).runUntilStopped(Duration.ofMillis(10), Duration.ofSeconds(5));
        }
    }
}
