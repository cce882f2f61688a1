package io.dagctl.internal.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.dagctl.Connections;
import io.dagctl.Dag;
import io.dagctl.From;
import io.dagctl.OnAssetUpdates;
import io.dagctl.OnKafkaRecords;
import io.dagctl.OnNewObjects;
import io.dagctl.Param;
import io.dagctl.RunState;
import io.dagctl.Task;
import io.dagctl.TaskContext;
import io.dagctl.TriggeredBy;
import io.dagctl.Updates;
import io.dagctl.internal.discovery.DagDiscovery;
import io.dagctl.internal.runtime.DagRuntime;
import io.dagctl.internal.runtime.RunRequest;
import io.dagctl.internal.store.DagRun;
import io.dagctl.internal.store.MetadataStore;
import io.dagctl.internal.store.RunType;
import io.dagctl.internal.store.StoreLocation;
import io.dagctl.spec.DagDefinitionException;
import io.dagctl.spec.DagSpec;
import io.dagctl.spec.Triggers.NewObjectsTrigger;
import io.dagctl.testkit.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class SchedulerTest {
    static final List<String> INTERVALS = new CopyOnWriteArrayList<>();
    static volatile CountDownLatch gate = new CountDownLatch(0);

    @Dag(id = "hourly_report", schedule = "@hourly", startDate = "2024-01-01", catchup = true)
    static final class HourlyReport {
        @Task
        void report(TaskContext context) {
            INTERVALS.add(context.dataInterval().start() + "/" + context.dataInterval().end());
        }
    }

    @Dag(id = "hourly_latest_only", schedule = "@hourly", startDate = "2024-01-01")
    static final class HourlyLatestOnly {
        @Task
        void report() {
        }
    }

    @Dag(id = "one_at_a_time", schedule = "@hourly", startDate = "2024-01-01", catchup = true, maxActiveRuns = 1)
    static final class OneAtATime {
        @Task
        void slow() throws InterruptedException {
            gate.await(30, TimeUnit.SECONDS);
        }
    }

    @Dag(id = "every_minute", schedule = "* * * * *", startDate = "2024-01-01")
    static final class EveryMinute {
        @Task
        void tick(TaskContext context) {
            INTERVALS.add(context.runId());
        }
    }

    @Dag(id = "model_producer")
    static final class ModelProducer {
        @Task
        @Updates("s3://bike-sharing/model.json")
        String publish() {
            return "published";
        }
    }

    @Dag(id = "table_producer", params = TableProducer.Outcome.class)
    static final class TableProducer {
        record Outcome(@Param(defaultValue = "false") boolean fail) {
        }

        @Task
        @Updates("postgres://bike_db/current")
        void load(Outcome outcome) {
            if (outcome.fail()) {
                throw new IllegalStateException("load failed");
            }
        }
    }

    @Dag(id = "model_consumer")
    @OnAssetUpdates({"s3://bike-sharing/model.json", "postgres://bike_db/current"})
    static final class ModelConsumer {
        @Task
        void score() {
        }
    }

    @Dag(id = "drift_check", params = DriftCheck.Window.class)
    static final class DriftCheck {
        record Window(@Param(defaultValue = "false") boolean drift) {
        }

        record Summary(boolean datasetDrift, double share, String report) {
        }

        @Task
        Summary detectDrift(Window window) {
            return new Summary(window.drift(), 0.75, "s3://reports/" + window.drift() + ".html");
        }
    }

    @Dag(id = "retrain", params = Retrain.Reason.class)
    @TriggeredBy(dag = "drift_check", when = "detect_drift.datasetDrift",
            params = {"share = detect_drift.share", "report = detect_drift.report"})
    static final class Retrain {
        record Reason(@Param(defaultValue = "0") double share, @Param(defaultValue = "") String report) {
        }

        @Task
        String train(Reason reason) {
            return reason.report() + " at " + reason.share();
        }
    }

    @Dag(id = "ingest_drops", params = IngestDrops.Drop.class)
    @OnNewObjects(bucket = "landing", prefix = "drops/", every = "PT1M")
    static final class IngestDrops {
        record Drop(String key, String etag) {
        }

        @Task
        String ingest(Drop drop) {
            return drop.key() + "@" + drop.etag();
        }
    }

    @Dag(id = "dangling_trigger")
    @TriggeredBy(dag = "drift_check", when = "detect_drift.datasetDrfit")
    static final class DanglingTrigger {
        @Task
        void work() {
        }
    }

    @Dag(id = "count_batches", params = CountBatches.Batch.class, maxActiveRuns = 1)
    @OnKafkaRecords(topic = "counted", maxRecords = 1, maxWait = "PT1H")
    static final class CountBatches {
        record Batch(String topic, String offsets) {
        }

        @Task
        void count(Batch batch) {
        }
    }

    @TempDir
    Path home;
    MetadataStore metadata;
    SchedulerStore store;
    final List<DagRuntime> runtimes = new ArrayList<>();
    final MutableClock clock = new MutableClock(Instant.parse("2024-01-01T03:30:00Z"));
    final List<ObjectSource.StoredObject> objects = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        INTERVALS.clear();
        gate = new CountDownLatch(0);
        metadata = openMetadata();
        store = SchedulerStore.open(metadata.location());
    }

    MetadataStore openMetadata() {
        return MetadataStore.open(StoreLocation.h2InMemory("scheduler-" + UUID.randomUUID()));
    }

    @AfterEach
    void close() {
        gate.countDown();
        runtimes.forEach(DagRuntime::close);
        store.close();
        metadata.close();
    }

    private DagRuntime runtime() {
        DagRuntime runtime = DagRuntime.builder().environment(Map.of()).home(home).store(metadata).parallelism(4)
                .connections(Connections.of(Map.of())).build();
        runtimes.add(runtime);
        return runtime;
    }

    private Scheduler scheduler(DagRuntime runtime, boolean pausedAtCreation, Class<?>... dagClasses) {
        List<DagSpec> dags = java.util.Arrays.stream(dagClasses).map(DagDiscovery::load).toList();
        return new Scheduler(runtime, store, dags, clock, trigger -> List.copyOf(objects), pausedAtCreation);
    }

    @Test
    void passesThatComeEarlyForTheEndOfARunReuseTheOffsetsAskedWithinThePeriod() throws InterruptedException {
        DagRuntime runtime = runtime();
        AtomicInteger asked = new AtomicInteger();
        RecordSource records = trigger -> {
            asked.incrementAndGet();
            return Map.of(0, new RecordSource.OffsetSpan(0, 5));
        };
        Scheduler scheduler = new Scheduler(runtime, store, List.of(DagDiscovery.load(CountBatches.class)), clock,
                ObjectSource.NONE, records, false);
        // A period of an hour: after the first, every pass comes early, for the end of the run before it.
        Thread loop = new Thread(() -> scheduler.runUntilStopped(Duration.ofHours(1), Duration.ofSeconds(30)));
        loop.start();
        try {
            for (int waited = 0; waited < 600 && runsOf(runtime, "count_batches").stream()
                    .filter(r -> r.state() == RunState.SUCCESS).count() < 5; waited++) {
                Thread.sleep(50);
            }
        } finally {
            scheduler.stop();
            loop.join();
        }

        assertThat(runsOf(runtime, "count_batches")).extracting(DagRun::state).containsOnly(RunState.SUCCESS)
                .hasSize(5);
        assertThat(asked).hasValue(1);
    }

    @Test
    void aDagWhoseTriggerFailsDoesNotKeepTheOthersFromTheirRuns() {
        DagRuntime runtime = runtime();
        Scheduler scheduler = new Scheduler(runtime, store, List.of(DagDiscovery.load(IngestDrops.class),
                DagDiscovery.load(HourlyReport.class)), clock, trigger -> {
                    throw new IllegalStateException("bucket '" + trigger.bucket() + "' does not exist");
                }, false);

        scheduler.tick();
        assertThat(scheduler.awaitInFlight(Duration.ofSeconds(30))).isTrue();

        assertThat(runsOf(runtime, "hourly_report")).hasSize(3);
        assertThat(runsOf(runtime, "ingest_drops")).isEmpty();
    }

    @Test
    void aFailingTriggerIsReportedOnceUntilItsReasonChangesAndOnceMoreWhenItRecovers() {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger logger = (Logger) LoggerFactory.getLogger(Scheduler.class);
        logger.addAppender(log);
        List<String> missingBuckets = new CopyOnWriteArrayList<>(List.of("drops", "drops", "drops", "archive"));
        Scheduler scheduler = new Scheduler(runtime(), store, List.of(DagDiscovery.load(IngestDrops.class)), clock,
                trigger -> {
                    if (missingBuckets.isEmpty()) {
                        return List.of();
                    }
                    throw new IllegalStateException("bucket '" + missingBuckets.remove(0) + "' does not exist");
                }, false);
        try {
            for (int pass = 0; pass < 6; pass++) {
                clock.advance(Duration.ofHours(1)); // past the trigger's listing interval
                scheduler.tick();
            }
        } finally {
            logger.detachAppender(log);
        }

        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "Scheduler could not create the runs of DAG ingest_drops, and tries again at every pass (said again"
                        + " only if the reason changes): bucket 'drops' does not exist",
                "Scheduler could not create the runs of DAG ingest_drops, and tries again at every pass (said again"
                        + " only if the reason changes): bucket 'archive' does not exist",
                "Scheduler creates the runs of DAG ingest_drops again");
    }

    private Scheduler scheduler(DagRuntime runtime, Class<?>... dagClasses) {
        return scheduler(runtime, false, dagClasses);
    }

    private static List<DagRun> runsOf(DagRuntime runtime, String dagId) {
        return runtime.runs(Optional.of(dagId), 1000).stream()
                .sorted(Comparator.comparing(DagRun::logicalDate)).toList();
    }

    @Test
    void catchingUpCreatesAndExecutesARunForEachEndedIntervalOldestFirst() {
        DagRuntime runtime = runtime();
        Scheduler scheduler = scheduler(runtime, HourlyReport.class);
        scheduler.tick();
        assertThat(scheduler.awaitInFlight(Duration.ofSeconds(30))).isTrue();

        List<DagRun> runs = runsOf(runtime, "hourly_report");
        assertThat(runs).extracting(DagRun::runId).containsExactly(
                "scheduled__2024-01-01T00:00:00+00:00", "scheduled__2024-01-01T01:00:00+00:00",
                "scheduled__2024-01-01T02:00:00+00:00");
        assertThat(runs).extracting(DagRun::state).containsOnly(RunState.SUCCESS);
        assertThat(INTERVALS).containsExactlyInAnyOrder("2024-01-01T00:00:00Z/2024-01-01T01:00:00Z",
                "2024-01-01T01:00:00Z/2024-01-01T02:00:00Z", "2024-01-01T02:00:00Z/2024-01-01T03:00:00Z");

        scheduler.tick();
        assertThat(runsOf(runtime, "hourly_report")).hasSize(3);
        clock.set(Instant.parse("2024-01-01T04:00:00Z"));
        scheduler.tick();
        assertThat(runsOf(runtime, "hourly_report")).extracting(DagRun::runId)
                .endsWith("scheduled__2024-01-01T03:00:00+00:00");
        // The run writes its logs into the test's home, which must outlive it.
        assertThat(scheduler.awaitInFlight(Duration.ofSeconds(30))).isTrue();
    }

    @Test
    void withoutCatchupOnlyTheLatestEndedIntervalGetsARun() {
        DagRuntime runtime = runtime();
        Scheduler scheduler = scheduler(runtime, HourlyLatestOnly.class);
        scheduler.tick();
        scheduler.awaitInFlight(Duration.ofSeconds(30));
        assertThat(runsOf(runtime, "hourly_latest_only")).extracting(DagRun::runId)
                .containsExactly("scheduled__2024-01-01T02:00:00+00:00");
    }

    @Test
    void noMoreRunsOfADagStartThanItsMaxActiveRunsTheRestWaitQueued() {
        gate = new CountDownLatch(1);
        DagRuntime runtime = runtime();
        Scheduler scheduler = scheduler(runtime, OneAtATime.class);
        scheduler.tick();
        scheduler.tick();
        assertThat(scheduler.inFlight()).containsOnlyKeys("one_at_a_time/scheduled__2024-01-01T00:00:00+00:00");
        assertThat(runsOf(runtime, "one_at_a_time").subList(1, 3)).extracting(DagRun::state)
                .containsOnly(RunState.QUEUED);

        gate.countDown();
        for (int pass = 0; pass < 3; pass++) {
            scheduler.awaitInFlight(Duration.ofSeconds(30));
            scheduler.tick();
            assertThat(scheduler.inFlight()).hasSizeLessThanOrEqualTo(1);
        }
        scheduler.awaitInFlight(Duration.ofSeconds(30));
        assertThat(runsOf(runtime, "one_at_a_time")).extracting(DagRun::state).containsOnly(RunState.SUCCESS);
    }

    @Test
    void aPausedDagGetsNoRunsUntilUnpaused() {
        DagRuntime runtime = runtime();
        Scheduler scheduler = scheduler(runtime, HourlyLatestOnly.class);
        store.setPaused("hourly_latest_only", true, clock.instant());
        scheduler.tick();
        assertThat(runsOf(runtime, "hourly_latest_only")).isEmpty();

        store.setPaused("hourly_latest_only", false, clock.instant());
        scheduler.tick();
        scheduler.awaitInFlight(Duration.ofSeconds(30));
        assertThat(runsOf(runtime, "hourly_latest_only")).hasSize(1);
    }

    @Test
    void newDagsStartPausedWhenToldSo() {
        DagRuntime runtime = runtime();
        scheduler(runtime, true, HourlyLatestOnly.class).tick();
        assertThat(runsOf(runtime, "hourly_latest_only")).isEmpty();
        assertThat(store.state("hourly_latest_only")).map(SchedulerStore.DagState::paused).contains(true);
        assertThat(Scheduler.pausedAtCreation(Map.of(Scheduler.PAUSED_AT_CREATION_VARIABLE, "true"))).isTrue();
        assertThat(Scheduler.pausedAtCreation(Map.of())).isFalse();
    }

    @Test
    void twoSchedulersSharingADatabaseCreateEachRunOnce() {
        DagRuntime first = runtime();
        DagRuntime second = runtime();
        Scheduler one = scheduler(first, HourlyReport.class);
        Scheduler other = scheduler(second, HourlyReport.class);
        one.tick();
        other.tick();
        one.awaitInFlight(Duration.ofSeconds(30));
        other.awaitInFlight(Duration.ofSeconds(30));
        assertThat(runsOf(first, "hourly_report")).hasSize(3).extracting(DagRun::state).containsOnly(RunState.SUCCESS);
        assertThat(INTERVALS).hasSize(3);
    }

    @Test
    void theSchedulerLoopRunsAFastScheduleUntilStopped() throws InterruptedException {
        clock.set(Instant.parse("2024-01-01T00:00:30Z"));
        DagRuntime runtime = runtime();
        Scheduler scheduler = scheduler(runtime, EveryMinute.class);
        Thread loop = new Thread(() -> scheduler.runUntilStopped(Duration.ofMillis(20), Duration.ofSeconds(30)));
        loop.start();
        for (int minute = 1; minute <= 3; minute++) {
            clock.set(Instant.parse("2024-01-01T00:00:30Z").plus(Duration.ofMinutes(minute)));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (INTERVALS.size() < minute && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }
        scheduler.stop();
        loop.join(30_000);

        assertThat(loop.isAlive()).isFalse();
        assertThat(INTERVALS).containsExactly("scheduled__2024-01-01T00:00:00+00:00",
                "scheduled__2024-01-01T00:01:00+00:00", "scheduled__2024-01-01T00:02:00+00:00");
        assertThat(runsOf(runtime, "every_minute")).extracting(DagRun::state).containsOnly(RunState.SUCCESS);
        clock.advance(Duration.ofHours(1));
        Thread.sleep(100);
        assertThat(runsOf(runtime, "every_minute")).hasSize(3);
    }

    @Test
    void anAssetScheduledDagRunsOnceEveryAssetWasUpdatedAndOncePerBatch() {
        clock.set(Instant.now().minusSeconds(60));
        DagRuntime runtime = runtime();
        Scheduler scheduler = scheduler(runtime, ModelProducer.class, TableProducer.class, ModelConsumer.class);
        DagSpec model = DagDiscovery.load(ModelProducer.class);
        DagSpec table = DagDiscovery.load(TableProducer.class);
        scheduler.tick();

        runtime.run(model, RunRequest.manual());
        scheduler.tick();
        assertThat(runsOf(runtime, "model_consumer")).isEmpty();

        runtime.run(table, RunRequest.manual().withParams(Map.of("fail", "true")));
        scheduler.tick();
        assertThat(runsOf(runtime, "model_consumer")).as("a failed task updates nothing").isEmpty();

        runtime.run(table, RunRequest.manual());
        scheduler.tick();
        scheduler.awaitInFlight(Duration.ofSeconds(30));
        assertThat(runsOf(runtime, "model_consumer")).hasSize(1).first()
                .satisfies(r -> assertThat(r.runId()).startsWith("asset_triggered__"))
                .satisfies(r -> assertThat(r.runType()).isEqualTo(RunType.ASSET_TRIGGERED))
                .extracting(DagRun::state).isEqualTo(RunState.SUCCESS);

        for (int i = 0; i < 2; i++) {
            runtime.run(model, RunRequest.manual());
            runtime.run(table, RunRequest.manual());
        }
        scheduler.tick();
        scheduler.tick();
        scheduler.awaitInFlight(Duration.ofSeconds(30));
        assertThat(runsOf(runtime, "model_consumer")).hasSize(2);
    }

    @Test
    void aDagTriggeredByAnotherRunsWhenTheConditionHoldsWithValuesAsParams() {
        clock.set(Instant.now().minusSeconds(60));
        DagRuntime runtime = runtime();
        Scheduler scheduler = scheduler(runtime, DriftCheck.class, Retrain.class);
        DagSpec check = DagDiscovery.load(DriftCheck.class);
        scheduler.tick();

        String calm = runtime.run(check, RunRequest.manual().withRunId("calm")).runId();
        scheduler.tick();
        assertThat(runsOf(runtime, "retrain")).isEmpty();

        runtime.run(check, RunRequest.manual().withRunId("drifted").withParams(Map.of("drift", "true")));
        scheduler.tick();
        scheduler.tick();
        scheduler.awaitInFlight(Duration.ofSeconds(30));

        List<DagRun> retrains = runsOf(runtime, "retrain");
        assertThat(retrains).singleElement().satisfies(run -> {
            assertThat(run.runId()).isEqualTo("dag_triggered__drift_check__drifted");
            assertThat(run.runType()).isEqualTo(RunType.DAG_TRIGGERED);
            assertThat(run.params()).containsEntry("share", "0.75").containsEntry("report", "s3://reports/true.html");
            assertThat(run.state()).isEqualTo(RunState.SUCCESS);
        });
        assertThat(runtime.xcom("retrain", retrains.get(0).runId(), "train", String.class))
                .contains("s3://reports/true.html at 0.75");
        assertThat(store.judge("retrain", "drift_check", calm, Optional.empty(), clock.instant()))
                .as("the calm run was judged once already").isFalse();
    }

    @Test
    void aTriggerNamingAFieldTheWatchedTaskDoesNotReturnIsADefinitionError() {
        assertThatThrownBy(() -> scheduler(runtime(), DriftCheck.class, DanglingTrigger.class))
                .isInstanceOf(DagDefinitionException.class)
                .hasMessage("DanglingTrigger: @TriggeredBy path 'detect_drift.datasetDrfit': Summary has no component "
                        + "datasetDrfit; its components are [datasetDrift, share, report]");
        assertThatThrownBy(() -> scheduler(runtime(), Retrain.class))
                .isInstanceOf(DagDefinitionException.class)
                .hasMessage("Retrain: @TriggeredBy(dag = \"drift_check\") names no known DAG; known DAGs are [retrain]");
    }

    @Test
    void eachNewObjectStartsOneRunAcrossSchedulersAndRestarts() {
        DagRuntime runtime = runtime();
        objects.add(new ObjectSource.StoredObject("drops/2024-01-01.csv", "\"abc\""));
        Scheduler one = scheduler(runtime, IngestDrops.class);
        Scheduler other = scheduler(runtime(), IngestDrops.class);
        one.tick();
        other.tick();
        one.awaitInFlight(Duration.ofSeconds(30));
        other.awaitInFlight(Duration.ofSeconds(30));
        List<DagRun> runs = runsOf(runtime, "ingest_drops");
        assertThat(runs).singleElement().satisfies(run -> {
            assertThat(run.params()).containsEntry("key", "drops/2024-01-01.csv").containsEntry("etag", "\"abc\"");
            assertThat(run.runId()).startsWith("object__drops_2024-01-01.csv__");
            assertThat(run.runType()).isEqualTo(RunType.OBJECT_TRIGGERED);
        });

        clock.advance(Duration.ofMinutes(1));
        objects.add(new ObjectSource.StoredObject("drops/2024-01-02.csv", "\"def\""));
        Scheduler restarted = scheduler(runtime(), IngestDrops.class);
        restarted.tick();
        restarted.awaitInFlight(Duration.ofSeconds(30));
        assertThat(runsOf(runtime, "ingest_drops")).hasSize(2);

        clock.advance(Duration.ofSeconds(30));
        objects.set(0, new ObjectSource.StoredObject("drops/2024-01-01.csv", "\"rewritten\""));
        restarted.tick();
        assertThat(runsOf(runtime, "ingest_drops")).as("listed again only after every").hasSize(2);
        clock.advance(Duration.ofSeconds(30));
        restarted.tick();
        restarted.awaitInFlight(Duration.ofSeconds(30));
        assertThat(runsOf(runtime, "ingest_drops")).as("a rewritten object is a new one").hasSize(3)
                .extracting(DagRun::state).containsOnly(RunState.SUCCESS);
    }

    @Test
    void anObjectClaimedByASchedulerThatStoppedBeforeCreatingItsRunGetsItsRun() {
        DagRuntime runtime = runtime();
        ObjectSource.StoredObject object = new ObjectSource.StoredObject("drops/late.csv", "\"1\"");
        store.claimObject(new SchedulerStore.SeenObject("ingest_drops", "landing", object.key(), object.etag(),
                Scheduler.objectRunId("landing", object)), clock.instant());
        Scheduler scheduler = scheduler(runtime, IngestDrops.class);
        scheduler.tick();
        scheduler.awaitInFlight(Duration.ofSeconds(30));
        assertThat(runsOf(runtime, "ingest_drops")).singleElement()
                .satisfies(run -> assertThat(run.params()).containsEntry("key", "drops/late.csv"));
    }
}
