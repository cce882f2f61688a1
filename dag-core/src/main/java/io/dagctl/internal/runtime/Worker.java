package io.dagctl.internal.runtime;

import io.dagctl.RunState;
import io.dagctl.internal.runtime.RunDecisions.TryEnd;
import io.dagctl.internal.store.DagRun;
import io.dagctl.internal.store.MetadataStore;
import io.dagctl.internal.store.MetadataStore.Transaction;
import io.dagctl.internal.store.Outage;
import io.dagctl.internal.store.TaskInstance;
import io.dagctl.internal.store.WorkQueue;
import io.dagctl.internal.store.WorkQueue.Candidate;
import io.dagctl.internal.store.WorkQueue.Zombie;
import io.dagctl.internal.store.XComEntry;
import io.dagctl.spec.DagSpec;
import io.dagctl.spec.TaskSpec;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker process's loop (Airflow's scheduler and executor in one, as several HA schedulers share a database):
 * starts queued runs within {@code maxActiveRuns}, queues scheduled task instances within {@code maxActiveTasks}
 * and the pools, claims as many queued ones as it has free threads with {@code SELECT ... FOR UPDATE SKIP LOCKED}
 * (reading their inputs in the same transaction), runs them on its threads, heartbeats while they run, and records
 * the ends that arrived while its previous transaction committed together, with the decisions that follow them.
 * Ends that decide downstream tasks hold the run's row lock throughout; ends of leaf tasks take it only at the end of
 * the transaction, to see whether the run is over.
 * Tries whose worker went silent for the zombie timeout are failed (and retried, when tries remain) by whichever
 * worker notices first. Workers wake on PostgreSQL {@code NOTIFY} and otherwise poll every second.
 *
 * <p>Heartbeats go every third of the zombie timeout from a thread and a database connection of their own, so that
 * neither busy task threads nor an exhausted pool delay them. When the database goes away the loop waits for it with
 * a capped backoff while tries keep running; ends that cannot be written are kept and written once it is back.
 * {@link #drain} stops claiming and lets running tries end; {@link #interruptRunning} fails those left as interrupted.
 */
public final class Worker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
    private static final long IDLE_POLL_MILLIS = 1000;
    /** A queuing pass holds the lock for a millisecond or two. */
    private static final long LOCK_RETRY_MILLIS = 2;
    /**
     * How many instances may wait queued at once, across workers: enough to keep the workers busy, few enough that
     * claiming the oldest stays cheap (Airflow's max_tis_per_query plays the same part).
     */
    private static final int QUEUE_AHEAD = 256;
    private static final int MAX_TX_ATTEMPTS = 5;
    /**
     * How long the loop waits, after a try ends while others run, for more ends to record in the same transaction:
     * short tries then end in fuller batches (a fan-out's, 12 to 16 per transaction of 16 threads against 9 to 11),
     * at the cost of at most this much to the start of the ended tries' downstream tasks.
     */
    private static final long GATHER_ENDS_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final Object WAKE = new Object();

    private final DagRuntime runtime;
    private final Owner id = Owner.open();
    private final int threads;
    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final Map<String, TaskInvoker> invokers = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, TaskInvoker> eldest) {
            return size() > 64;
        }
    };
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Outage outage;
    private final Duration heartbeatEvery;
    private volatile boolean started;
    private volatile boolean stopping;
    private volatile boolean interrupting;
    /** The tries this worker runs, claimed and not yet reported ended; touched by the loop only. */
    private final Map<TaskInstance, Future<?>> running = new HashMap<>();
    /**
     * A transaction that claims failed on a lost connection, maybe after its commit: tries may be this worker's in
     * the database that it does not run.
     */
    private boolean mayHaveLostClaims;
    private Instant lastZombieCheck = Instant.EPOCH;
    private Instant lastPoll = Instant.EPOCH;
    /** A NOTIFY arrived: queued runs to start, or queued instances to claim. */
    private boolean woken;
    /** The last queuing pass left scheduled instances behind: a full batch, or limits that ends may lift. */
    private boolean queueMayHaveMore;
    /**
     * How many instances the last queuing pass left queued, less those this worker has claimed since: while many are,
     * another pass would only count them again.
     */
    private int queuedAhead;
    /**
     * This worker scheduled instances but another held the queuing lock, whose snapshot may miss them: this worker
     * queues them itself, as soon as the holder is likely done.
     */
    private boolean queueLockMissed;
    /** Queued runs are waiting, but another worker held the queuing lock: look again as soon. */
    private boolean startLockMissed;
    private final Set<String> warnedPools = new HashSet<>();

    /** A claimed instance and the return values of its source tasks, read in the claiming transaction. */
    private record Claim(TaskInstance task, List<XComEntry> sourceValues) {
    }

    Worker(DagRuntime runtime) {
        if (!runtime.store.location().isPostgres()) {
            throw new IllegalArgumentException("dagctl worker needs a PostgreSQL metadata database shared by the"
                    + " workers: set " + io.dagctl.internal.store.StoreLocation.DB_URL_VARIABLE
                    + " (it is " + runtime.store.location() + ")");
        }
        this.runtime = runtime;
        this.threads = runtime.parallelism();
        this.heartbeatEvery = heartbeatEvery(runtime.zombieTimeout);
        this.outage = new Outage(LOG, "Worker " + id(), heartbeatEvery);
    }

    /** A third of the zombie timeout: two heartbeats may fail before a live worker's tries are at risk. */
    static Duration heartbeatEvery(Duration zombieTimeout) {
        return zombieTimeout.dividedBy(3);
    }

    /** The worker's id in {@code task_instance.worker}: {@code host:pid:instance}. */
    public String id() {
        return id.id();
    }

    /** Runs until {@link #close()} is called from another thread, or the thread is interrupted. */
    public void run() {
        started = true;
        Thread listener = new Thread(this::listen, "dagctl-worker-listen");
        listener.setDaemon(true);
        listener.start();
        MetadataStore heartbeatStore = runtime.store.unpooled();
        ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "dagctl-worker-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        heartbeats.scheduleWithFixedDelay(() -> heartbeat(heartbeatStore), 0, heartbeatEvery.toMillis(),
                TimeUnit.MILLISECONDS);
        LOG.info("Worker {} taking tasks of {} with {} threads, heartbeat every {} ms", id(), runtime.dagIds(),
                threads, heartbeatEvery.toMillis());
        try {
            while (!stopping || !running.isEmpty()) {
                List<TryEnd> ended = new ArrayList<>();
                waitForEvents(ended, queueLockMissed || startLockMissed ? LOCK_RETRY_MILLIS : IDLE_POLL_MILLIS);
                endTriesUntilRecorded(ended);
                closeIdleInvokers();
                if (interrupting) {
                    interruptTries();
                    break;
                }
                if (stopping) {
                    continue;
                }
                Instant now = DagRuntime.now();
                try {
                    if (mayHaveLostClaims) {
                        startLostClaims();
                    }
                    // After an outage, every live worker gets the time to heartbeat again before anyone is judged.
                    if (lastZombieCheck.plus(runtime.zombieTimeout.dividedBy(4)).isBefore(now)
                            && outage.reachableFor(runtime.zombieTimeout.multipliedBy(2))) {
                        failZombies();
                        closeIdleInvokers();
                        lastZombieCheck = now;
                    }
                    boolean periodic = lastPoll.plus(Duration.ofMillis(IDLE_POLL_MILLIS)).isBefore(now);
                    boolean lookForRuns = woken || periodic || startLockMissed;
                    boolean queueAgain = periodic || queueRunsLow() || queueLockMissed;
                    List<Runnable> afterCommit = new ArrayList<>();
                    start(inTransaction(tx -> {
                        afterCommit.clear();
                        boolean scheduled = lookForRuns && startQueuedRuns(tx, afterCommit);
                        return queueAndClaim(tx, queueAgain || scheduled);
                    }));
                    afterCommit.forEach(Runnable::run);
                    if (periodic) {
                        lastPoll = now;
                    }
                    outage.succeeded();
                } catch (RuntimeException e) {
                    // The database may be restarting or unreachable for a while: tries running here go on.
                    mayHaveLostClaims |= Outage.isConnectionFailure(e);
                    outage.failedThenWait("schedule or claim tasks", e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopping = true;
            closeInvokers();
            heartbeats.shutdownNow();
            heartbeatStore.close();
            listener.interrupt();
            stopped.countDown();
        }
    }

    /** On the heartbeat thread: tells the database that this worker's tries are alive. */
    private void heartbeat(MetadataStore store) {
        try {
            store.inTransaction(tx -> WorkQueue.heartbeat(tx, id()));
            outage.succeeded();
        } catch (RuntimeException e) {
            outage.failed("heartbeat", e);
        }
    }

    /**
     * Waits for the first event, takes those that came with it, and, when a try ended while others still run, the
     * ends that follow within {@link #GATHER_ENDS_NANOS}.
     */
    private void waitForEvents(List<TryEnd> into, long waitMillis) throws InterruptedException {
        woken = false;
        Object first = events.poll(waitMillis, TimeUnit.MILLISECONDS);
        if (first == null) {
            return;
        }
        List<Object> drained = new ArrayList<>();
        drained.add(first);
        events.drainTo(drained);
        drained.forEach(event -> take(event, into));
        long deadline = System.nanoTime() + GATHER_ENDS_NANOS;
        while (!into.isEmpty() && !running.isEmpty()) {
            Object next = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (next == null) {
                return;
            }
            take(next, into);
        }
    }

    private void take(Object event, List<TryEnd> into) {
        if (event instanceof TryEnd end) {
            into.add(end);
            running.remove(end.claimed());
        } else {
            woken = true;
        }
    }

    /**
     * LISTEN on a connection of its own; each notification wakes the loop. A lost connection is opened again (the
     * loop polls meanwhile, and says when the database is away).
     */
    private void listen() {
        while (!stopping) {
            try {
                runtime.store.withHandle(handle -> {
                    handle.execute("LISTEN " + WorkQueue.CHANNEL);
                    try {
                        PGConnection connection = handle.getConnection().unwrap(PGConnection.class);
                        while (!stopping) {
                            var notifications = connection.getNotifications(500);
                            // A worker's own notifications are for the others: it has claimed what it could.
                            if (notifications != null && Arrays.stream(notifications)
                                    .anyMatch(n -> !id().equals(n.getParameter()))) {
                                events.offer(WAKE);
                            }
                        }
                    } catch (SQLException e) {
                        throw new UnableToExecuteStatementException(e, null);
                    }
                    return null;
                });
            } catch (RuntimeException e) {
                if (!stopping && !Outage.isConnectionFailure(e)) {
                    LOG.warn("Worker {} could not listen for work ({}); it polls every {} ms", id(), e.getMessage(),
                            IDLE_POLL_MILLIS);
                    return;
                }
                try {
                    Thread.sleep(IDLE_POLL_MILLIS);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /** An end that cannot be written yet (the database is away) is kept and written later, never dropped. */
    private void endTriesUntilRecorded(List<TryEnd> ended) throws InterruptedException {
        Map<String, List<TryEnd>> byRun = new LinkedHashMap<>();
        for (TryEnd end : ended) {
            byRun.computeIfAbsent(end.claimed().dagId() + "\n" + end.claimed().runId(), k -> new ArrayList<>())
                    .add(end);
        }
        while (!byRun.isEmpty()) {
            try {
                endTries(byRun);
                outage.succeeded();
            } catch (RuntimeException e) {
                mayHaveLostClaims |= Outage.isConnectionFailure(e);
                outage.failedThenWait("record " + ended.size() + " ended tries", e);
            }
        }
    }

    /**
     * Records the ended tries and removes each run recorded. The runs whose ends decide other tasks get a transaction
     * each, holding the run's lock throughout; the ends of leaf tasks of all other runs share one transaction, which
     * locks their runs only at its end.
     */
    private void endTries(Map<String, List<TryEnd>> byRun) {
        Map<String, List<TryEnd>> leafEnds = new TreeMap<>();
        for (var iterator = byRun.entrySet().iterator(); iterator.hasNext(); ) {
            List<TryEnd> ofRun = iterator.next().getValue();
            TaskInstance first = ofRun.get(0).claimed();
            DagSpec dag = runtime.dag(first.dagId());
            if (ofRun.stream().noneMatch(end -> RunDecisions.decidesOthers(runtime.shape(dag), end))) {
                leafEnds.put(first.dagId() + "\n" + first.runId(), ofRun);
                continue;
            }
            TaskInvoker invoker = invoker(dag, first.runId());
            List<Claim> claimed = new ArrayList<>();
            List<Runnable> afterCommit = decideInRun(dag, first.runId(), claimed, decisions -> {
                warnNotRecorded(decisions.endTries(ofRun, id(), Optional.empty(), invoker));
                decisions.decideDownstream();
            });
            iterator.remove();
            start(claimed);
            afterCommit.forEach(Runnable::run);
        }
        if (leafEnds.isEmpty()) {
            return;
        }
        List<Claim> claimed = new ArrayList<>();
        List<Runnable> afterCommit = inTransaction(tx -> {
            List<RunDecisions> recorded = new ArrayList<>();
            // Runs locked in key order: two such transactions never wait for each other in a cycle.
            for (List<TryEnd> ofRun : leafEnds.values()) {
                TaskInstance first = ofRun.get(0).claimed();
                DagSpec dag = runtime.dag(first.dagId());
                RunDecisions decisions = new RunDecisions(runtime, dag, tx, first.runId(), DagRuntime.now());
                warnNotRecorded(decisions.endTries(ofRun, id(), Optional.empty(), invoker(dag, first.runId())));
                recorded.add(decisions);
            }
            claimed.clear();
            claimed.addAll(queueAndClaim(tx, queueRunsLow()));
            List<Runnable> after = new ArrayList<>();
            for (RunDecisions decisions : recorded) {
                decisions.lockThenEndIfFinished();
                after.addAll(decisions.afterCommit());
            }
            return after;
        });
        leafEnds.keySet().forEach(byRun::remove);
        start(claimed);
        afterCommit.forEach(Runnable::run);
    }

    private void warnNotRecorded(List<TryEnd> notRecorded) {
        for (TryEnd end : notRecorded) {
            TaskInstance task = end.claimed();
            LOG.warn("Try {} of task {} in run {} of DAG {} is no longer this worker's (given up as a zombie, or its"
                            + " end was committed as the connection was lost); its outcome is not recorded again",
                    task.tryNumber(), TaskInstance.label(task.taskId(), task.mapIndex()), task.runId(),
                    task.dagId());
        }
    }

    /**
     * Starts the tries the database says this worker runs but it does not: claimed by a transaction whose commit
     * went through though its connection was lost before the answer. Every end is recorded when this runs, so such a
     * try never started here.
     */
    private void startLostClaims() {
        Set<String> mine = new HashSet<>();
        running.keySet().forEach(t -> mine.add(tryKey(t)));
        List<Claim> lost = inTransaction(tx -> withInputs(tx, WorkQueue.runningOn(tx, id()).stream()
                .filter(t -> !mine.contains(tryKey(t))).toList()));
        mayHaveLostClaims = false;
        if (!lost.isEmpty()) {
            LOG.info("Worker {} starts {} tries it had claimed as its connection was lost", id(), lost.size());
            start(lost);
        }
    }

    private static String tryKey(TaskInstance task) {
        return task.dagId() + "\n" + task.runId() + "\n" + task.label() + "\n" + task.tryNumber();
    }

    /** Fails the tries of silent workers; the retry policy decides what follows. */
    private void failZombies() {
        List<Zombie> zombies = inTransaction(tx -> WorkQueue.zombies(tx, runtime.zombieTimeout, id(), 100));
        for (Zombie zombie : zombies) {
            TaskInstance task = zombie.task();
            if (!runtime.isRegistered(task.dagId())) {
                continue;
            }
            DagSpec dag = runtime.dag(task.dagId());
            String error = "try " + task.tryNumber() + " was given up as a zombie: worker " + zombie.worker()
                    + " did not heartbeat for " + runtime.zombieTimeout.toSeconds() + " s";
            TaskInvoker invoker = invoker(dag, task.runId());
            List<Claim> claimed = new ArrayList<>();
            List<Runnable> afterCommit = decideInRun(dag, task.runId(), claimed, decisions -> {
                TryEnd failed = new TryEnd(task, new TryOutcome.Failed(task.taskId(), task.tryNumber(),
                        DagRuntime.now(), error, true));
                if (decisions.endTries(List.of(failed), zombie.worker(), Optional.of(runtime.zombieTimeout), invoker)
                        .isEmpty()) {
                    LOG.warn("Task {} in run {} of DAG {}: {}", TaskInstance.label(task.taskId(), task.mapIndex()),
                            task.runId(), task.dagId(), error);
                }
                decisions.decideDownstream();
            });
            start(claimed);
            afterCommit.forEach(Runnable::run);
        }
    }

    /**
     * Queued runs of known DAGs become running while their DAG has fewer than {@code maxActiveRuns} running, and
     * the batches of a DAG that runs them in order once the batch before has succeeded.
     *
     * @return whether task instances became scheduled
     */
    private boolean startQueuedRuns(Transaction tx, List<Runnable> afterCommit) {
        List<DagRun> queued = WorkQueue.queuedWorkerRuns(tx, 100);
        startLockMissed = false;
        if (queued.isEmpty()) {
            return false;
        }
        if (!WorkQueue.tryLockQueueing(tx)) {
            startLockMissed = true;
            return false;
        }
        Map<String, Integer> running = WorkQueue.runningRunsByDag(tx);
        boolean scheduled = false;
        for (DagRun candidate : queued) {
            if (!runtime.isRegistered(candidate.dagId())) {
                continue;
            }
            int active = running.getOrDefault(candidate.dagId(), 0);
            if (active >= WorkQueue.maxActiveRuns(tx, candidate.dagId(), candidate.runId())) {
                continue;
            }
            if (runtime.dag(candidate.dagId()).runsBatchesInOrder()
                    && tx.waitsForPreviousBatch(candidate.dagId(), candidate.runId())) {
                continue;
            }
            Optional<DagRun> locked = WorkQueue.lockRun(tx, candidate.dagId(), candidate.runId());
            if (locked.isEmpty() || locked.get().state() != RunState.QUEUED) {
                continue;
            }
            Instant now = DagRuntime.now();
            DagRun started = locked.get().started(now, WorkQueue.WORKERS);
            tx.updateRun(started);
            running.put(candidate.dagId(), active + 1);
            RunDecisions decisions = new RunDecisions(runtime, runtime.dag(candidate.dagId()), tx, started, now);
            decisions.decideAll();
            afterCommit.addAll(decisions.afterCommit());
            scheduled |= decisions.scheduledAny();
            LOG.info("Run {} of DAG {} started", candidate.runId(), candidate.dagId());
        }
        return scheduled;
    }

    /**
     * Scheduled → queued within the limits, counted from the database under the queuing lock: due retries first
     * become scheduled again, then instances are queued while their DAG is under {@code maxActiveTasks} and their
     * pool has the slots.
     *
     * @return the instances queued
     */
    private List<WorkQueue.TaskKey> queue(Transaction tx) {
        if (!WorkQueue.tryLockQueueing(tx)) {
            // Waking the other workers instead would have them all contend for the lock again.
            queueLockMissed = true;
            return List.of();
        }
        queueLockMissed = false;
        boolean leftBehind = false;
        Instant now = DagRuntime.now();
        WorkQueue.scheduleDueRetries(tx, now);
        WorkQueue.QueueLoad load = WorkQueue.queueLoad(tx);
        Map<String, Integer> slots = load.poolSlots();
        Map<String, Integer> held = load.heldPoolSlots();
        Map<String, Integer> active = load.activeTasksByDag();
        Set<String> fullDags = new HashSet<>();
        List<WorkQueue.TaskKey> toQueue = new ArrayList<>();
        int room = QUEUE_AHEAD - load.queued();
        if (room <= 0) {
            queueMayHaveMore = true;
            queuedAhead = load.queued();
            return List.of();
        }
        List<Candidate> candidates = WorkQueue.scheduled(tx, room);
        for (Candidate candidate : candidates) {
            String dagId = candidate.key().dagId();
            String pool = candidate.pool();
            if (fullDags.contains(dagId)) {
                leftBehind = true;
                continue;
            }
            int dagActive = active.getOrDefault(dagId, 0);
            if (dagActive >= candidate.maxActiveTasks()) {
                fullDags.add(dagId);
                leftBehind = true;
                continue;
            }
            Integer poolSlots = slots.get(pool);
            if (poolSlots == null && !pool.equals(TaskSpec.DEFAULT_POOL)) {
                if (warnedPools.add(pool)) {
                    LOG.warn("Tasks wait for pool '{}', which is not defined: define it with dagctl pools set {}"
                            + " SLOTS", pool, pool);
                }
                continue;
            }
            int poolHeld = held.getOrDefault(pool, 0);
            if (poolSlots != null && poolHeld + candidate.poolSlots() > poolSlots) {
                leftBehind = true;
                continue;
            }
            held.put(pool, poolHeld + candidate.poolSlots());
            active.put(dagId, dagActive + 1);
            toQueue.add(candidate.key());
        }
        WorkQueue.queue(tx, toQueue, now);
        queueMayHaveMore = leftBehind || candidates.size() == room;
        queuedAhead = load.queued() + toQueue.size();
        return toQueue;
    }

    /** Whether scheduled instances wait and the queue ahead of the workers has run down to half. */
    private boolean queueRunsLow() {
        return queueMayHaveMore && queuedAhead < QUEUE_AHEAD / 2;
    }

    /**
     * Queues (when asked) and claims in the caller's transaction. The other workers are woken only for instances
     * this one leaves queued: waking them for a chain's next task, which this worker claims itself, would only have
     * them contend for the queuing lock that this worker's next end needs.
     */
    private List<Claim> queueAndClaim(Transaction tx, boolean queueFirst) {
        List<WorkQueue.TaskKey> queued = queueFirst ? queue(tx) : List.of();
        List<Claim> claimed = claim(tx);
        if (!queued.isEmpty()) {
            Set<WorkQueue.TaskKey> mine = new HashSet<>();
            claimed.forEach(c -> mine.add(new WorkQueue.TaskKey(c.task().dagId(), c.task().runId(),
                    c.task().taskId(), c.task().mapIndex())));
            if (!mine.containsAll(queued)) {
                WorkQueue.notifyWorkers(tx, id());
            }
        }
        return claimed;
    }

    /** Claims as many queued instances as this worker has free threads, with their inputs, in the caller's transaction. */
    private List<Claim> claim(Transaction tx) {
        int free = threads - running.size();
        if (free <= 0 || stopping) {
            return List.of();
        }
        List<TaskInstance> claimed = WorkQueue.claim(tx, runtime.dagIds(), free, id(), Owner.HOST, Owner.PID,
                DagRuntime.now());
        // Fewer than asked for: the queue is empty, whatever this worker counted.
        queuedAhead = claimed.size() < free ? 0 : queuedAhead - claimed.size();
        return withInputs(tx, claimed);
    }

    /**
     * The claimed instances with the return values of their source tasks, one query per run: reading them on each
     * task thread cost a transaction per try.
     */
    private List<Claim> withInputs(Transaction tx, List<TaskInstance> claimed) {
        Map<String, Set<String>> sourcesByRun = new LinkedHashMap<>();
        for (TaskInstance task : claimed) {
            TaskSpec spec = runtime.shape(runtime.dag(task.dagId())).task(task.taskId());
            sourcesByRun.computeIfAbsent(task.dagId() + "\n" + task.runId(), k -> new HashSet<>())
                    .addAll(TaskInputs.sources(spec));
        }
        Map<String, List<XComEntry>> valuesByRun = new HashMap<>();
        sourcesByRun.forEach((run, sources) -> {
            String[] key = run.split("\n", 2);
            valuesByRun.put(run, WorkQueue.returnValues(tx, key[0], key[1], sources));
        });
        return claimed.stream().map(t -> new Claim(t, valuesByRun.get(t.dagId() + "\n" + t.runId()))).toList();
    }

    /** Starts claimed tries, once the claim has committed. */
    private void start(List<Claim> claimed) {
        for (Claim claim : claimed) {
            running.put(claim.task(), runtime.workers.submit(() -> runTry(claim)));
        }
    }

    /** On a task thread: invokes the task on its inputs, reports the end. */
    private void runTry(Claim claim) {
        TaskInstance task = claim.task();
        DagSpec dag = runtime.dag(task.dagId());
        TaskSpec spec = runtime.shape(dag).task(task.taskId());
        TryOutcome[] outcome = new TryOutcome[1];
        try {
            TaskInvoker invoker = untilReachable("read the run of a try", () -> invoker(dag, task.runId()));
            TaskInvoker.Inputs inputs = TaskInputs.of(runtime, dag, task.runId(), spec, task.mapIndex(),
                    claim.sourceValues());
            invoker.runTry(spec, task.tryNumber(), task.maxTries(), inputs,
                    invoker.logOf(task.label(), task.tryNumber()), o -> outcome[0] = o);
        } catch (InterruptedException e) {
            // Interrupted by interruptRunning, which has recorded the try's end already.
            return;
        } catch (RuntimeException e) {
            outcome[0] = new TryOutcome.Failed(spec.id(), task.tryNumber(), DagRuntime.now(),
                    TaskInvoker.describe(e), true);
        }
        events.add(new TryEnd(task, outcome[0]));
    }

    /** Calls {@code read} until the database answers: a try claimed just before an outage waits for it to start. */
    private <R> R untilReachable(String doing, Supplier<R> read) throws InterruptedException {
        while (true) {
            try {
                R result = read.get();
                outage.succeeded();
                return result;
            } catch (RuntimeException e) {
                if (!Outage.isConnectionFailure(e)) {
                    throw e;
                }
                outage.failedThenWait(doing, e);
            }
        }
    }

    /**
     * On the loop: closes the hooks of the runs none of whose tries this worker runs now, once their ends and
     * notifications are done, and forgets them; a later try of such a run makes its own. A worker runs the tries of
     * many runs in its life, and each run's Kafka producer or S3 client must not stay open after them.
     */
    private void closeIdleInvokers() {
        Set<String> busy = new HashSet<>();
        running.keySet().forEach(task -> busy.add(task.dagId() + "\n" + task.runId()));
        List<TaskInvoker> idle = new ArrayList<>();
        synchronized (this) {
            for (var iterator = invokers.entrySet().iterator(); iterator.hasNext(); ) {
                var entry = iterator.next();
                if (!busy.contains(entry.getKey())) {
                    idle.add(entry.getValue());
                    iterator.remove();
                }
            }
        }
        idle.forEach(TaskInvoker::closeHooks);
    }

    /** When the loop ends: the hooks of every run, whatever tries ran on (they were interrupted). */
    private void closeInvokers() {
        List<TaskInvoker> all;
        synchronized (this) {
            all = List.copyOf(invokers.values());
            invokers.clear();
        }
        all.forEach(TaskInvoker::closeHooks);
    }

    private synchronized TaskInvoker invoker(DagSpec dag, String runId) {
        String key = dag.id() + "\n" + runId;
        TaskInvoker invoker = invokers.get(key);
        if (invoker == null) {
            DagRun run = runtime.store.findRun(dag.id(), runId)
                    .orElseThrow(() -> DagRuntime.noSuchRun(dag.id(), runId));
            invoker = new TaskInvoker(runtime, dag, run);
            invokers.put(key, invoker);
        }
        return invoker;
    }

    /**
     * Runs {@code work} with {@link RunDecisions} holding the run's lock, then queues and claims in the same
     * transaction: a downstream task starts one commit after its upstream task ends, and a worker busy with short
     * tasks commits once per batch of ends. Returns what to do after the commit; {@code claimed} receives the claimed
     * instances.
     */
    private List<Runnable> decideInRun(DagSpec dag, String runId, List<Claim> claimed,
            java.util.function.Consumer<RunDecisions> work) {
        return inTransaction(tx -> {
            claimed.clear();
            DagRun run = WorkQueue.lockRun(tx, dag.id(), runId).orElseThrow(() -> DagRuntime.noSuchRun(dag.id(), runId));
            RunDecisions decisions = new RunDecisions(runtime, dag, tx, run, DagRuntime.now());
            work.accept(decisions);
            claimed.addAll(queueAndClaim(tx, decisions.scheduledAny() || queueRunsLow()));
            return decisions.afterCommit();
        });
    }

    /** One transaction, tried again when PostgreSQL broke a deadlock or a serialization conflict by aborting it. */
    private <R> R inTransaction(Function<Transaction, R> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return runtime.store.inTransaction(work);
            } catch (JdbiException e) {
                if (attempt >= MAX_TX_ATTEMPTS || !isRetryable(e)) {
                    throw e;
                }
            }
        }
    }

    private static boolean isRetryable(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql
                    && ("40P01".equals(sql.getSQLState()) || "40001".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Fails the tries still running as interrupted (retried elsewhere when tries remain, without waiting for the
     * zombie timeout), records it, and ends the loop; their threads are interrupted.
     */
    private void interruptTries() throws InterruptedException {
        if (running.isEmpty()) {
            return;
        }
        List<TryEnd> interrupted = new ArrayList<>();
        for (TaskInstance task : running.keySet()) {
            interrupted.add(new TryEnd(task, new TryOutcome.Failed(task.taskId(), task.tryNumber(), DagRuntime.now(),
                    "try " + task.tryNumber() + " was interrupted: worker " + id() + " was stopped before it ended",
                    true)));
        }
        running.values().forEach(f -> f.cancel(true));
        running.clear();
        stopping = true;
        LOG.warn("Worker {} interrupted {} running tries; they are retried elsewhere when tries remain", id(),
                interrupted.size());
        endTriesUntilRecorded(interrupted);
    }

    /**
     * Stops claiming tries and lets the running ones end and be recorded, heartbeating for them meanwhile; {@link #run}
     * returns when the last end is recorded. Returns at once.
     */
    public void drain() {
        stopping = true;
        events.offer(WAKE);
    }

    /** Ends a drain now: the tries still running are failed as interrupted, and {@link #run} returns. */
    public void interruptRunning() {
        interrupting = true;
        stopping = true;
        events.offer(WAKE);
    }

    /** Waits for {@link #run} to return, at most {@code timeout}; whether it did. */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops taking tasks, lets the tries it runs end and be recorded, and waits for the loop to end. */
    @Override
    public void close() {
        drain();
        if (started) {
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        id.close();
    }
}
