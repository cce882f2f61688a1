package io.dagctl.dags;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.ConnectionUri;
import io.dagctl.Connections;
import io.dagctl.KafkaBatch;
import io.dagctl.RunState;
import io.dagctl.dags.CancerOnlineTraining.BatchMetrics;
import io.dagctl.dags.CancerStreamProduce.Produced;
import io.dagctl.dags.cancer.CancerData;
import io.dagctl.dags.cancer.CancerData.Sample;
import io.dagctl.dags.cancer.OnlineLogisticRegression;
import io.dagctl.embedded.kafka.testing.SharedLocalKafka;
import io.dagctl.embedded.testing.SharedLocalS3;
import io.dagctl.hooks.kafka.KafkaHook;
import io.dagctl.hooks.kafka.KafkaHookFactory;
import io.dagctl.hooks.kafka.KafkaHookModule;
import io.dagctl.hooks.kafka.KafkaRecord;
import io.dagctl.hooks.kafka.KafkaRecordSource;
import io.dagctl.hooks.kafka.PartitionOffsets;
import io.dagctl.hooks.s3.S3Hook;
import io.dagctl.hooks.s3.S3HookFactory;
import io.dagctl.hooks.s3.S3HookModule;
import io.dagctl.internal.discovery.DagDiscovery;
import io.dagctl.internal.runtime.DagRuntime;
import io.dagctl.internal.runtime.RunRequest;
import io.dagctl.internal.schedule.ObjectSource;
import io.dagctl.internal.schedule.Scheduler;
import io.dagctl.internal.schedule.SchedulerStore;
import io.dagctl.internal.store.DagRun;
import io.dagctl.internal.store.MetadataStore;
import io.dagctl.internal.store.StoreLocation;
import io.dagctl.spec.DagSpec;
import io.dagctl.testkit.MutableClock;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming pipeline end to end on the embedded Kafka broker and S3 server: {@code cancer_stream_produce} once,
 * then {@code cancer_online_training} batch by batch under the scheduler. One broker and one pipeline run for the
 * class, which the tests read from in order.
 */
class CancerStreamingTest {
    @TempDir
    static Path home;
    static MetadataStore metadata;
    static SchedulerStore schedulerStore;
    static DagRuntime runtime;
    static KafkaHook kafka;
    static S3Hook s3;
    static Connections connections;
    static Produced produced;
    static List<DagRun> trainingRuns;

    @BeforeAll
    static void runThePipeline() {
        String kafkaUri = SharedLocalKafka.connectionUri();
        String s3Uri = SharedLocalS3.connectionUri("cancer-streaming");
        connections = TestServices.connections(Map.of("kafka_default", kafkaUri, "s3_default", s3Uri));
        kafka = new KafkaHookFactory().create(ConnectionUri.parse("kafka_default", kafkaUri));
        s3 = new S3HookFactory().create(ConnectionUri.parse("s3_default", s3Uri));
        metadata = MetadataStore.open(StoreLocation.h2InMemory("cancer-" + UUID.randomUUID()));
        schedulerStore = SchedulerStore.open(metadata.location());
        runtime = DagRuntime.builder().environment(Map.of()).home(home).store(metadata).parallelism(2)
                .modules(List.of(new KafkaHookModule(), new S3HookModule())).connections(connections).build();

        DagSpec produce = DagDiscovery.load(CancerStreamProduce.class);
        DagRun producing = runtime.run(produce, RunRequest.manual().withRunId("produce")).run();
        assertThat(producing.state()).isEqualTo(RunState.SUCCESS);
        produced = runtime.xcom("cancer_stream_produce", "produce", "produce_topics", Produced.class).orElseThrow();

        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
        try (KafkaRecordSource records = new KafkaRecordSource(connections)) {
            Scheduler scheduler = new Scheduler(runtime, schedulerStore,
                    List.of(DagDiscovery.load(CancerOnlineTraining.class)), clock, ObjectSource.NONE, records, false);
            for (int pass = 0; pass < 20 && !allCovered(); pass++) {
                scheduler.tick();
                assertThat(scheduler.awaitInFlight(Duration.ofMinutes(2))).isTrue();
                clock.advance(Duration.ofSeconds(6));
            }
            // The last runs wait for the one before them: passes start them one at a time.
            for (int pass = 0; pass < 20 && !allEnded(); pass++) {
                scheduler.tick();
                assertThat(scheduler.awaitInFlight(Duration.ofMinutes(2))).isTrue();
            }
        }
        trainingRuns = metadata.runs(Optional.of("cancer_online_training"), 100).stream()
                .sorted(Comparator.comparing(DagRun::runId)).toList();
    }

    private static boolean allCovered() {
        long covered = metadata.runs(Optional.of("cancer_online_training"), 100).stream()
                .mapToLong(r -> KafkaBatch.parse(r.params().get("topic"), r.params().get("offsets")).records()).sum();
        return covered == 409;
    }

    private static boolean allEnded() {
        return metadata.runs(Optional.of("cancer_online_training"), 100).stream()
                .allMatch(r -> r.state() == RunState.SUCCESS || r.state() == RunState.FAILED);
    }

    @AfterAll
    static void stop() {
        runtime.close();
        schedulerStore.close();
        metadata.close();
        kafka.close();
        s3.close();
    }

    @Test
    void producesSixtyPercentOfTheCompleteSamplesToTrainingAndTheRestToTestWithTheClassAsKey() {
        assertThat(produced).isEqualTo(new Produced(409, 274, 16));
        PartitionOffsets train = kafka.partitions(CancerStreamProduce.TRAIN_TOPIC).get(0);
        assertThat(train.records()).isEqualTo(409);
        List<KafkaRecord> first = kafka.read(CancerStreamProduce.TRAIN_TOPIC, 0, 0, 9);
        assertThat(first).allSatisfy(record -> {
            assertThat(record.keyAsString()).isIn("0", "1");
            assertThat(record.valueAsString()).matches("([1-9]|10)(,([1-9]|10)){8}");
        });
    }

    @Test
    void producingAgainDuplicatesNothing() {
        DagRun again = runtime.run(DagDiscovery.load(CancerStreamProduce.class),
                RunRequest.manual().withRunId("produce-again")).run();

        assertThat(again.state()).isEqualTo(RunState.SUCCESS);
        assertThat(kafka.partitions(CancerStreamProduce.TRAIN_TOPIC).get(0).records()).isEqualTo(409);
        assertThat(kafka.partitions(CancerStreamProduce.TEST_TOPIC).get(0).records()).isEqualTo(274);
    }

    @Test
    void trainsBatchByBatchInOffsetOrderWithACheckpointPerBatchAndLatestOnTheLast() throws Exception {
        assertThat(trainingRuns).hasSize(7).allSatisfy(run -> assertThat(run.state()).isEqualTo(RunState.SUCCESS));
        assertThat(trainingRuns).extracting(r -> r.params().get("offsets")).containsExactly(
                "0:0-63", "0:64-127", "0:128-191", "0:192-255", "0:256-319", "0:320-383", "0:384-408");
        List<BatchMetrics> metrics = trainingRuns.stream().map(run -> runtime.xcom("cancer_online_training",
                run.runId(), "evaluate", BatchMetrics.class).orElseThrow()).toList();
        assertThat(metrics).extracting(BatchMetrics::trainedSamples)
                .containsExactly(64L, 128L, 192L, 256L, 320L, 384L, 409L);
        assertThat(metrics).allSatisfy(m -> assertThat(s3.exists(m.checkpoint())).isTrue());
        try (InputStream latest = s3.open(s3.key(CancerOnlineTraining.LATEST))) {
            assertThat(new String(latest.readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo(metrics.get(6).checkpoint().key());
        }
    }

    @Test
    void reachesATestAccuracyOfAtLeastNinetyFivePercentAfterTheWholeTopic() {
        BatchMetrics last = runtime.xcom("cancer_online_training", trainingRuns.get(6).runId(), "evaluate",
                BatchMetrics.class).orElseThrow();

        assertThat(last.testSamples()).isEqualTo(274);
        assertThat(last.accuracy()).isGreaterThanOrEqualTo(0.95);
        assertThat(last.precision()).isGreaterThan(0.9);
        assertThat(last.recall()).isGreaterThan(0.9);
        assertThat(last.logLoss()).isLessThan(0.2);
    }

    @Test
    void endsWithinAFewPointsOfTheSameModelTrainedOnAllTheRowsAtOnce() {
        List<Sample> train = kafka.read(CancerStreamProduce.TRAIN_TOPIC, 0, 0, 408).stream()
                .map(CancerData::parse).toList();
        OnlineLogisticRegression atOnce = OnlineLogisticRegression.untrained();
        atOnce.train(train, 60);
        double atOnceAccuracy = atOnce.score(new CancerOnlineTraining(kafka, s3).testSamples()).accuracy();
        BatchMetrics streamed = runtime.xcom("cancer_online_training", trainingRuns.get(6).runId(), "evaluate",
                BatchMetrics.class).orElseThrow();

        assertThat(streamed.accuracy()).isCloseTo(atOnceAccuracy, org.assertj.core.data.Offset.offset(0.03));
    }
}
