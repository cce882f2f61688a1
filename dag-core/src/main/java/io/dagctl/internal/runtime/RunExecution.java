package io.dagctl.internal.runtime;

import io.dagctl.Notification;
import io.dagctl.Notifier;
import io.dagctl.RunState;
import io.dagctl.TaskState;
import io.dagctl.TriggerRule;
import io.dagctl.internal.logging.TaskLogs;
import io.dagctl.internal.logging.TaskLogs.TryLog;
import io.dagctl.internal.runtime.TriggerRules.Decision;
import io.dagctl.internal.store.DagRun;
import io.dagctl.internal.store.MetadataStore;
import io.dagctl.internal.store.TaskInstance;
import io.dagctl.internal.store.WorkQueue;
import io.dagctl.internal.store.XComEntry;
import io.dagctl.internal.xcom.XComKey;
import io.dagctl.spec.DagSpec;
import io.dagctl.spec.TaskSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator of one run. One thread at a time takes a turn: it decides every state change that arrived since
 * the last turn, commits them (outcomes of finished tries, trigger-rule decisions, the claims of the tries to start)
 * in one transaction, and only then acts on it: starts the claimed tries and tells notifiers. A task thread whose try
 * ended takes the turn itself when no other thread is in one, and then runs the first try that turn claimed, so that
 * a chain hop wakes no other thread; otherwise it leaves its outcome to the thread in the turn, or to the thread
 * that called {@link #execute}, which takes every outcome that arrived while a commit was in flight into one turn.
 * The calling thread also keeps the heartbeat and retry timers and ends the run.
 */
final class RunExecution {
    private static final Logger LOG = LoggerFactory.getLogger(RunExecution.class);
    private static final Logger TRY_LOG = LoggerFactory.getLogger(TaskLogs.TASK_LOGGER_PREFIX + "runtime");
    /** How long to wait before looking for a free slot again when other runs hold them all. */
    private static final long SLOT_POLL_MILLIS = 20;

    private final DagRuntime runtime;
    private final DagSpec dag;
    private final String runId;
    private final DagShape shape;
    /** By label: {@code task}, or {@code task[i]} for the instances of a mapped task once it is expanded. */
    private final Map<String, TaskInstance> instances = new LinkedHashMap<>();
    /** The labels of each task's instances: one, or one per element of a mapped task's list, in index order. */
    private final Map<String, List<String>> labels = new HashMap<>();
    /** By label. */
    private final Map<String, String> xcomJson = new HashMap<>();
    private final Map<String, Set<String>> valueUpstream = new HashMap<>();
    /*
     * What keeps each turn O(what changed) rather than O(the run): a count of unfinished instances, the labels up
     * for retry, and per task (by topological position) how many upstream instances are unfinished and whether it
     * is queued for a decision. Trigger rules are applied only to the tasks an ending instance can decide.
     */
    private int unfinished;
    private final Set<String> retrying = new LinkedHashSet<>();
    private final int[] unfinishedUpstream;
    private final boolean[] pendingDecision;
    private final PriorityQueue<Integer> pending = new PriorityQueue<>();
    /** Instances whose rule said run (or whose retry is due), waiting for a slot, in the order they became so. */
    private final Set<String> ready = new LinkedHashSet<>();
    /** Every instance as taken over, then each committed change: what followers read through the runtime. */
    private final List<TaskInstance> committed = new ArrayList<>();
    /** Outcomes that no turn took up yet, and {@link #ATTENTION}s. */
    private final BlockingQueue<Finished> outcomes = new LinkedBlockingQueue<>();
    /** Held for a turn: guards every field a turn reads or writes, whichever thread takes it. */
    private final ReentrantLock turn = new ReentrantLock();
    /** Set in a turn when the run ended or a turn failed: no turn is taken after it. */
    private boolean over;
    /** What failed a turn on a task thread, for the calling thread to throw. */
    private Throwable failure;
    /** Placeholders to replace by their instances in the next commit, with how many. */
    private final Map<TaskInstance, Integer> expansions = new LinkedHashMap<>();
    /** The labels of the tries running, each holding a slot and its place in the local limits. */
    private final Set<String> running = new HashSet<>();
    /**
     * How many instances the turns looked at (decisions taken, upstream and downstream instances read, ready
     * instances tried, retries checked): what shows that a turn's cost follows what changed, not the size of the run.
     */
    private volatile TurnCosts turnCosts = new TurnCosts(0, 0, 0, 0);
    private int examined;
    private DagRun run;
    private TaskInvoker invoker;
    private Instant lastHeartbeat = Instant.EPOCH;
    /**
     * Until the first turn commits: the owner the run had when it was read, from whom that commit takes it over
     * together with the turn's first claims, so that starting a run costs no commit of its own.
     */
    private Optional<String> takingOverFrom;
    /** What the first turn's commit records besides its own changes: the tries a dead owner left running, failed. */
    private final Map<String, TaskInstance> takenOver = new LinkedHashMap<>();
    /** What to do once the first turn's commit took the run over: tell of the tries a dead owner left running. */
    private final List<Runnable> afterTakeOver = new ArrayList<>();
    /** The tries claimed before a run created here existed, to start once its creation committed. */
    private final List<TaskInstance> firstClaims = new ArrayList<>();
    /** The log files of the tries claimed and not yet launched, by label, opened while their claims commit. */
    private final Map<String, TryLogOpening> openings = new HashMap<>();
    /** Commits the turns, on a connection of its own with its statements prepared once. */
    private final MetadataStore.Writer writer;

    RunExecution(DagRuntime runtime, DagSpec dag, String runId) {
        this.runtime = runtime;
        this.dag = dag;
        this.runId = runId;
        this.shape = runtime.shape(dag);
        this.writer = runtime.store.writer();
        for (TaskSpec task : dag.tasks()) {
            valueUpstream.put(task.id(), TaskInputs.sources(task));
        }
        unfinishedUpstream = new int[dag.tasks().size()];
        pendingDecision = new boolean[dag.tasks().size()];
    }

    RunResult execute() {
        takeOver();
        if (run.state().isFinished()) {
            return result();
        }
        index();
        return coordinateFrom(List.of());
    }

    /**
     * For a run this process creates already started, {@code run} as it will be inserted: decides and claims its
     * first tries, as a first turn would, before the run exists, and returns its instances as they are then, for the
     * transaction that creates the run to insert. Either {@link #executeCreated()} or {@link #abandonCreated()}
     * follows.
     */
    List<TaskInstance> firstTurnOfCreated(DagRun started, List<TaskInstance> fresh) {
        run = started;
        invoker = new TaskInvoker(runtime, dag, run);
        fresh.forEach(this::add);
        lastHeartbeat = started.heartbeatAt().orElseThrow();
        index();
        examined = 0;
        decide(lastHeartbeat, new LinkedHashMap<>(), firstClaims);
        turnCosts = turnCosts.plus(examined);
        return List.copyOf(instances.values());
    }

    /**
     * Once the transaction creating the run has inserted it, so that no other run of that id can own the files:
     * opens the log files of its first tries while that transaction commits.
     */
    void openFirstLogsAhead() {
        firstClaims.forEach(this::openLogAhead);
    }

    /** Executes a run created as {@link #firstTurnOfCreated} left it, once its transaction committed. */
    RunResult executeCreated() {
        return coordinateFrom(firstClaims);
    }

    /** Gives back the slots of the first claims of a run whose creating transaction failed. */
    void abandonCreated() {
        firstClaims.forEach(task -> unclaim(shape.task(task.taskId())));
        firstClaims.clear();
        discardLogsAhead();
    }

    /** Starts the tries already claimed, then takes turns until the run ends or stops. */
    private RunResult coordinateFrom(List<TaskInstance> claimed) {
        publish(instances.values());
        LOG.info("Executing run {} of DAG {} ({} tasks, owner {})", runId, dag.id(), instances.size(),
                runtime.owner.id());
        try {
            turn.lock();
            try {
                claimed.forEach(this::start);
            } finally {
                turn.unlock();
            }
            coordinate();
        } finally {
            turn.lock();
            try {
                over = true;
                List.copyOf(running).forEach(this::release);
                writer.close();
            } finally {
                turn.unlock();
            }
            invoker.closeHooks();
        }
        return result();
    }

    private void publish(Collection<TaskInstance> changes) {
        synchronized (committed) {
            committed.addAll(changes);
        }
    }

    /** The committed changes from the {@code from}th on. */
    List<TaskInstance> committedSince(int from) {
        synchronized (committed) {
            return List.copyOf(committed.subList(Math.min(from, committed.size()), committed.size()));
        }
    }

    /**
     * How many turns the loop took, how many instances the first looked at (it decides every task), and of the turns
     * after it the most one looked at and how many they looked at in all.
     */
    record TurnCosts(int turns, int first, int mostAfterFirst, long totalAfterFirst) {
        TurnCosts plus(int examined) {
            return turns == 0 ? new TurnCosts(1, examined, 0, 0)
                    : new TurnCosts(turns + 1, first, Math.max(mostAfterFirst, examined), totalAfterFirst + examined);
        }
    }

    TurnCosts turnCosts() {
        return turnCosts;
    }

    private RunResult result() {
        return new RunResult(run, List.copyOf(instances.values()));
    }

    /**
     * Reads the run, to become its owner in the first turn; tries a dead owner left running become failed tries.
     *
     * @throws IllegalStateException when a live process executes the run
     */
    private void takeOver() {
        runtime.store.inTransaction(tx -> {
            run = tx.findRun(dag.id(), runId).orElseThrow(() -> DagRuntime.noSuchRun(dag.id(), runId));
            invoker = new TaskInvoker(runtime, dag, run);
            tx.taskInstances(dag.id(), runId).stream()
                    .sorted(Comparator.comparingInt(TaskInstance::mapIndex))
                    .forEach(this::add);
            if (!run.state().isFinished()) {
                for (XComEntry entry : tx.xcoms(dag.id(), runId)) {
                    xcomJson.put(entry.label(), runtime.xcomBackend.load(
                            new XComKey(dag.id(), runId, entry.label()), entry.storedValue()));
                }
            }
            return null;
        });
        if (run.state().isFinished()) {
            return;
        }
        Instant now = DagRuntime.now();
        takingOverFrom = run.owner();
        if (takingOverFrom.isPresent()
                && Owner.isAlive(takingOverFrom.get(), run.heartbeatAt(), now, runtime.staleAfter)) {
            throw new IllegalStateException("run " + runId + " of DAG " + dag.id() + " is being executed by "
                    + takingOverFrom.get());
        }
        run = run.started(now, runtime.owner.id());
        lastHeartbeat = now;
        for (TaskInstance task : List.copyOf(instances.values())) {
            if (task.state() == TaskState.RUNNING) {
                String error = "try " + task.tryNumber() + DagRuntime.INTERRUPTED_BY_CRASH + " ("
                        + takingOverFrom.orElse("unknown") + ") ended before it finished";
                TaskInstance failed = endTry(task, now, error, true);
                instances.put(failed.label(), failed);
                takenOver.put(failed.label(), failed);
                afterTakeOver.add(() -> noteInterrupted(failed, error));
            }
        }
    }

    private void add(TaskInstance task) {
        instances.put(task.label(), task);
        labels.computeIfAbsent(task.taskId(), id -> new ArrayList<>()).add(task.label());
    }

    /** Counts what the turns keep up to date, and queues every task for a first decision. */
    private void index() {
        for (TaskInstance task : instances.values()) {
            track(null, task);
        }
        for (int i = 0; i < dag.tasks().size(); i++) {
            for (String upstream : dag.tasks().get(i).upstream()) {
                for (String label : labels.get(upstream)) {
                    if (!instances.get(label).state().isFinished()) {
                        unfinishedUpstream[i]++;
                    }
                }
            }
            queueDecision(i);
        }
    }

    private void queueDecision(int order) {
        if (!pendingDecision[order]) {
            pendingDecision[order] = true;
            pending.add(order);
        }
    }

    /** Keeps the counts true as an instance changes from {@code before} to {@code after} (either may be null). */
    private void track(TaskInstance before, TaskInstance after) {
        boolean wasUnfinished = before != null && !before.state().isFinished();
        boolean isUnfinished = after != null && !after.state().isFinished();
        unfinished += (isUnfinished ? 1 : 0) - (wasUnfinished ? 1 : 0);
        if (before != null && before.state() == TaskState.UP_FOR_RETRY) {
            retrying.remove(before.label());
        }
        if (after != null && after.state() == TaskState.UP_FOR_RETRY) {
            retrying.add(after.label());
        }
        if (wasUnfinished && after != null && !isUnfinished) {
            for (String downstream : shape.downstream(after.taskId())) {
                examined++;
                int order = shape.order(downstream);
                unfinishedUpstream[order]--;
                if (unfinishedUpstream[order] == 0
                        || decidesEarly(shape.task(downstream).triggerRule(), after.state())) {
                    queueDecision(order);
                }
            }
        }
    }

    /**
     * Whether an upstream instance ending in {@code state} can decide a task under {@code rule} before all its
     * upstream instances are done (see {@link TriggerRules}); otherwise the last one to end decides it.
     */
    private static boolean decidesEarly(TriggerRule rule, TaskState state) {
        return switch (rule) {
            case ALL_DONE -> false;
            case ALL_FAILED, ALL_SKIPPED, ONE_SUCCESS, ONE_DONE, ALWAYS -> true;
            default -> state != TaskState.SUCCESS;
        };
    }

    private List<TaskInstance> instancesOf(String taskId) {
        return labels.get(taskId).stream().map(instances::get).toList();
    }

    private void noteInterrupted(TaskInstance task, String error) {
        try (TryLog log = runtime.logs.open(dag.id(), runId, task.label(), task.tryNumber())) {
            log.during(() -> TRY_LOG.error("{}; marked {}", error, task.state().label()));
        }
        if (task.state() == TaskState.FAILED) {
            notifyTask(shape.task(task.taskId()).onFailure(), task);
        }
    }

    /** A failed try: up for retry while tries remain (and the task did not refuse them), failed after the last. */
    private TaskInstance endTry(TaskInstance task, Instant at, String error, boolean retryable) {
        if (retryable && task.hasTriesLeft()) {
            Duration delay = runtime.retryDelay(shape.task(task.taskId()), task.tryNumber() + 1);
            return task.endedTry(TaskState.UP_FOR_RETRY, at, Optional.of(error), Optional.of(at.plus(delay)));
        }
        return task.endedTry(TaskState.FAILED, at, Optional.of(error), Optional.empty());
    }

    /**
     * On the calling thread: takes a turn whenever outcomes arrive that no task thread took up, or a task thread asks
     * for attention, or a timer (heartbeat, retry, slot) is due, until the run ends or stops.
     */
    private void coordinate() {
        List<Finished> finished = new ArrayList<>();
        while (true) {
            long waitMillis;
            turn.lock();
            try {
                if (failure instanceof Error error) {
                    throw error;
                }
                if (failure != null) {
                    throw (RuntimeException) failure;
                }
                if (over) {
                    return;
                }
                Instant now = DagRuntime.now();
                Turn taken = takeTurn(finished, now);
                taken.claimed().forEach(this::start);
                if (over) {
                    return;
                }
                if (runtime.stopping && running.isEmpty()) {
                    LOG.info("Run {} of DAG {} stopped unfinished: no try starts after a stop", runId, dag.id());
                    return;
                }
                if (running.isEmpty() && !taken.waitingForSlot() && nextRetry().isEmpty()) {
                    throw new IllegalStateException("run " + runId + " of DAG " + dag.id()
                            + " cannot progress: no try is running or due, yet tasks are unfinished: " + unfinished());
                }
                waitMillis = waitTime(now, taken.waitingForSlot());
            } finally {
                turn.unlock();
            }
            finished.clear();
            awaitOutcomes(finished, waitMillis);
        }
    }

    /** What a turn claimed, to start once its commit returned, and whether an instance is left waiting for a slot. */
    private record Turn(List<TaskInstance> claimed, boolean waitingForSlot) {
    }

    /**
     * Applies {@code finished} and every outcome queued meanwhile, decides and claims what they allow, commits it all
     * in one transaction, then tells notifiers; when the run is over, records its end. With {@link #turn} held.
     */
    private Turn takeTurn(List<Finished> finished, Instant now) {
        outcomes.drainTo(finished);
        // By label: an instance decided and claimed in the same turn is written once.
        Map<String, TaskInstance> changed = new LinkedHashMap<>(takenOver);
        List<XComEntry> values = new ArrayList<>();
        List<Runnable> afterCommit = new ArrayList<>(afterTakeOver);
        for (Finished end : finished) {
            if (end != ATTENTION) {
                release(end.label());
            }
        }
        for (Finished end : finished) {
            if (end != ATTENTION) {
                apply(end, changed, values, afterCommit);
            }
        }
        List<TaskInstance> claimed = new ArrayList<>();
        examined = 0;
        boolean waitingForSlot = decide(now, changed, claimed);
        turnCosts = turnCosts.plus(examined);
        claimed.forEach(this::openLogAhead);
        boolean allFinished = running.isEmpty() && unfinished == 0;
        DagRun ended = allFinished ? run.ended(endState(), now) : null;
        boolean heartbeat = !allFinished && lastHeartbeat.plus(runtime.heartbeatEvery).isBefore(now);
        if (!changed.isEmpty() || !values.isEmpty() || !expansions.isEmpty() || ended != null || heartbeat
                || takingOverFrom != null) {
            try {
                commit(changed.values(), values, ended, heartbeat, now);
            } catch (RuntimeException | Error e) {
                claimed.forEach(task -> unclaim(shape.task(task.taskId())));
                discardLogsAhead();
                throw e;
            }
            takingOverFrom = null;
            takenOver.clear();
            afterTakeOver.clear();
            expansions.clear();
            if (heartbeat) {
                lastHeartbeat = now;
            }
            publish(changed.values());
        }
        afterCommit.forEach(Runnable::run);
        if (ended != null) {
            run = ended;
            over = true;
            LOG.info("Run {} of DAG {} ended {}", runId, dag.id(), ended.state().label());
            notifyRun(ended.state() == RunState.SUCCESS ? dag.onSuccess() : dag.onFailure(), ended.state());
        }
        return new Turn(claimed, waitingForSlot);
    }

    /**
     * Commits a turn in one transaction. The first also takes the run over, refused when another process took it
     * since the run was read.
     */
    private void commit(Collection<TaskInstance> changed, List<XComEntry> values, DagRun ended, boolean heartbeat,
            Instant now) {
        writer.write(tx -> {
            if (takingOverFrom != null && !tx.takeOver(run, takingOverFrom, runtime.owner.id(), lastHeartbeat)) {
                throw new IllegalStateException("run " + runId + " of DAG " + dag.id()
                        + " was taken over by another process just now");
            }
            expansions.forEach((placeholder, count) -> {
                TaskSpec spec = shape.task(placeholder.taskId());
                WorkQueue.expand(tx, placeholder, count, spec.pool(), spec.poolSlots());
            });
            tx.updateTasks(changed, values);
            if (ended != null) {
                tx.updateRun(ended);
            } else if (heartbeat) {
                tx.heartbeat(dag.id(), runId, runtime.owner.id(), now);
            }
        });
    }

    /**
     * Has the runtime's log thread open a claimed try's log file while the claim commits: the try takes it as it
     * starts, or opens it itself if that thread has not begun yet. With {@link #turn} held.
     */
    private void openLogAhead(TaskInstance task) {
        TryLogOpening opening = invoker.logOf(task.label(), task.tryNumber());
        openings.put(task.label(), opening);
        runtime.logOpener.execute(opening::openIfFirst);
    }

    /**
     * Removes the log files opened for claims whose commit failed: every claim that committed was launched, which
     * took its file. With {@link #turn} held.
     */
    private void discardLogsAhead() {
        openings.values().forEach(TryLogOpening::discard);
        openings.clear();
    }

    /** Gives back what {@link #claim} took for a try that will not start. */
    private void unclaim(TaskSpec spec) {
        runtime.slots.release();
        runtime.localLimits.release(dag, spec);
    }

    /**
     * On a task thread whose try ended: takes the turn for it unless another thread is in one, starts on other
     * threads all but the first try the turn claimed, and returns that first one to run on this thread (null: none).
     * The calling thread is asked to look when only it can take the run further: the run ended or stops, a retry or a
     * slot is awaited, or nothing runs.
     */
    private Launch takeTurnHere(Finished end) {
        if (!turn.tryLock()) {
            outcomes.add(end);
            return null;
        }
        try {
            if (over) {
                return null;
            }
            List<Finished> finished = new ArrayList<>();
            finished.add(end);
            Turn taken = takeTurn(finished, DagRuntime.now());
            Launch here = null;
            for (TaskInstance task : taken.claimed()) {
                if (here == null) {
                    here = launch(task);
                } else {
                    start(task);
                }
            }
            if (over || runtime.stopping || taken.waitingForSlot() || !retrying.isEmpty() || running.isEmpty()) {
                outcomes.add(ATTENTION);
            }
            return here;
        } catch (RuntimeException | Error e) {
            failure = e;
            over = true;
            outcomes.add(ATTENTION);
            return null;
        } finally {
            turn.unlock();
        }
    }

    private void awaitOutcomes(List<Finished> into, long waitMillis) {
        try {
            Finished first = waitMillis <= 0 ? outcomes.poll() : outcomes.poll(waitMillis, TimeUnit.MILLISECONDS);
            if (first != null) {
                into.add(first);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while executing run " + runId + " of DAG " + dag.id(), e);
        }
    }

    private void release(String label) {
        if (running.remove(label)) {
            unclaim(shape.task(instances.get(label).taskId()));
        }
    }

    private long waitTime(Instant now, boolean waitingForSlot) {
        long millis = runtime.heartbeatEvery.toMillis();
        Optional<Instant> retry = nextRetry();
        if (retry.isPresent()) {
            millis = Math.min(millis, Math.max(0, Duration.between(now, retry.get()).toMillis() + 1));
        }
        return waitingForSlot ? Math.min(millis, SLOT_POLL_MILLIS) : millis;
    }

    private Optional<Instant> nextRetry() {
        return retrying.stream().map(instances::get)
                .map(t -> t.nextTryAt().orElse(Instant.EPOCH))
                .min(Instant::compareTo);
    }

    private List<String> unfinished() {
        return instances.values().stream().filter(t -> !t.state().isFinished())
                .map(t -> t.label() + "=" + t.state().label()).toList();
    }

    /** Records a finished try; what it decides for downstream tasks is taken up by {@link #decide}. */
    private void apply(Finished end, Map<String, TaskInstance> changed, List<XComEntry> values,
            List<Runnable> afterCommit) {
        TryOutcome outcome = end.outcome();
        TaskInstance task = instances.get(end.label());
        TaskSpec spec = shape.task(task.taskId());
        TaskInstance ended;
        if (outcome instanceof TryOutcome.Succeeded success) {
            ended = task.endedTry(TaskState.SUCCESS, outcome.endedAt(), Optional.empty(), Optional.empty());
            success.json().ifPresent(json -> xcomJson.put(task.label(), json));
            success.stored().ifPresent(stored -> values.add(new XComEntry(dag.id(), runId, task.taskId(),
                    task.mapIndex(), XComEntry.RETURN_VALUE, stored)));
            for (String skipped : success.skip()) {
                for (TaskInstance downstream : instancesOf(skipped)) {
                    if (downstream.state() == TaskState.NONE || downstream.state() == TaskState.SCHEDULED) {
                        put(downstream.decided(TaskState.SKIPPED, outcome.endedAt()), changed);
                    }
                }
            }
            if (!spec.onSuccess().isEmpty()) {
                afterCommit.add(() -> notifyTask(spec.onSuccess(), ended));
            }
        } else if (outcome instanceof TryOutcome.Skipped) {
            ended = task.endedTry(TaskState.SKIPPED, outcome.endedAt(), Optional.empty(), Optional.empty());
        } else {
            TryOutcome.Failed failure = (TryOutcome.Failed) outcome;
            ended = endTry(task, outcome.endedAt(), failure.error(), failure.retryable());
            if (ended.state() == TaskState.FAILED && !spec.onFailure().isEmpty()) {
                afterCommit.add(() -> notifyTask(spec.onFailure(), ended));
            }
        }
        put(ended, changed);
    }

    private void put(TaskInstance task, Map<String, TaskInstance> changed) {
        track(instances.put(task.label(), task), task);
        changed.put(task.label(), task);
    }

    /**
     * Applies the trigger rules of the tasks queued for a decision in the DAG's (topological) order, so that a
     * decision reaches every task downstream in one pass, expands mapped tasks whose rule is met, and claims the
     * instances to run as far as slots and limits allow.
     *
     * @return whether a runnable instance is left waiting for a slot
     */
    private boolean decide(Instant now, Map<String, TaskInstance> changed, List<TaskInstance> claimed) {
        for (String label : retrying) {
            examined++;
            if (!instances.get(label).nextTryAt().orElse(Instant.EPOCH).isAfter(now)) {
                ready.add(label);
            }
        }
        while (!pending.isEmpty()) {
            int order = pending.poll();
            examined++;
            pendingDecision[order] = false;
            TaskSpec spec = dag.tasks().get(order);
            List<String> ofTask = labels.get(spec.id());
            TaskInstance first = instances.get(ofTask.get(0));
            if (first.mapIndex() >= 0) {
                // An expanded instance's rule was met when its task was expanded.
                ofTask.forEach(label -> markReady(instances.get(label), changed));
            } else if (first.state() == TaskState.NONE || first.state() == TaskState.SCHEDULED) {
                // A placeholder never runs: it is expanded.
                if (decide(spec, first, now, changed)) {
                    if (shape.expandedOver(spec.id()) == null) {
                        markReady(first, changed);
                    } else {
                        expand(spec, first, now, changed);
                    }
                }
            }
        }
        return claimReady(now, changed, claimed);
    }

    /** Queues an instance to be claimed; one that waits for a slot is marked scheduled meanwhile. */
    private void markReady(TaskInstance task, Map<String, TaskInstance> changed) {
        if (task.state() == TaskState.NONE) {
            put(task.withState(TaskState.SCHEDULED), changed);
        }
        if (task.state() == TaskState.NONE || task.state() == TaskState.SCHEDULED) {
            ready.add(task.label());
        }
    }

    /** Claims the ready instances in order until the process runs out of slots. */
    private boolean claimReady(Instant now, Map<String, TaskInstance> changed, List<TaskInstance> claimed) {
        boolean waitingForSlot = false;
        for (Iterator<String> labels = ready.iterator(); labels.hasNext(); ) {
            TaskInstance task = instances.get(labels.next());
            examined++;
            if (task.state() != TaskState.SCHEDULED && task.state() != TaskState.UP_FOR_RETRY) {
                labels.remove(); // skipped by a branch meanwhile
                continue;
            }
            TaskSpec spec = shape.task(task.taskId());
            Claim claim = claim(spec);
            if (claim == Claim.CLAIMED) {
                labels.remove();
                TaskInstance started = task.startedTry(now, Owner.HOST, Owner.PID);
                put(started, changed);
                claimed.add(started);
            } else {
                waitingForSlot = true;
                if (claim == Claim.NO_SLOT) {
                    break;
                }
            }
        }
        return waitingForSlot;
    }

    /**
     * Decides a task by its trigger rule.
     *
     * @return whether it is to run
     */
    private boolean decide(TaskSpec spec, TaskInstance task, Instant now, Map<String, TaskInstance> changed) {
        Decision decision = decide(spec);
        if (decision == Decision.SKIP) {
            put(task.decided(TaskState.SKIPPED, now), changed);
        } else if (decision == Decision.UPSTREAM_FAILED) {
            put(task.decided(TaskState.UPSTREAM_FAILED, now), changed);
        }
        return decision == Decision.RUN;
    }

    /** One scheduled instance per element of the upstream list; none (skipped) for []. */
    private void expand(TaskSpec spec, TaskInstance placeholder, Instant now, Map<String, TaskInstance> changed) {
        TaskInputs.Expansion expansion = TaskInputs.expansion(spec, valueJson(shape.expandedOver(spec.id())));
        if (expansion.error().isPresent()) {
            put(placeholder.endedTry(TaskState.FAILED, now, expansion.error(), Optional.empty()), changed);
            return;
        }
        if (expansion.size() == 0) {
            put(placeholder.decided(TaskState.SKIPPED, now), changed);
            return;
        }
        changed.remove(placeholder.label());
        track(instances.remove(placeholder.label()), null);
        labels.remove(spec.id());
        expansions.put(placeholder, expansion.size());
        for (String downstream : shape.downstream(spec.id())) {
            unfinishedUpstream[shape.order(downstream)] += expansion.size() - 1;
        }
        for (int i = 0; i < expansion.size(); i++) {
            TaskInstance mapped = new TaskInstance(dag.id(), runId, spec.id(), i, TaskState.SCHEDULED, 0,
                    placeholder.maxTries(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty());
            add(mapped);
            track(null, mapped);
            ready.add(mapped.label());
        }
    }

    private enum Claim { CLAIMED, NO_SLOT, LIMITED }

    /** A process-wide slot and a place within the DAG's {@code maxActiveTasks} and the task's pool. */
    private Claim claim(TaskSpec spec) {
        if (runtime.stopping || !runtime.slots.tryAcquire()) {
            return Claim.NO_SLOT;
        }
        if (!runtime.localLimits.tryAcquire(dag, spec)) {
            runtime.slots.release();
            return Claim.LIMITED;
        }
        return Claim.CLAIMED;
    }

    private Decision decide(TaskSpec spec) {
        if (spec.triggerRule() == TriggerRule.ALWAYS) {
            // Runs at once, as in Airflow, except that it needs the values it takes to exist first.
            for (String id : valueUpstream.get(spec.id())) {
                for (String label : labels.get(id)) {
                    examined++;
                    if (!instances.get(label).state().isFinished()) {
                        return Decision.WAIT;
                    }
                }
            }
            return Decision.RUN;
        }
        List<TaskState> upstream = new ArrayList<>(spec.upstream().size());
        for (String id : spec.upstream()) {
            for (String label : labels.get(id)) {
                examined++;
                upstream.add(instances.get(label).state());
            }
        }
        return TriggerRules.decide(spec.triggerRule(), upstream);
    }

    /** The value of a task as its downstream tasks receive it: a mapped task's is its instances' list. */
    private Optional<String> valueJson(String taskId) {
        if (shape.expandedOver(taskId) == null) {
            return Optional.ofNullable(xcomJson.get(taskId));
        }
        return Optional.of(TaskInputs.list(instancesOf(taskId).stream().filter(t -> t.mapIndex() >= 0)
                .map(t -> xcomJson.get(t.label())).filter(Objects::nonNull).toList()));
    }

    /** Airflow's rule: the run fails when one of its leaves failed or was not run because of a failure. */
    private RunState endState() {
        for (String leaf : shape.leaves()) {
            if (instancesOf(leaf).stream().map(TaskInstance::state)
                    .anyMatch(state -> state == TaskState.FAILED || state == TaskState.UPSTREAM_FAILED)) {
                return RunState.FAILED;
            }
        }
        return RunState.SUCCESS;
    }

    /** Starts a claimed try on a task thread of the pool. */
    private void start(TaskInstance task) {
        Launch launch = launch(task);
        runtime.workers.execute(() -> runHere(launch));
    }

    /** A claimed try with what it reads, taken from the coordinator's state in a turn. */
    private record Launch(TaskInstance task, TaskSpec spec, Map<String, String> inputs, Optional<String> expandedOver,
            TryLogOpening log) {
    }

    /** Marks a claimed try running and reads its inputs. With {@link #turn} held. */
    private Launch launch(TaskInstance task) {
        running.add(task.label());
        TaskSpec spec = shape.task(task.taskId());
        Map<String, String> inputs = new HashMap<>();
        for (String upstream : valueUpstream.get(spec.id())) {
            valueJson(upstream).ifPresent(json -> inputs.put(upstream, json));
        }
        return new Launch(task, spec, inputs, Optional.ofNullable(shape.expandedOver(spec.id())),
                openings.remove(task.label()));
    }

    /** Runs a try on this thread, then the tries that its end's turns, taken here, claim first. */
    private void runHere(Launch first) {
        for (Launch launch = first; launch != null; ) {
            Finished end = runTry(launch);
            launch = end == null ? null : takeTurnHere(end);
        }
    }

    /**
     * The end of a try run on this thread, or null when the execution timeout ended it first: the timer's thread
     * queued that end, and this thread has nothing left to report.
     */
    private Finished runTry(Launch launch) {
        TaskInstance task = launch.task();
        TaskSpec spec = launch.spec();
        TaskInvoker.Inputs taskInputs;
        try {
            taskInputs = new TaskInvoker.Inputs(launch.inputs(), launch.expandedOver().map(over -> TaskInputs.element(
                    spec, over, launch.inputs().get(over), task.mapIndex())), task.mapIndex());
        } catch (RuntimeException e) {
            // The try ends before it starts, and its status names why; its log would hold nothing.
            launch.log().discard();
            return new Finished(task.label(), new TryOutcome.Failed(spec.id(), task.tryNumber(), DagRuntime.now(),
                    TaskInvoker.describe(e), true));
        }
        Thread thread = Thread.currentThread();
        List<Finished> ended = new ArrayList<>(1);
        invoker.runTry(spec, task.tryNumber(), task.maxTries(), taskInputs, launch.log(), outcome -> {
            Finished end = new Finished(task.label(), outcome);
            if (Thread.currentThread() == thread) {
                ended.add(end);
            } else {
                outcomes.add(end);
            }
        });
        return ended.isEmpty() ? null : ended.get(0);
    }

    /** How the try of the instance {@code label} ended, as a task thread reports it. */
    private record Finished(String label, TryOutcome outcome) {
    }

    /** Queued by a task thread's turn that left something only the calling thread does: end, stop, or wait. */
    private static final Finished ATTENTION = new Finished(null, null);

    private void notifyTask(List<Class<? extends Notifier>> notifiers, TaskInstance task) {
        invoker.notify(notifiers, new Notification(dag.id(), runId, Optional.of(task.label()), task.state().label(),
                task.tryNumber(), task.error()));
    }

    private void notifyRun(List<Class<? extends Notifier>> notifiers, RunState state) {
        Optional<String> error = state == RunState.FAILED
                ? Optional.of("tasks failed: " + instances.values().stream()
                        .filter(t -> t.state() == TaskState.FAILED).map(TaskInstance::label).toList())
                : Optional.empty();
        invoker.notify(notifiers, new Notification(dag.id(), runId, Optional.empty(), state.label(), 0, error));
    }
}
