package io.dagctl.hooks.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.ConnectionUri;
import io.dagctl.Connections;
import io.dagctl.Dag;
import io.dagctl.KafkaBatch;
import io.dagctl.OnKafkaRecords;
import io.dagctl.RunState;
import io.dagctl.Task;
import io.dagctl.TaskContext;
import io.dagctl.embedded.kafka.testing.SharedLocalKafka;
import io.dagctl.embedded.testing.SharedPostgres;
import io.dagctl.internal.discovery.DagDiscovery;
import io.dagctl.internal.runtime.DagRuntime;
import io.dagctl.internal.runtime.ExecutionMode;
import io.dagctl.internal.runtime.Worker;
import io.dagctl.internal.schedule.ObjectSource;
import io.dagctl.internal.schedule.Scheduler;
import io.dagctl.internal.schedule.SchedulerStore;
import io.dagctl.internal.store.DagRun;
import io.dagctl.internal.store.MetadataStore;
import io.dagctl.internal.store.StoreLocation;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long-running scheduler or worker runs batch after batch: the producer, admin client and consumers a run's
 * {@link KafkaHook} opens must be closed when the run is over, or their threads and sockets pile up run by run.
 */
class KafkaHookLifetimeTest {
    private static final int BATCHES = 50;

    public record Batch(String topic, String offsets) {
    }

    /** Opens every client a hook has: the producer, the admin client, the offsets consumer and a reader. */
    static int relay(KafkaHook kafka, Batch batch, String to) {
        List<KafkaRecord> records = kafka.read(KafkaBatch.parse(batch.topic(), batch.offsets()));
        kafka.produce(to, records.stream().map(r -> KafkaMessage.of(null, r.valueAsString())).toList());
        assertThat(kafka.topics()).contains(to);
        assertThat(kafka.partitions(to)).isNotEmpty();
        return records.size();
    }

    @Dag(id = "relay_in_process", params = Batch.class)
    @OnKafkaRecords(topic = "lifetime-in", maxRecords = 1, maxWait = "PT1S")
    public static final class RelayInProcess {
        private final KafkaHook kafka;

        @Inject
        public RelayInProcess(KafkaHook kafka) {
            this.kafka = kafka;
        }

        @Task
        public int relay(TaskContext context, Batch batch) {
            return KafkaHookLifetimeTest.relay(kafka, batch, "lifetime-out");
        }
    }

    @Dag(id = "relay_on_workers", params = Batch.class)
    @OnKafkaRecords(topic = "lifetime-in-workers", maxRecords = 1, maxWait = "PT1S")
    public static final class RelayOnWorkers {
        private final KafkaHook kafka;

        @Inject
        public RelayOnWorkers(KafkaHook kafka) {
            this.kafka = kafka;
        }

        @Task
        public int relay(TaskContext context, Batch batch) {
            return KafkaHookLifetimeTest.relay(kafka, batch, "lifetime-out-workers");
        }
    }

    static KafkaHook kafka;

    @TempDir
    Path home;
    final Connections connections = Connections.of(Map.of("kafka_default",
            ConnectionUri.parse("kafka_default", SharedLocalKafka.connectionUri())));

    @BeforeAll
    static void topics() {
        kafka = new KafkaHookFactory().create(ConnectionUri.parse("kafka_default", SharedLocalKafka.connectionUri()));
        for (String topic : List.of("lifetime-in", "lifetime-out", "lifetime-in-workers", "lifetime-out-workers")) {
            kafka.createTopic(topic, 1);
        }
    }

    @Test
    void fiftyBatchRunsInOneProcessLeaveNoMoreKafkaClientThreadsThanBeforeThem() {
        produce("lifetime-in");
        int before = kafkaClientThreads();
        try (MetadataStore metadata = MetadataStore.open(StoreLocation.h2File(home.resolve("metadata")));
             SchedulerStore store = SchedulerStore.open(metadata.location());
             KafkaRecordSource records = new KafkaRecordSource(connections);
             DagRuntime runtime = DagRuntime.builder().environment(Map.of()).home(home).store(metadata)
                     .parallelism(2).connections(connections).modules(List.of(new KafkaHookModule())).build()) {
            Scheduler scheduler = new Scheduler(runtime, store, List.of(DagDiscovery.load(RelayInProcess.class)),
                    java.time.Clock.systemUTC(), ObjectSource.NONE, records, false);
            // A pass starts at most maxActiveRuns (16) of the queued runs: later passes start the others.
            Instant deadline = Instant.now().plusSeconds(240);
            do {
                assertThat(Instant.now()).as("every batch run ended in time").isBefore(deadline);
                scheduler.tick();
                assertThat(scheduler.awaitInFlight(Duration.ofSeconds(120))).isTrue();
            } while (runs(metadata, "relay_in_process").stream().anyMatch(r -> !r.state().isFinished()));

            assertThat(runs(metadata, "relay_in_process")).hasSize(BATCHES)
                    .extracting(DagRun::state).containsOnly(RunState.SUCCESS);
            // Only the scheduler's own hook stays open while it runs, one per connection: its admin client's thread.
            assertThat(kafkaClientThreads()).as("Kafka client threads after %d runs", BATCHES)
                    .isLessThanOrEqualTo(before + 1);
        }
        assertThat(kafkaClientThreads()).as("Kafka client threads once the scheduler stopped")
                .isLessThanOrEqualTo(before);
    }

    @Test
    void fiftyBatchRunsOnAWorkerLeaveNoMoreKafkaClientThreadsThanBeforeThem() throws Exception {
        produce("lifetime-in-workers");
        int before = kafkaClientThreads();
        try (MetadataStore postgres = MetadataStore.open(StoreLocation.fromEnvironment(
                     Map.of(StoreLocation.DB_URL_VARIABLE, SharedPostgres.freshDatabase("kafka_lifetime")), home));
             SchedulerStore store = SchedulerStore.open(postgres.location());
             KafkaRecordSource records = new KafkaRecordSource(connections);
             DagRuntime runtime = DagRuntime.builder().environment(Map.of()).home(home).store(postgres)
                     .parallelism(2).executor(ExecutionMode.WORKERS).connections(connections)
                     .modules(List.of(new KafkaHookModule())).build()) {
            Scheduler scheduler = new Scheduler(runtime, store, List.of(DagDiscovery.load(RelayOnWorkers.class)),
                    java.time.Clock.systemUTC(), ObjectSource.NONE, records, false);
            Worker worker = runtime.worker();
            Thread working = new Thread(worker::run);
            working.start();
            try {
                scheduler.tick();
                Instant deadline = Instant.now().plusSeconds(240);
                while (runs(postgres, "relay_on_workers").size() < BATCHES || runs(postgres, "relay_on_workers")
                        .stream().anyMatch(r -> !r.state().isFinished())) {
                    assertThat(Instant.now()).as("every batch run ended in time").isBefore(deadline);
                    Thread.sleep(100);
                }
                assertThat(runs(postgres, "relay_on_workers")).hasSize(BATCHES)
                        .extracting(DagRun::state).containsOnly(RunState.SUCCESS);
                // Still running: the worker has closed each run's hook once it ran no try of the run any more. Only
                // the scheduler's own hook stays open, one per connection: its admin client's thread.
                assertThat(kafkaClientThreads()).as("Kafka client threads while the worker waits for more")
                        .isLessThanOrEqualTo(before + 1);
            } finally {
                worker.close();
                working.join();
            }
        }
        assertThat(kafkaClientThreads()).as("Kafka client threads once the scheduler and worker stopped")
                .isLessThanOrEqualTo(before);
    }

    private static void produce(String topic) {
        kafka.produce(topic, IntStream.range(0, BATCHES).mapToObj(i -> KafkaMessage.of(null, "m" + i)).toList());
    }

    private static List<DagRun> runs(MetadataStore database, String dagId) {
        return database.runs(Optional.of(dagId), 100_000);
    }

    /** The threads of live Kafka producers, admin clients and consumers in this JVM. */
    private static int kafkaClientThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("kafka-producer-network-thread")
                        || name.startsWith("kafka-admin-client-thread")
                        || name.startsWith("consumer_background_thread")
                        || name.startsWith("kafka-coordinator-heartbeat-thread"))
                .count();
    }
}
