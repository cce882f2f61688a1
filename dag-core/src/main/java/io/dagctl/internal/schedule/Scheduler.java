package io.dagctl.internal.schedule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dagctl.DataInterval;
import io.dagctl.KafkaBatch;
import io.dagctl.RunState;
import io.dagctl.Secrets;
import io.dagctl.internal.runtime.DagRuntime;
import io.dagctl.internal.runtime.ExecutionMode;
import io.dagctl.internal.runtime.RunRequest;
import io.dagctl.internal.runtime.RunResult;
import io.dagctl.internal.schedule.SchedulerStore.AssetEvent;
import io.dagctl.internal.schedule.SchedulerStore.DagState;
import io.dagctl.internal.schedule.RecordSource.OffsetSpan;
import io.dagctl.internal.schedule.SchedulerStore.FinishedRun;
import io.dagctl.internal.schedule.SchedulerStore.KafkaClaim;
import io.dagctl.internal.schedule.SchedulerStore.NextKafkaBatch;
import io.dagctl.internal.schedule.SchedulerStore.SeenObject;
import io.dagctl.internal.store.DagRun;
import io.dagctl.internal.store.MetadataStore;
import io.dagctl.internal.store.Outage;
import io.dagctl.internal.store.RunType;
import io.dagctl.spec.DagSpec;
import io.dagctl.spec.Triggers.CompletionTrigger;
import io.dagctl.spec.Triggers.KafkaRecordsTrigger;
import io.dagctl.spec.Triggers.NewObjectsTrigger;
import io.dagctl.spec.XComPath;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts runs by itself: runs of time schedules once their data interval has ended, runs of DAGs scheduled on
 * assets, triggered by another DAG's runs, by new objects under an S3 prefix, or by micro-batches of a Kafka topic's
 * records; then executes them in this process,
 * no more at once per DAG than its {@code maxActiveRuns} (or, when the runtime hands runs to workers, leaves them to
 * the workers). Every decision is keyed in the database (run ids, seen
 * objects, judged runs), so schedulers sharing one never start the same thing twice.
 *
 * <p>{@link #tick()} makes one pass, for tests and for {@link #runUntilStopped}.
 */
public final class Scheduler {
    /** {@code true} makes newly seen DAGs start paused. */
    public static final String PAUSED_AT_CREATION_VARIABLE = "DAGCTL_DAGS_PAUSED_AT_CREATION";
    public static final String SCHEDULED_PREFIX = "scheduled__";
    public static final String BACKFILL_PREFIX = "backfill__";
    static final String ASSET_PREFIX = "asset_triggered__";
    static final String DAG_TRIGGERED_PREFIX = "dag_triggered__";
    static final String OBJECT_PREFIX = "object__";
    static final String KAFKA_PREFIX = "kafka__";
    private static final List<String> OWN_PREFIXES =
            List.of(SCHEDULED_PREFIX, ASSET_PREFIX, DAG_TRIGGERED_PREFIX, OBJECT_PREFIX, KAFKA_PREFIX);
    /** Catching up creates at most this many runs of a DAG per pass, so one DAG cannot stall the others. */
    private static final int MAX_CREATED_PER_PASS = 64;
    /**
     * How often a scheduler whose runs neither began nor ended looks for runs that may start all the same: runs made
     * by other processes, cleared, of an unpaused DAG, or behind a skipped batch.
     */
    private static final long STARTABLE_READ_EVERY_NANOS = Duration.ofSeconds(1).toNanos();
    private static final DateTimeFormatter RUN_ID_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);

    private final DagRuntime runtime;
    private final SchedulerStore store;
    private final List<DagSpec> dags;
    private final Map<String, Timetable> timetables = new HashMap<>();
    private final Clock clock;
    private final ObjectSource objects;
    private final RecordSource records;
    private final boolean pausedAtCreation;
    private final Map<String, Instant> lastListed = new HashMap<>();
    /** Why each DAG's runs could not be created in the last pass, said once until it changes or the DAG recovers. */
    private final Map<String, String> failingTriggers = new HashMap<>();
    /**
     * The Kafka-triggered DAGs whose batches without a run (claimed by a version that recorded a batch before making
     * its run, and stopped in between) this scheduler has made the runs of: it looks for them once.
     */
    private final Set<String> orphanBatchesMade = new HashSet<>();
    /**
     * Per Kafka-triggered DAG, the number of its next batch and per partition the offset after the last one its
     * batches cover, as this scheduler last read or claimed them. Read from the database on a DAG's first pass and
     * after another scheduler's claim refused one of this scheduler's: a claim from a number or offsets another has
     * taken meanwhile conflicts with that one's.
     */
    private final Map<String, NextKafkaBatch> nextBatches = new HashMap<>();
    /** The DAGs' states as the last pass that read them found them, and when it read them. */
    private Map<String, DagState> lastStates;
    private long statesReadAt;
    /** Per Kafka-triggered DAG, the offsets its topic held when this scheduler last asked, and when it asked. */
    private final Map<String, HeldOffsets> heldOffsets = new HashMap<>();
    /** Since when records have waited for each Kafka-triggered DAG, without a pass finding none uncovered. */
    private final Map<String, Instant> recordsWaitingSince = new HashMap<>();
    private final Map<String, CompletableFuture<RunResult>> inFlight = new ConcurrentHashMap<>();
    /** Set when this scheduler made a run or one it executed ended: the next pass looks for runs that may start. */
    private final AtomicBoolean startableChanged = new AtomicBoolean(true);
    private long startableReadAt = System.nanoTime();
    private final Object wakeUp = new Object();
    /** A run this scheduler executed ended since the last pass began; guarded by {@link #wakeUp}. */
    private boolean runEnded;
    private volatile boolean stopped;

    /**
     * @throws io.dagctl.spec.DagDefinitionException when a {@code @TriggeredBy} names what does not exist
     */
    public Scheduler(DagRuntime runtime, SchedulerStore store, List<DagSpec> dags, Clock clock, ObjectSource objects,
            boolean pausedAtCreation) {
        this(runtime, store, dags, clock, objects, RecordSource.NONE, pausedAtCreation);
    }

    /** A scheduler that also cuts the micro-batches of {@code @OnKafkaRecords} DAGs, reading offsets from records. */
    public Scheduler(DagRuntime runtime, SchedulerStore store, List<DagSpec> dags, Clock clock, ObjectSource objects,
            RecordSource records, boolean pausedAtCreation) {
        TriggerLinks.check(dags);
        this.runtime = runtime;
        this.store = store;
        this.dags = List.copyOf(dags);
        this.clock = clock;
        this.objects = objects;
        this.records = records;
        this.pausedAtCreation = pausedAtCreation;
        dags.forEach(runtime::register);
        dags.forEach(d -> Timetable.of(d).ifPresent(t -> timetables.put(d.id(), t)));
    }

    /** {@code DAGCTL_DAGS_PAUSED_AT_CREATION}: new DAGs start unpaused unless it is {@code true}. */
    public static boolean pausedAtCreation(Map<String, String> environment) {
        return Boolean.parseBoolean(environment.getOrDefault(PAUSED_AT_CREATION_VARIABLE, "false").strip());
    }

    /** The id of the scheduled run for an interval: {@code scheduled__2024-01-01T00:00:00+00:00}. */
    public static String scheduledRunId(DataInterval interval) {
        return SCHEDULED_PREFIX + RUN_ID_DATE.format(interval.start().atOffset(ZoneOffset.UTC));
    }

    public static String backfillRunId(DataInterval interval) {
        return BACKFILL_PREFIX + RUN_ID_DATE.format(interval.start().atOffset(ZoneOffset.UTC));
    }

    /**
     * Passes every {@code every} until {@link #stop()}, then lets the runs in flight finish for up to {@code grace};
     * runs still going after that are left for {@code DagRuntime.close()} to interrupt, resumable.
     */
    public void runUntilStopped(Duration every, Duration grace) {
        // A lost database must not end the scheduler: passes are retried, with a backoff up to one period.
        Outage outage = new Outage(LOG, "Scheduler", every.compareTo(Duration.ofSeconds(1)) < 0
                ? Duration.ofSeconds(1) : every);
        // A pass that comes early, for a run that ended, reads the DAGs' states and asks the broker for offsets only
        // once a period has passed since they were last read: with runs ending every few milliseconds, it would read
        // them at each of them.
        Duration readsFreshFor = Duration.ZERO;
        while (!stopped) {
            long waitMillis = every.toMillis();
            boolean passed = true;
            try {
                pass(startableChanged.getAndSet(false)
                        || System.nanoTime() - startableReadAt >= STARTABLE_READ_EVERY_NANOS, readsFreshFor);
                outage.succeeded();
            } catch (RuntimeException e) {
                waitMillis = outage.failed("make a pass", e).toMillis();
                passed = false;
            }
            synchronized (wakeUp) {
                // A run that ended during the pass freed its slot: the next pass comes at once, unless in an outage.
                if (!stopped && !(passed && runEnded)) {
                    try {
                        wakeUp.wait(Math.max(1, waitMillis));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        stopped = true;
                    }
                }
                readsFreshFor = passed && runEnded ? every : Duration.ZERO;
                runEnded = false;
            }
        }
        if (!awaitInFlight(grace)) {
            LOG.warn("{} run(s) still executing after {}; they stay resumable", inFlight.size(), grace);
        }
    }

    /** Makes {@link #runUntilStopped} stop creating and starting runs. */
    public void stop() {
        stopped = true;
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
    }

    /** Waits for the runs this scheduler started; false when some still run after {@code timeout}. */
    public boolean awaitInFlight(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (CompletableFuture<RunResult> run : List.copyOf(inFlight.values())) {
            try {
                run.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (ExecutionException e) {
                // logged when it ended
            }
        }
        return true;
    }

    /** One pass over every DAG: record asset updates, create what is due, start what may start. */
    public void tick() {
        startableChanged.set(false);
        pass(true, Duration.ZERO);
    }

    /**
     * A pass; it looks for the runs that may start only when {@code startable} says some may, since that reads every
     * unfinished run. The DAGs' states and the offsets of their topics read less than {@code readsFreshFor} ago are
     * not read again.
     */
    private void pass(boolean startable, Duration readsFreshFor) {
        Instant now = clock.instant();
        Map<String, DagState> states = lastStates;
        if (states == null || System.nanoTime() - statesReadAt >= readsFreshFor.toNanos()) {
            statesReadAt = System.nanoTime();
            states = new LinkedHashMap<>();
            for (DagSpec dag : dags) {
                states.put(dag.id(), store.register(dag.id(), pausedAtCreation, now));
            }
            lastStates = states;
        }
        recordAssetUpdates(states, now);
        for (DagSpec dag : dags) {
            DagState state = states.get(dag.id());
            if (state.paused() || stopped) {
                continue;
            }
            try {
                createRuns(dag, state, now, readsFreshFor);
                if (failingTriggers.remove(dag.id()) != null) {
                    LOG.info("Scheduler creates the runs of DAG {} again", dag.id());
                }
            } catch (RuntimeException e) {
                // One DAG's trigger failing (a bucket missing, say) must not keep the others from their runs.
                String why = Secrets.mask(String.valueOf(e.getMessage()));
                if (!why.equals(failingTriggers.put(dag.id(), why))) {
                    LOG.error("Scheduler could not create the runs of DAG {}, and tries again at every pass (said"
                            + " again only if the reason changes): {}", dag.id(), why);
                }
            }
        }
        if (startable || startableChanged.getAndSet(false)) {
            startableReadAt = System.nanoTime();
            startQueuedRuns(states);
        }
    }

    private void createRuns(DagSpec dag, DagState state, Instant now, Duration readsFreshFor) {
        Timetable timetable = timetables.get(dag.id());
        if (timetable != null) {
            createScheduledRuns(dag, timetable, state, now);
        }
        if (!dag.triggers().assets().isEmpty()) {
            createAssetRun(dag);
        }
        dag.triggers().triggeredBy().ifPresent(trigger -> judgeFinishedRuns(dag, trigger, state, now));
        dag.triggers().newObjects().ifPresent(trigger -> createObjectRuns(dag, trigger, now));
        dag.triggers().kafkaRecords().ifPresent(trigger -> createKafkaRuns(dag, trigger, now, readsFreshFor));
    }

    private void recordAssetUpdates(Map<String, DagState> states, Instant now) {
        for (DagSpec dag : dags) {
            dag.triggers().updates().forEach((taskId, assets) -> {
                for (String asset : assets) {
                    int recorded = store.recordAssetUpdates(asset, dag.id(), taskId,
                            states.get(dag.id()).knownSince(), now);
                    if (recorded > 0) {
                        LOG.info("Asset {} updated by task {} of DAG {} ({} update(s))", asset, taskId, dag.id(),
                                recorded);
                    }
                }
            });
        }
    }

    private void createScheduledRuns(DagSpec dag, Timetable timetable, DagState state, Instant now) {
        Optional<Instant> last = store.lastScheduledLogicalDate(dag.id());
        for (int created = 0; created < MAX_CREATED_PER_PASS; created++) {
            Optional<DataInterval> next = timetable.next(last, state.knownSince(), now);
            if (next.isEmpty() || next.get().end().isAfter(now)) {
                return;
            }
            create(dag, RunRequest.scheduled(next.get()).withRunId(scheduledRunId(next.get())));
            last = Optional.of(next.get().start());
        }
    }

    private void createAssetRun(DagSpec dag) {
        Optional<Map<String, AssetEvent>> batch = store.pendingAssetBatch(dag.id(), dag.triggers().assets());
        if (batch.isEmpty()) {
            return;
        }
        Instant newest = batch.get().values().stream().map(AssetEvent::createdAt).max(Comparator.naturalOrder())
                .orElseThrow();
        long newestId = batch.get().values().stream().mapToLong(AssetEvent::eventId).max().orElseThrow();
        String runId = ASSET_PREFIX + RUN_ID_DATE.format(newest.atOffset(ZoneOffset.UTC)) + "__" + newestId;
        if (create(dag, RunRequest.manual().withRunType(RunType.ASSET_TRIGGERED).withRunId(runId))) {
            LOG.info("Run {} of DAG {} for updates of {}", runId, dag.id(), batch.get().keySet());
        }
        store.consumeAssetBatch(dag.id(), batch.get());
    }

    private void judgeFinishedRuns(DagSpec dag, CompletionTrigger trigger, DagState state, Instant now) {
        for (FinishedRun finished : store.unjudgedRuns(dag.id(), trigger.dagId(), trigger.state(), state.knownSince())) {
            Map<String, Optional<JsonNode>> returned = new HashMap<>();
            Function<String, Optional<JsonNode>> values = taskId -> returned.computeIfAbsent(
                    taskId, id -> runtime.xcomJson(trigger.dagId(), finished.runId(), id).map(Scheduler::readTree));
            boolean holds = trigger.when().map(w -> w.test(values)).orElse(true);
            Optional<String> runId = Optional.empty();
            if (holds) {
                Map<String, String> params = new LinkedHashMap<>();
                trigger.params().forEach((param, path) -> value(values, path).ifPresent(v -> params.put(param, v)));
                String id = DAG_TRIGGERED_PREFIX + trigger.dagId() + "__" + finished.runId();
                if (create(dag, RunRequest.manual().withRunType(RunType.DAG_TRIGGERED).withRunId(id)
                        .withParams(params))) {
                    LOG.info("Run {} of DAG {}: run {} of {} ended {}{}", id, dag.id(), finished.runId(),
                            trigger.dagId(), trigger.state().label(),
                            trigger.when().map(w -> " and " + w + " holds").orElse(""));
                }
                runId = Optional.of(id);
            }
            store.judge(dag.id(), trigger.dagId(), finished.runId(), runId, now);
        }
    }

    private static Optional<String> value(Function<String, Optional<JsonNode>> values,
            XComPath path) {
        return values.apply(path.taskId()).flatMap(path::select).filter(v -> !v.isNull())
                .map(v -> v.isValueNode() ? v.asText() : v.toString());
    }

    private static JsonNode readTree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("XCom value is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private void createObjectRuns(DagSpec dag, NewObjectsTrigger trigger, Instant now) {
        for (SeenObject orphan : store.claimedWithoutRun(dag.id())) {
            createObjectRun(dag, trigger, orphan);
        }
        Instant listed = lastListed.get(dag.id());
        if (listed != null && listed.plus(trigger.every()).isAfter(now)) {
            return;
        }
        lastListed.put(dag.id(), now);
        for (ObjectSource.StoredObject object : objects.list(trigger)) {
            SeenObject seen = new SeenObject(dag.id(), trigger.bucket(), object.key(), object.etag(),
                    objectRunId(trigger.bucket(), object));
            if (store.claimObject(seen, now)) {
                createObjectRun(dag, trigger, seen);
            }
        }
    }

    private void createObjectRun(DagSpec dag, NewObjectsTrigger trigger, SeenObject object) {
        Map<String, String> params = Map.of(trigger.keyParam(), object.key(), trigger.etagParam(), object.etag());
        if (create(dag, RunRequest.manual().withRunType(RunType.OBJECT_TRIGGERED).withRunId(object.runId())
                .withParams(params))) {
            LOG.info("Run {} of DAG {} for new object s3://{}/{}", object.runId(), dag.id(), object.bucket(),
                    object.key());
        }
    }

    /** {@code object__<key, made safe for file names>__<hash of bucket, key and ETag>}. */
    static String objectRunId(String bucket, ObjectSource.StoredObject object) {
        String readable = object.key().replaceAll("[^A-Za-z0-9._-]", "_");
        if (readable.length() > 160) {
            readable = readable.substring(readable.length() - 160);
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(
                    (bucket + "/" + object.key() + "@" + object.etag()).getBytes(StandardCharsets.UTF_8));
            return OBJECT_PREFIX + readable + "__" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * Cuts new batches off the records no batch covers: full ones of {@code maxRecords} while there are enough, and a
     * smaller one once records waited {@code maxWait}. The batches a pass cuts are recorded, in offset order, in the
     * one transaction that makes their runs, so that every offset belongs to exactly one run whatever stops or
     * competes.
     */
    private void createKafkaRuns(DagSpec dag, KafkaRecordsTrigger trigger, Instant now, Duration readsFreshFor) {
        if (!orphanBatchesMade.contains(dag.id())) {
            for (KafkaClaim orphan : store.kafkaBatchesWithoutRun(dag.id(), trigger.topic())) {
                createOrphanRun(dag, trigger, orphan);
            }
            orphanBatchesMade.add(dag.id());
        }
        Map<Integer, OffsetSpan> held = heldOffsets(dag, trigger, readsFreshFor);
        NextKafkaBatch next = nextBatches.get(dag.id());
        if (next == null) {
            next = store.nextKafkaBatch(dag.id(), trigger.topic(), held.keySet());
            nextBatches.put(dag.id(), next);
        }
        Map<Integer, Long> afterCut = new TreeMap<>(next.offsets());
        List<KafkaBatch> batches = new ArrayList<>();
        while (batches.size() < MAX_CREATED_PER_PASS) {
            List<KafkaBatch.OffsetRange> waiting = new ArrayList<>();
            long count = 0;
            for (Map.Entry<Integer, OffsetSpan> partition : uncovered(dag, trigger, held, afterCut).entrySet()) {
                OffsetSpan span = partition.getValue();
                long take = Math.min(span.end() - span.beginning(), trigger.maxRecords() - count);
                if (take > 0) {
                    waiting.add(new KafkaBatch.OffsetRange(partition.getKey(), span.beginning(),
                            span.beginning() + take - 1));
                    count += take;
                }
            }
            if (count == 0) {
                recordsWaitingSince.remove(dag.id());
                break;
            }
            // Kept across the batches cut while records wait, so that none waits much longer than maxWait.
            Instant since = recordsWaitingSince.computeIfAbsent(dag.id(), id -> now);
            if (count < trigger.maxRecords() && since.plus(trigger.maxWait()).isAfter(now)) {
                break;
            }
            batches.add(new KafkaBatch(trigger.topic(), waiting));
            for (KafkaBatch.OffsetRange range : waiting) {
                afterCut.put(range.partition(), range.last() + 1);
            }
        }
        if (batches.isEmpty()) {
            return;
        }
        CrashPoint.KAFKA_BATCH_CUT.reach();
        if (createKafkaRuns(dag, trigger, next.number(), batches, now)) {
            nextBatches.put(dag.id(), new NextKafkaBatch(next.number() + batches.size(), afterCut));
        } else {
            // Another scheduler claimed some of them: the next pass goes on after its batches.
            nextBatches.put(dag.id(), store.nextKafkaBatch(dag.id(), trigger.topic(), held.keySet()));
        }
    }

    private record HeldOffsets(Map<Integer, OffsetSpan> spans, long askedAtNanos) {
    }

    /**
     * The offsets the DAG's topic holds, as asked now, or less than {@code freshFor} ago: records below the ends known
     * then are there still, so batches cut from them are right, if not as long as they could be.
     */
    private Map<Integer, OffsetSpan> heldOffsets(DagSpec dag, KafkaRecordsTrigger trigger, Duration freshFor) {
        HeldOffsets known = heldOffsets.get(dag.id());
        if (known != null && System.nanoTime() - known.askedAtNanos() < freshFor.toNanos()) {
            return known.spans();
        }
        long askedAt = System.nanoTime();
        Map<Integer, OffsetSpan> spans = records.offsets(trigger);
        heldOffsets.put(dag.id(), new HeldOffsets(spans, askedAt));
        return spans;
    }

    /** Per partition in partition order, the offsets of the records that no batch of the DAG covers yet. */
    private static Map<Integer, OffsetSpan> uncovered(DagSpec dag, KafkaRecordsTrigger trigger,
            Map<Integer, OffsetSpan> held, Map<Integer, Long> next) {
        Map<Integer, OffsetSpan> uncovered = new TreeMap<>();
        held.forEach((partition, span) -> {
            long first = next.getOrDefault(partition, span.beginning());
            if (first < span.beginning()) {
                LOG.warn("Records {} to {} of {}/{} were deleted by retention before DAG {} covered them",
                        first, span.beginning() - 1, trigger.topic(), partition, dag.id());
                first = span.beginning();
            }
            uncovered.put(partition, new OffsetSpan(first, Math.max(first, span.end())));
        });
        return uncovered;
    }

    /** How many records of a topic-triggered DAG's topic no run covers yet: its consumer lag. */
    public long kafkaLag(DagSpec dag) {
        KafkaRecordsTrigger trigger = dag.triggers().kafkaRecords().orElseThrow(() -> new IllegalArgumentException(
                "DAG " + dag.id() + " is not triggered by Kafka records"));
        Map<Integer, OffsetSpan> held = records.offsets(trigger);
        return uncovered(dag, trigger, held, store.nextKafkaOffsets(dag.id(), trigger.topic(), held.keySet()))
                .values().stream().mapToLong(span -> span.end() - span.beginning()).sum();
    }

    /**
     * Claims the batches, numbered from {@code firstNumber}, and makes their runs in one transaction, in order, each
     * started there when it may start at once; false when another scheduler claimed some of their numbers or
     * offsets, and then none is made.
     */
    private boolean createKafkaRuns(DagSpec dag, KafkaRecordsTrigger trigger, long firstNumber,
            List<KafkaBatch> batches, Instant now) {
        // Once a run is made queued, the later ones of the transaction wait behind it: they need not ask.
        AtomicBoolean madeQueued = new AtomicBoolean();
        List<Function<MetadataStore.Transaction, RunRequest>> claims = new ArrayList<>(batches.size());
        for (int i = 0; i < batches.size(); i++) {
            long batchNo = firstNumber + i;
            KafkaBatch batch = batches.get(i);
            String runId = kafkaRunId(trigger.topic(), batchNo);
            boolean first = i == 0;
            claims.add(tx -> {
                if (first) {
                    madeQueued.set(false); // the transaction's first claim, or a try of it again
                }
                tx.claimKafkaBatch(dag.id(), batchNo, batch, runId, now);
                return kafkaRunRequest(trigger, batch, runId);
            });
        }
        List<DagRuntime.Created> created;
        try {
            created = runtime.triggerAllStarted(dag, claims, (tx, runId) -> {
                boolean starts = !madeQueued.get() && !stopped && startsAtOnce(tx, dag, runId);
                if (!starts) {
                    madeQueued.set(true);
                }
                return starts;
            });
        } catch (RuntimeException e) {
            if (SchedulerStore.isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
        for (DagRuntime.Created run : created) {
            run.execution().ifPresentOrElse(execution -> track(dag.id(), run.runId(), execution),
                    () -> startableChanged.set(true));
        }
        CrashPoint.KAFKA_RUN_CREATED.reach();
        for (int i = 0; i < batches.size(); i++) {
            KafkaBatch batch = batches.get(i);
            LOG.info("Run {} of DAG {} for {} record(s) of topic {} at offsets {}", created.get(i).runId(), dag.id(),
                    batch.records(), batch.topic(), batch.offsets());
        }
        return true;
    }

    /**
     * Whether a run being made may start in the transaction that makes it: no run of its DAG waits before it, fewer
     * than {@code maxActiveRuns} run, and when batches run in order, the batch before it has succeeded.
     */
    private static boolean startsAtOnce(MetadataStore.Transaction tx, DagSpec dag, String runId) {
        Map<RunState, Integer> unfinished = tx.unfinishedRunCounts(dag.id());
        return unfinished.getOrDefault(RunState.QUEUED, 0) == 0
                && unfinished.getOrDefault(RunState.RUNNING, 0) < dag.maxActiveRuns()
                && !(dag.runsBatchesInOrder() && tx.waitsForPreviousBatch(dag.id(), runId));
    }

    private void createOrphanRun(DagSpec dag, KafkaRecordsTrigger trigger, KafkaClaim orphan) {
        if (create(dag, kafkaRunRequest(trigger, orphan.batch(), orphan.runId()))) {
            LOG.info("Run {} of DAG {} for {} record(s) of topic {} at offsets {}, claimed without its run",
                    orphan.runId(), dag.id(), orphan.batch().records(), orphan.batch().topic(),
                    orphan.batch().offsets());
        }
    }

    private static RunRequest kafkaRunRequest(KafkaRecordsTrigger trigger, KafkaBatch batch, String runId) {
        return RunRequest.manual().withRunType(RunType.KAFKA_TRIGGERED).withRunId(runId)
                .withParams(Map.of(trigger.topicParam(), batch.topic(), trigger.offsetsParam(), batch.offsets()));
    }

    /** {@code kafka__<topic>__<batch number, zero-padded>}: the run ids of a topic sort in offset order. */
    static String kafkaRunId(String topic, long batchNo) {
        String number = Long.toString(batchNo);
        return KAFKA_PREFIX + topic + "__" + "0".repeat(Math.max(0, 10 - number.length())) + number;
    }

    /** Creates a run; false when it exists already (another scheduler, or an earlier pass, made it). */
    private boolean create(DagSpec dag, RunRequest request) {
        String runId = request.runId().orElseThrow();
        if (runtime.findRun(dag.id(), runId).isPresent()) {
            return false;
        }
        try {
            runtime.trigger(dag, request);
            startableChanged.set(true);
            return true;
        } catch (RuntimeException e) {
            if (SchedulerStore.isUniqueViolation(e) || runtime.findRun(dag.id(), runId).isPresent()) {
                return false;
            }
            LOG.error("Scheduler could not create run {} of DAG {}: {}", runId, dag.id(), e.getMessage());
            return false;
        }
    }

    private void startQueuedRuns(Map<String, DagState> states) {
        if (runtime.mode() == ExecutionMode.WORKERS) {
            return; // workers start queued runs, within maxActiveRuns counted in the database
        }
        Map<String, List<DagRun>> unfinished = runtime.store()
                .runsInStates(EnumSet.of(RunState.QUEUED, RunState.RUNNING)).stream()
                .collect(Collectors.groupingBy(DagRun::dagId));
        for (DagSpec dag : dags) {
            if (stopped || states.get(dag.id()).paused()) {
                continue;
            }
            List<DagRun> runs = unfinished.getOrDefault(dag.id(), List.of());
            long active = runs.stream().filter(r -> r.state() == RunState.RUNNING || isInFlight(r)).count();
            List<DagRun> waiting = new ArrayList<>(runs.stream()
                    .filter(r -> r.state() == RunState.QUEUED && r.owner().isEmpty() && !isInFlight(r)
                            && OWN_PREFIXES.stream().anyMatch(r.runId()::startsWith))
                    .sorted(Comparator.comparing(DagRun::logicalDate).thenComparing(DagRun::createdAt)
                            .thenComparing(DagRun::runId))
                    .toList());
            for (DagRun run : waiting) {
                if (active >= dag.maxActiveRuns()) {
                    break;
                }
                if (dag.runsBatchesInOrder() && runtime.store().inTransaction(
                        tx -> tx.waitsForPreviousBatch(dag.id(), run.runId()))) {
                    LOG.debug("Run {} of DAG {} waits for the batch before it to succeed", run.runId(), dag.id());
                    break;
                }
                start(run);
                active++;
            }
        }
    }

    private boolean isInFlight(DagRun run) {
        return inFlight.containsKey(run.dagId() + "/" + run.runId());
    }

    private void start(DagRun run) {
        CompletableFuture<RunResult> future;
        try {
            future = runtime.submit(run.dagId(), run.runId());
        } catch (IllegalStateException e) {
            return; // executed here already, by a resume
        }
        track(run.dagId(), run.runId(), future);
    }

    private void track(String dagId, String runId, CompletableFuture<RunResult> future) {
        String key = dagId + "/" + runId;
        inFlight.put(key, future);
        future.whenComplete((result, failure) -> {
            inFlight.remove(key);
            if (failure != null) {
                LOG.info("Run {} of DAG {} was not executed here: {}", runId, dagId, failure.toString());
            } else {
                LOG.info("Run {} of DAG {} ended {}", runId, dagId, result.state().label());
            }
            // The runs waiting for its slot (the next batch of a topic, say) start now, not at the next pass.
            startableChanged.set(true);
            synchronized (wakeUp) {
                runEnded = true;
                wakeUp.notifyAll();
            }
        });
    }

    /** The runs this scheduler is executing, by {@code dagId/runId}. */
    public Map<String, CompletableFuture<RunResult>> inFlight() {
        return Map.copyOf(inFlight);
    }

    /** Made at the first use, not with the class: commands that only read runs load this class too. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }
}
