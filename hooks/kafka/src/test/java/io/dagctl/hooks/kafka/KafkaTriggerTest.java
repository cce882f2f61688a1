package io.dagctl.hooks.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.ConnectionUri;
import io.dagctl.Connections;
import io.dagctl.Dag;
import io.dagctl.FailWithoutRetryException;
import io.dagctl.KafkaBatch;
import io.dagctl.OnKafkaRecords;
import io.dagctl.RunState;
import io.dagctl.Task;
import io.dagctl.TaskContext;
import io.dagctl.TaskState;
import io.dagctl.embedded.kafka.testing.SharedLocalKafka;
import io.dagctl.embedded.testing.SharedPostgres;
import io.dagctl.internal.discovery.DagDiscovery;
import io.dagctl.internal.runtime.DagRuntime;
import io.dagctl.internal.runtime.ExecutionMode;
import io.dagctl.internal.runtime.RunRequest;
import io.dagctl.internal.runtime.Worker;
import io.dagctl.internal.schedule.ObjectSource;
import io.dagctl.internal.schedule.Scheduler;
import io.dagctl.internal.schedule.SchedulerStore;
import io.dagctl.internal.store.DagRun;
import io.dagctl.internal.store.MetadataStore;
import io.dagctl.internal.store.RunType;
import io.dagctl.internal.store.StoreLocation;
import io.dagctl.internal.store.TaskInstance;
import io.dagctl.spec.DagSpec;
import io.dagctl.testkit.MutableClock;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaTriggerTest {
    /** Every record a run read, as {@code runId topic/partition@offset value}. */
    static final List<String> READ = new CopyOnWriteArrayList<>();

    public record Batch(String topic, String offsets) {
    }

    @Dag(id = "count_batches", params = Batch.class)
    @OnKafkaRecords(topic = "trigger-counted", maxRecords = 64, maxWait = "PT10S")
    public static final class CountBatches {
        private final KafkaHook kafka;

        @Inject
        public CountBatches(KafkaHook kafka) {
            this.kafka = kafka;
        }

        @Task
        public int count(TaskContext context, Batch batch) {
            List<KafkaRecord> records = kafka.read(KafkaBatch.parse(batch.topic(), batch.offsets()));
            records.forEach(r -> READ.add(context.runId() + " " + r.position() + " " + r.valueAsString()));
            return records.size();
        }
    }

    @Dag(id = "in_order", params = Batch.class, maxActiveRuns = 1)
    @OnKafkaRecords(topic = "trigger-ordered", maxRecords = 2, maxWait = "PT10S")
    public static final class InOrder {
        private final KafkaHook kafka;

        @Inject
        public InOrder(KafkaHook kafka) {
            this.kafka = kafka;
        }

        @Task(retries = 3)
        public int consume(TaskContext context, Batch batch) {
            return consumeUnlessPoisoned(kafka, context, batch);
        }
    }

    /** {@link InOrder} on a topic of its own, for the run on workers. */
    @Dag(id = "in_order_on_workers", params = Batch.class, maxActiveRuns = 1)
    @OnKafkaRecords(topic = "trigger-ordered-workers", maxRecords = 2, maxWait = "PT10S")
    public static final class InOrderOnWorkers {
        private final KafkaHook kafka;

        @Inject
        public InOrderOnWorkers(KafkaHook kafka) {
            this.kafka = kafka;
        }

        @Task(retries = 3)
        public int consume(TaskContext context, Batch batch) {
            return consumeUnlessPoisoned(kafka, context, batch);
        }
    }

    static int consumeUnlessPoisoned(KafkaHook kafka, TaskContext context, Batch batch) {
        for (KafkaRecord record : kafka.read(KafkaBatch.parse(batch.topic(), batch.offsets()))) {
            if (record.valueAsString().equals("poison")) {
                throw new FailWithoutRetryException("malformed message at " + record.position());
            }
            READ.add(context.runId() + " " + record.valueAsString());
        }
        return 0;
    }

    /** Started after the batches: once a worker has started it, the worker has looked at every batch queued before. */
    @Dag(id = "later_manual_run")
    public static final class LaterManualRun {
        @Task
        public void nothing() {
        }
    }

    static KafkaHook kafka;

    @TempDir
    Path home;
    MetadataStore metadata;
    SchedulerStore store;
    final List<DagRuntime> runtimes = new ArrayList<>();
    final List<SchedulerStore> extraStores = new ArrayList<>();
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
    final Connections connections = Connections.of(Map.of("kafka_default",
            ConnectionUri.parse("kafka_default", SharedLocalKafka.connectionUri())));

    @BeforeAll
    static void connect() {
        kafka = new KafkaHookFactory().create(ConnectionUri.parse("kafka_default", SharedLocalKafka.connectionUri()));
        kafka.createTopic("trigger-counted", 2);
        kafka.createTopic("trigger-ordered", 1);
        kafka.createTopic("trigger-ordered-workers", 1);
    }

    @BeforeEach
    void open() {
        READ.clear();
        metadata = MetadataStore.open(StoreLocation.h2File(home.resolve("metadata")));
        store = SchedulerStore.open(metadata.location());
    }

    @AfterEach
    void close() {
        runtimes.forEach(DagRuntime::close);
        extraStores.forEach(SchedulerStore::close);
        store.close();
        metadata.close();
    }

    private Scheduler scheduler(KafkaRecordSource records, Class<?> dagClass) {
        DagRuntime runtime = DagRuntime.builder().environment(Map.of()).home(home).store(metadata).parallelism(2)
                .connections(connections).modules(List.of(new KafkaHookModule())).build();
        runtimes.add(runtime);
        return new Scheduler(runtime, store, List.of(DagDiscovery.load(dagClass)), clock, ObjectSource.NONE, records,
                false);
    }

    private List<DagRun> runs(String dagId) {
        return runs(metadata, dagId);
    }

    @Test
    void cutsFullBatchesInOffsetOrderAndASmallerOneOnceRecordsWaitedMaxWait() {
        long before = kafka.partitions("trigger-counted").stream().mapToLong(PartitionOffsets::end).sum();
        assertThat(before).isZero();
        kafka.produce("trigger-counted", IntStream.range(0, 150)
                .mapToObj(i -> KafkaMessage.of(null, "r" + i)).toList());
        try (KafkaRecordSource records = new KafkaRecordSource(connections)) {
            Scheduler scheduler = scheduler(records, CountBatches.class);

            DagSpec dag = DagDiscovery.load(CountBatches.class);
            assertThat(scheduler.kafkaLag(dag)).isEqualTo(150);

            scheduler.tick();
            assertThat(scheduler.awaitInFlight(Duration.ofSeconds(60))).isTrue();
            assertThat(runs("count_batches")).extracting(DagRun::runId)
                    .containsExactly("kafka__trigger-counted__0000000001", "kafka__trigger-counted__0000000002");
            assertThat(scheduler.kafkaLag(dag)).isEqualTo(22);

            clock.advance(Duration.ofSeconds(9));
            scheduler.tick();
            assertThat(runs("count_batches")).hasSize(2);

            clock.advance(Duration.ofSeconds(2));
            scheduler.tick();
            assertThat(scheduler.awaitInFlight(Duration.ofSeconds(60))).isTrue();
            assertThat(scheduler.kafkaLag(dag)).isZero();
        }

        List<DagRun> runs = runs("count_batches");
        assertThat(runs).hasSize(3).allSatisfy(run -> {
            assertThat(run.state()).isEqualTo(RunState.SUCCESS);
            assertThat(run.runType()).isEqualTo(RunType.KAFKA_TRIGGERED);
            assertThat(run.params()).containsEntry("topic", "trigger-counted");
        });
        List<KafkaBatch> batches = runs.stream()
                .map(r -> KafkaBatch.parse(r.params().get("topic"), r.params().get("offsets"))).toList();
        assertThat(batches).extracting(KafkaBatch::records).containsExactly(64L, 64L, 22L);
        // Partition after partition: the first batch starts at the first offset of the first partition with records.
        int firstFilled = kafka.partitions("trigger-counted").stream().filter(p -> p.records() > 0)
                .mapToInt(PartitionOffsets::partition).min().orElseThrow();
        assertThat(batches.get(0).ranges().get(0)).isEqualTo(new KafkaBatch.OffsetRange(firstFilled, 0,
                batches.get(0).ranges().get(0).last()));
        assertThat(READ).hasSize(150);
        assertThat(READ.stream().map(line -> line.substring(line.lastIndexOf(' ') + 1)).distinct()).hasSize(150);
        assertEveryOffsetCoveredOnce(kafka, batches, "trigger-counted");
    }

    @Test
    void twoSchedulersAndTwoWorkersSharingAPostgresDatabaseRunEveryOffsetInExactlyOneSuccessfulRunWhileRecordsArrive()
            throws Exception {
        kafka.createTopic("trigger-shared", 3);
        try (MetadataStore postgres = MetadataStore.open(StoreLocation.fromEnvironment(
                     Map.of(StoreLocation.DB_URL_VARIABLE, SharedPostgres.freshDatabase("kafka")), home));
             KafkaRecordSource first = new KafkaRecordSource(connections);
             KafkaRecordSource second = new KafkaRecordSource(connections)) {
            DagRuntime firstRuntime = workersRuntime(postgres);
            DagRuntime secondRuntime = workersRuntime(postgres);
            Scheduler a = sharedScheduler(first, postgres, firstRuntime);
            Scheduler b = sharedScheduler(second, postgres, secondRuntime);
            List<Worker> workers = List.of(firstRuntime.worker(), secondRuntime.worker());
            List<Thread> working = workers.stream().map(w -> new Thread(w::run)).toList();
            working.forEach(Thread::start);
            Thread producer = new Thread(() -> {
                for (int i = 0; i < 20; i++) {
                    int round = i;
                    kafka.produce("trigger-shared", IntStream.range(0, 500)
                            .mapToObj(n -> KafkaMessage.of("k" + n, round + "-" + n)).toList());
                }
            });
            producer.start();
            do {
                tickBoth(a, b);
            } while (producer.isAlive());
            // A pass cuts at most 64 batches: the backlog left when production ends takes a few more.
            DagSpec dag = DagDiscovery.load(SharedBatches.class);
            for (int pass = 0; pass < 10 && a.kafkaLag(dag) > 0; pass++) {
                clock.advance(Duration.ofMinutes(1));
                tickBoth(a, b);
            }
            try {
                Instant deadline = Instant.now().plusSeconds(120);
                while (runs(postgres, "shared_batches").stream().anyMatch(r -> r.state() != RunState.SUCCESS)) {
                    assertThat(Instant.now()).as("every batch run ended in time").isBefore(deadline);
                    Thread.sleep(50);
                }
            } finally {
                workers.forEach(Worker::close);
                for (Thread thread : working) {
                    thread.join();
                }
            }

            List<DagRun> runs = runs(postgres, "shared_batches");
            assertThat(runs).extracting(DagRun::state).containsOnly(RunState.SUCCESS);
            List<KafkaBatch> batches = runs.stream()
                    .map(r -> KafkaBatch.parse(r.params().get("topic"), r.params().get("offsets"))).toList();
            assertEveryOffsetCoveredOnce(kafka, batches, "trigger-shared");
            assertThat(batches.stream().mapToLong(KafkaBatch::records).sum()).isEqualTo(10_000);
            runtimes.forEach(DagRuntime::close);
            runtimes.clear();
        }
    }

    /** Both schedulers pass at the same moment, as two processes would. */
    private static void tickBoth(Scheduler a, Scheduler b) throws InterruptedException {
        Thread ta = new Thread(a::tick);
        Thread tb = new Thread(b::tick);
        ta.start();
        tb.start();
        ta.join();
        tb.join();
    }

    @Dag(id = "shared_batches", params = Batch.class)
    @OnKafkaRecords(topic = "trigger-shared", maxRecords = 97, maxWait = "PT30S")
    public static final class SharedBatches {
        @Task
        public void nothing() {
        }
    }

    /** A scheduler with its own runtime and its own connections to the shared database, as another process has. */
    private Scheduler sharedScheduler(KafkaRecordSource records, MetadataStore database, DagRuntime runtime) {
        SchedulerStore own = SchedulerStore.open(database.location());
        extraStores.add(own);
        return new Scheduler(runtime, own, List.of(DagDiscovery.load(SharedBatches.class)), clock, ObjectSource.NONE,
                records, false);
    }

    @Test
    void aBatchClaimedWithoutItsRunByAnEarlierVersionThatStoppedGetsItsRunOnTheFirstPass() {
        kafka.createTopic("trigger-orphan", 1);
        kafka.produce("trigger-orphan", IntStream.range(0, 5).mapToObj(i -> KafkaMessage.of(null, "o" + i)).toList());
        // Earlier versions committed a batch's claim before making its run.
        metadata.write(tx -> tx.claimKafkaBatch("orphan_batches", 1, KafkaBatch.parse("trigger-orphan", "0:0-2"),
                "kafka__trigger-orphan__0000000001", clock.instant()));

        try (KafkaRecordSource records = new KafkaRecordSource(connections)) {
            Scheduler scheduler = scheduler(records, OrphanBatches.class);
            scheduler.tick();
            assertThat(scheduler.awaitInFlight(Duration.ofSeconds(60))).isTrue();
            assertThat(runs("orphan_batches")).extracting(r -> r.params().get("offsets")).containsExactly("0:0-2");
            clock.advance(Duration.ofSeconds(6));
            scheduler.tick();
            assertThat(scheduler.awaitInFlight(Duration.ofSeconds(60))).isTrue();
        }

        assertThat(runs("orphan_batches")).extracting(r -> r.params().get("offsets")).containsExactly("0:0-2", "0:3-4");
    }

    @Dag(id = "orphan_batches", params = Batch.class)
    @OnKafkaRecords(topic = "trigger-orphan", maxRecords = 10, maxWait = "PT5S")
    public static final class OrphanBatches {
        @Task
        public void nothing() {
        }
    }

    @Test
    void aFailedBatchHoldsTheLaterBatchesBackWhenBatchesRunOneAtATime() {
        kafka.produce("trigger-ordered", List.of(KafkaMessage.of(null, "a"), KafkaMessage.of(null, "b"),
                KafkaMessage.of(null, "poison"), KafkaMessage.of(null, "c"), KafkaMessage.of(null, "d"),
                KafkaMessage.of(null, "e")));
        try (KafkaRecordSource records = new KafkaRecordSource(connections)) {
            Scheduler scheduler = scheduler(records, InOrder.class);
            for (int pass = 0; pass < 6; pass++) {
                scheduler.tick();
                assertThat(scheduler.awaitInFlight(Duration.ofSeconds(60))).isTrue();
            }

            assertThat(runs("in_order")).extracting(DagRun::state)
                    .containsExactly(RunState.SUCCESS, RunState.FAILED, RunState.QUEUED);
            assertThat(READ).containsExactly("kafka__trigger-ordered__0000000001 a",
                    "kafka__trigger-ordered__0000000001 b");
            TaskInstance poisoned = metadata.taskInstances("in_order", "kafka__trigger-ordered__0000000002").get(0);
            assertThat(poisoned.tryNumber()).isEqualTo(1);
            assertThat(poisoned.error()).hasValueSatisfying(error ->
                    assertThat(error).contains("malformed message at trigger-ordered/0@2"));

            assertThat(runtimes.get(0).skipFailed("in_order", "kafka__trigger-ordered__0000000002"))
                    .containsExactly("consume");
            scheduler.tick();
            assertThat(scheduler.awaitInFlight(Duration.ofSeconds(60))).isTrue();
        }

        assertThat(runs("in_order")).extracting(DagRun::state)
                .containsExactly(RunState.SUCCESS, RunState.SUCCESS, RunState.SUCCESS);
        assertThat(metadata.taskInstances("in_order", "kafka__trigger-ordered__0000000002"))
                .extracting(TaskInstance::state).containsExactly(TaskState.SKIPPED);
        assertThat(READ).containsExactly("kafka__trigger-ordered__0000000001 a", "kafka__trigger-ordered__0000000001 b",
                "kafka__trigger-ordered__0000000003 d", "kafka__trigger-ordered__0000000003 e");
    }

    @Test
    void aFailedBatchHoldsTheLaterBatchesBackOnWorkersUntilItIsSkipped() throws Exception {
        kafka.produce("trigger-ordered-workers", List.of(KafkaMessage.of(null, "a"), KafkaMessage.of(null, "b"),
                KafkaMessage.of(null, "poison"), KafkaMessage.of(null, "c"), KafkaMessage.of(null, "d"),
                KafkaMessage.of(null, "e")));
        try (MetadataStore postgres = MetadataStore.open(StoreLocation.fromEnvironment(
                     Map.of(StoreLocation.DB_URL_VARIABLE, SharedPostgres.freshDatabase("ordered")), home));
             SchedulerStore postgresStore = SchedulerStore.open(postgres.location());
             KafkaRecordSource records = new KafkaRecordSource(connections)) {
            DagRuntime runtime = workersRuntime(postgres);
            Scheduler scheduler = new Scheduler(runtime, postgresStore, List.of(DagDiscovery.load(InOrderOnWorkers.class),
                    DagDiscovery.load(LaterManualRun.class)), clock, ObjectSource.NONE, records, false);
            Worker worker = runtime.worker();
            Thread working = new Thread(worker::run);
            working.start();
            try {
                scheduler.tick();
                String second = "kafka__trigger-ordered-workers__0000000002";
                awaitRun(postgres, "in_order_on_workers", second, RunState.FAILED);
                String later = runtime.trigger(DagDiscovery.load(LaterManualRun.class), RunRequest.manual());
                awaitRun(postgres, "later_manual_run", later, RunState.SUCCESS);

                assertThat(runs(postgres, "in_order_on_workers")).extracting(DagRun::state)
                        .containsExactly(RunState.SUCCESS, RunState.FAILED, RunState.QUEUED);
                assertThat(READ).containsExactly("kafka__trigger-ordered-workers__0000000001 a",
                        "kafka__trigger-ordered-workers__0000000001 b");

                assertThat(runtime.skipFailed("in_order_on_workers", second)).containsExactly("consume");
                awaitRun(postgres, "in_order_on_workers", "kafka__trigger-ordered-workers__0000000003",
                        RunState.SUCCESS);
            } finally {
                worker.close();
                working.join();
            }
            assertThat(runs(postgres, "in_order_on_workers")).extracting(DagRun::state)
                    .containsExactly(RunState.SUCCESS, RunState.SUCCESS, RunState.SUCCESS);
            assertThat(READ).containsExactly("kafka__trigger-ordered-workers__0000000001 a",
                    "kafka__trigger-ordered-workers__0000000001 b", "kafka__trigger-ordered-workers__0000000003 d",
                    "kafka__trigger-ordered-workers__0000000003 e");
            runtimes.forEach(DagRuntime::close);
            runtimes.clear();
        }
    }

    /** A runtime that hands its runs to workers, as {@code DAGCTL_EXECUTOR=workers} makes it. */
    private DagRuntime workersRuntime(MetadataStore database) {
        DagRuntime runtime = DagRuntime.builder().environment(Map.of()).home(home).store(database).parallelism(2)
                .executor(ExecutionMode.WORKERS).connections(connections).modules(List.of(new KafkaHookModule()))
                .build();
        runtimes.add(runtime);
        return runtime;
    }

    private static List<DagRun> runs(MetadataStore database, String dagId) {
        return database.runs(Optional.of(dagId), 100_000).stream().sorted(Comparator.comparing(DagRun::runId))
                .toList();
    }

    private static void awaitRun(MetadataStore database, String dagId, String runId, RunState state)
            throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        while (database.findRun(dagId, runId).map(DagRun::state).filter(state::equals).isEmpty()) {
            assertThat(Instant.now()).as("run %s of %s %s in time", runId, dagId, state.label()).isBefore(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void aTriggerWhoseBrokerIsUnreachableMakesNoRunAndTriesAgain() {
        Connections unreachable = Connections.of(Map.of("kafka_default", ConnectionUri.parse("kafka_default",
                "kafka://127.0.0.1:1?default.api.timeout.ms=1500&request.timeout.ms=1000")));
        try (KafkaRecordSource records = new KafkaRecordSource(unreachable)) {
            Scheduler scheduler = scheduler(records, CountBatches.class);
            scheduler.tick();
        }
        assertThat(runs("count_batches")).isEmpty();
    }

    /** Each offset the topic holds is in exactly one of the batches. */
    static void assertEveryOffsetCoveredOnce(KafkaHook kafka, List<KafkaBatch> batches, String topic) {
        Map<Integer, Set<Long>> covered = new ConcurrentHashMap<>();
        for (KafkaBatch batch : batches) {
            for (KafkaBatch.OffsetRange range : batch.ranges()) {
                for (long offset = range.first(); offset <= range.last(); offset++) {
                    assertThat(covered.computeIfAbsent(range.partition(), p -> ConcurrentHashMap.newKeySet())
                            .add(offset)).as("offset %d of partition %d covered once", offset, range.partition())
                            .isTrue();
                }
            }
        }
        for (PartitionOffsets partition : kafka.partitions(topic)) {
            assertThat(covered.getOrDefault(partition.partition(), Set.of()))
                    .hasSize((int) partition.records());
        }
    }
}
