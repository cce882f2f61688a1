package io.dagctl.hooks.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.ConnectionUri;
import io.dagctl.KafkaBatch;
import io.dagctl.RunState;
import io.dagctl.embedded.kafka.testing.SharedLocalKafka;
import io.dagctl.embedded.testing.SharedPostgres;
import io.dagctl.internal.discovery.DagDiscovery;
import io.dagctl.internal.runtime.DagRuntime;
import io.dagctl.internal.schedule.CrashPoint;
import io.dagctl.internal.schedule.Scheduler;
import io.dagctl.internal.schedule.SchedulerStore;
import io.dagctl.internal.store.DagRun;
import io.dagctl.internal.store.MetadataStore;
import io.dagctl.spec.DagSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A scheduler JVM is halted ({@code kill -9} alike) after it read the offsets of a Kafka batch, before the transaction
 * that claims the batch and makes its run, or right after that transaction, which may have started the run; a new
 * scheduler then takes over, and the runs the dead one started are resumed. Every offset of
 * the topic ends in exactly one successful run: none is lost with the dead scheduler, none is cut twice.
 */
class SchedulerCrashTest {
    private static final int BATCH = 16;
    private static final int RECORDS = 12 * BATCH;

    static KafkaHook kafka;

    @TempDir
    Path home;

    @BeforeAll
    static void createTopic() {
        kafka = new KafkaHookFactory().create(ConnectionUri.parse("kafka_default", SharedLocalKafka.connectionUri()));
        kafka.createTopic(CrashingKafkaScheduler.TOPIC, 2);
    }

    static Stream<Arguments> crashPointsAndDatabases() {
        return Stream.of(CrashPoint.KAFKA_BATCH_CUT, CrashPoint.KAFKA_RUN_CREATED)
                .flatMap(point -> Stream.of(Arguments.of(point, "H2"), Arguments.of(point, "PostgreSQL")));
    }

    @ParameterizedTest(name = "killed at {0} on {1}")
    @MethodSource("crashPointsAndDatabases")
    void everyOffsetEndsInExactlyOneSuccessfulRunWhenASchedulerIsKilledAsItMakesABatchRun(CrashPoint point,
            String database) throws Exception {
        // Each case starts a new DAG on a fresh database, which covers the whole topic from its oldest record.
        kafka.produce(CrashingKafkaScheduler.TOPIC, IntStream.range(0, RECORDS)
                .mapToObj(i -> KafkaMessage.of("k" + i, "v" + i)).toList());
        String databaseUrl = database.equals("H2") ? "" : SharedPostgres.freshDatabase("crash");

        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + CrashPoint.PROPERTY + "=" + point.at(1),
                "-cp", System.getProperty("java.class.path"), CrashingKafkaScheduler.class.getName(),
                home.toString(), SharedLocalKafka.connectionUri(), databaseUrl)
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("child.out").toFile())
                .start();
        try {
            assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("the scheduler halted in time; see %s",
                    home.resolve("child.out")).isTrue();
        } finally {
            child.destroyForcibly().waitFor();
        }
        assertThat(child.exitValue()).as("the scheduler halted at %s; see %s", point, home.resolve("child.out"))
                .isEqualTo(CrashPoint.EXIT_STATUS);

        String kafkaUri = SharedLocalKafka.connectionUri();
        try (MetadataStore metadata = CrashingKafkaScheduler.metadata(home, databaseUrl);
                SchedulerStore store = SchedulerStore.open(metadata.location());
                KafkaRecordSource records = new KafkaRecordSource(CrashingKafkaScheduler.connections(kafkaUri));
                DagRuntime runtime = CrashingKafkaScheduler.runtime(home, metadata, kafkaUri)
                        .resumeInterruptedOnOpen(false).build()) {
            long held = kafka.partitions(CrashingKafkaScheduler.TOPIC).stream().mapToLong(PartitionOffsets::records)
                    .sum();
            // The scheduler's first pass cuts every batch the topic holds, and makes their runs in one transaction.
            List<DagRun> atKill = runs(metadata);
            assertThat(withoutRun(store)).isEmpty();
            assertThat(atKill).hasSize(point == CrashPoint.KAFKA_BATCH_CUT ? 0 : (int) (held / BATCH));

            Scheduler scheduler = CrashingKafkaScheduler.scheduler(runtime, store, records);
            DagSpec dag = DagDiscovery.load(CrashingKafkaScheduler.Batches.class);
            // Runs the dead scheduler started are taken over as after any crash.
            runtime.resumeInterrupted().forEach(DagRuntime::await);
            for (int pass = 0; pass < 20 && (scheduler.kafkaLag(dag) > 0
                    || runs(metadata).stream().anyMatch(r -> !r.state().isFinished())); pass++) {
                scheduler.tick();
                assertThat(scheduler.awaitInFlight(Duration.ofSeconds(60))).isTrue();
            }

            List<DagRun> runs = runs(metadata);
            assertThat(runs).extracting(DagRun::state).containsOnly(RunState.SUCCESS);
            assertThat(withoutRun(store)).isEmpty();
            List<KafkaBatch> batches = runs.stream()
                    .map(r -> KafkaBatch.parse(r.params().get("topic"), r.params().get("offsets"))).toList();
            KafkaTriggerTest.assertEveryOffsetCoveredOnce(kafka, batches, CrashingKafkaScheduler.TOPIC);
            assertThat(runs).hasSize((int) (held / BATCH));
        }
    }

    private static List<SchedulerStore.KafkaClaim> withoutRun(SchedulerStore store) {
        return store.kafkaBatchesWithoutRun("crash_batches", CrashingKafkaScheduler.TOPIC);
    }

    private static List<DagRun> runs(MetadataStore metadata) {
        return metadata.runs(Optional.of("crash_batches"), 100_000).stream()
                .sorted(Comparator.comparing(DagRun::runId)).toList();
    }
}
