package io.dagctl.hooks.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.ConnectionUri;
import io.dagctl.Connections;
import io.dagctl.Dag;
import io.dagctl.KafkaBatch;
import io.dagctl.OnKafkaRecords;
import io.dagctl.RunState;
import io.dagctl.Task;
import io.dagctl.embedded.kafka.LocalKafka;
import io.dagctl.internal.discovery.DagDiscovery;
import io.dagctl.internal.runtime.DagRuntime;
import io.dagctl.internal.schedule.ObjectSource;
import io.dagctl.internal.schedule.Scheduler;
import io.dagctl.internal.schedule.SchedulerStore;
import io.dagctl.internal.store.DagRun;
import io.dagctl.internal.store.MetadataStore;
import io.dagctl.internal.store.StoreLocation;
import io.dagctl.internal.store.TaskInstance;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broker of its own, stopped while a run reads its batch and started again at the same address. */
class BrokerRestartTest {
    static final List<String> READ = new CopyOnWriteArrayList<>();
    static final CountDownLatch BROKER_STOPPED = new CountDownLatch(1);

    public record Batch(String topic, String offsets) {
    }

    @Dag(id = "read_through_restart", params = Batch.class)
    @OnKafkaRecords(topic = "restarted", maxRecords = 10)
    public static final class ReadThroughRestart {
        private final KafkaHook kafka;

        @Inject
        public ReadThroughRestart(KafkaHook kafka) {
            this.kafka = kafka;
        }

        @Task(retries = 20, retryDelay = "PT1S")
        public int read(Batch batch) throws InterruptedException {
            BROKER_STOPPED.await(60, TimeUnit.SECONDS);
            List<KafkaRecord> records = kafka.read(KafkaBatch.parse(batch.topic(), batch.offsets()));
            records.forEach(r -> READ.add(r.valueAsString()));
            return records.size();
        }
    }

    @TempDir
    Path dir;

    @Test
    void aRunWhoseBrokerStopsMidRunSucceedsOnARetryOnceItIsBackReadingEachRecordOnce() throws Exception {
        LocalKafka broker = LocalKafka.start(dir.resolve("kafka"));
        // Short client timeouts, so that a try against the stopped broker fails in seconds.
        Connections connections = Connections.of(Map.of("kafka_default", ConnectionUri.parse("kafka_default",
                broker.connectionUri() + "?default.api.timeout.ms=3000&request.timeout.ms=2000")));
        try (KafkaHook kafka = new KafkaHookFactory().create(connections.get("kafka_default"));
             MetadataStore metadata = MetadataStore.open(StoreLocation.h2File(dir.resolve("metadata")));
             SchedulerStore store = SchedulerStore.open(metadata.location());
             KafkaRecordSource records = new KafkaRecordSource(connections)) {
            kafka.createTopic("restarted", 1);
            kafka.produce("restarted", IntStream.range(0, 10).mapToObj(i -> KafkaMessage.of(null, "v" + i)).toList());
            DagRuntime runtime = DagRuntime.builder().environment(Map.of()).home(dir).store(metadata).parallelism(1)
                    .connections(connections).modules(List.of(new KafkaHookModule())).build();
            try (runtime) {
                Scheduler scheduler = new Scheduler(runtime, store,
                        List.of(DagDiscovery.load(ReadThroughRestart.class)), Clock.systemUTC(), ObjectSource.NONE,
                        records, false);
                scheduler.tick();
                assertThat(scheduler.inFlight()).hasSize(1);

                broker.close();
                BROKER_STOPPED.countDown();
                Thread.sleep(4000);
                broker = LocalKafka.start(dir.resolve("kafka"));

                assertThat(scheduler.awaitInFlight(Duration.ofSeconds(90))).isTrue();
            } finally {
                broker.close();
            }
            DagRun run = metadata.runs(Optional.of("read_through_restart"), 10).get(0);
            assertThat(run.state()).isEqualTo(RunState.SUCCESS);
            assertThat(run.params()).containsEntry("offsets", "0:0-9");
            TaskInstance read = metadata.taskInstances("read_through_restart", run.runId()).get(0);
            assertThat(read.tryNumber()).isGreaterThan(1);
            assertThat(READ).containsExactly("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9");
        }
    }
}
