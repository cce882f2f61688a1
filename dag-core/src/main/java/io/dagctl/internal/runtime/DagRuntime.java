package io.dagctl.internal.runtime;

import com.google.inject.Injector;
import com.google.inject.Module;
import io.dagctl.Connections;
import io.dagctl.Dag;
import io.dagctl.RunState;
import io.dagctl.TaskState;
import io.dagctl.internal.inject.DagInjector;
import io.dagctl.internal.logging.TaskLogs;
import io.dagctl.internal.store.DagRun;
import io.dagctl.internal.store.MetadataStore;
import io.dagctl.internal.store.Outage;
import io.dagctl.internal.store.RunType;
import io.dagctl.internal.store.StoreLocation;
import io.dagctl.internal.store.TaskInstance;
import io.dagctl.internal.store.WorkQueue;
import io.dagctl.internal.store.XComEntry;
import io.dagctl.internal.xcom.DatabaseXComBackend;
import io.dagctl.internal.xcom.XComBackend;
import io.dagctl.internal.xcom.XComCodec;
import io.dagctl.internal.xcom.XComKey;
import io.dagctl.spec.DagSpec;
import io.dagctl.spec.ParamsSpec;
import io.dagctl.spec.TaskSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes DAG runs durably against the metadata store. A run is created by {@link #trigger} and executed by
 * {@link #execute} (or both at once by {@link #run}); every state change is committed before it is acted on, so a
 * run whose process died is taken over by {@link #resume} without re-running a task that succeeded.
 *
 * <p>Build one per process with {@link #builder()}; it owns a thread pool and a database pool, so close it.
 */
public final class DagRuntime implements AutoCloseable {
    /** Environment variables the runtime reads. */
    public static final String HOME_VARIABLE = "DAGCTL_HOME";
    public static final String PARALLELISM_VARIABLE = "DAGCTL_PARALLELISM";
    /** {@code local} (the default): the process that triggers a run executes it; {@code workers}: workers do. */
    public static final String EXECUTOR_VARIABLE = "DAGCTL_EXECUTOR";
    /** Seconds (or an ISO-8601 duration) after which a silent worker's tries are given up; 30 by default. */
    public static final String ZOMBIE_TIMEOUT_VARIABLE = "DAGCTL_ZOMBIE_TIMEOUT";
    /**
     * Workers heartbeat every third of the zombie timeout; below this, one slow commit on a busy machine or database
     * would have live tries given up.
     */
    static final Duration MIN_ZOMBIE_TIMEOUT = Duration.ofSeconds(3);
    /** How the error of a try whose process died reads, after the try number; it counts as a try, as in Airflow. */
    public static final String INTERRUPTED_BY_CRASH = " was interrupted: the process executing it";
    private static final long FOLLOW_POLL_MILLIS = 50;
    private static final Duration FOLLOW_OUTAGE_BACKOFF = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(DagRuntime.class);
    private static final DateTimeFormatter RUN_ID_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx");

    final MetadataStore store;
    final TaskLogs logs;
    final XComCodec codec = new XComCodec();
    final XComBackend xcomBackend;
    final Owner owner = Owner.open();
    final Semaphore slots;
    final LocalLimits localLimits;
    final ExecutorService workers;
    final ScheduledExecutorService timers;
    /** Opens the log files of claimed tries while their claims commit (see {@link TryLogOpening}). */
    final ExecutorService logOpener;
    final List<Module> modules;
    final Connections connections;
    final Map<String, Object> stubs;
    private final Optional<Duration> maxRetryDelay;
    final Duration heartbeatEvery;
    final Duration staleAfter;
    final Duration zombieTimeout;
    final ExecutionMode mode;
    private final int parallelism;
    private final boolean closeStore;
    private final Map<String, DagSpec> dags = new ConcurrentHashMap<>();
    private final Map<String, DagShape> shapes = new ConcurrentHashMap<>();
    /** Per DAG class, the injector of its instances: made once, since making one costs more than a short run. */
    private final Map<Class<?>, Injector> injectors = new ConcurrentHashMap<>();
    private final Set<String> executing = ConcurrentHashMap.newKeySet();
    /** Set by {@link #stopStarting()}: runs executing here start no more tries. */
    volatile boolean stopping;
    /** The runs this process executes, by {@code dagId/runId}, for {@link #changesSince}. */
    private final Map<String, RunExecution> executions = new ConcurrentHashMap<>();

    private DagRuntime(Builder builder) {
        this.store = builder.store != null ? builder.store : MetadataStore.open(builder.location());
        this.closeStore = builder.store == null;
        this.logs = TaskLogs.under(builder.home());
        TaskLogs.install();
        this.xcomBackend = builder.xcomBackend != null ? builder.xcomBackend
                : DatabaseXComBackend.fromEnvironment(builder.environment);
        this.parallelism = builder.parallelism();
        this.slots = new Semaphore(parallelism);
        this.localLimits = new LocalLimits(store);
        this.workers = Executors.newCachedThreadPool(daemonThreads("dagctl-task-"));
        this.timers = Executors.newSingleThreadScheduledExecutor(daemonThreads("dagctl-timeout-"));
        this.logOpener = Executors.newSingleThreadExecutor(daemonThreads("dagctl-log-"));
        this.modules = List.copyOf(builder.modules);
        this.connections = builder.connections != null ? builder.connections
                : Connections.fromEnvironment(builder.environment);
        this.stubs = Map.copyOf(builder.stubs);
        this.maxRetryDelay = Optional.ofNullable(builder.maxRetryDelay);
        this.heartbeatEvery = builder.heartbeatEvery;
        this.staleAfter = builder.heartbeatEvery.multipliedBy(6);
        this.zombieTimeout = builder.zombieTimeout();
        this.mode = builder.mode();
        if (mode == ExecutionMode.WORKERS && !store.location().isPostgres()) {
            if (closeStore) {
                store.close();
            }
            throw new IllegalArgumentException(EXECUTOR_VARIABLE + "=workers needs a PostgreSQL metadata database"
                    + " that the workers share: set " + StoreLocation.DB_URL_VARIABLE + " (it is " + store.location()
                    + ")");
        }
        builder.dags.forEach(this::register);
    }

    /** The wait before try {@code nextTry} of {@code task}: its retry policy's, within {@link Builder#maxRetryDelay}. */
    Duration retryDelay(TaskSpec task, int nextTry) {
        Duration delay = task.retry().delayBefore(nextTry);
        return maxRetryDelay.filter(max -> max.compareTo(delay) < 0).orElse(delay);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Makes a DAG known, so that runs of it can be resumed and cleared by id. */
    public void register(DagSpec dag) {
        dags.put(dag.id(), dag);
    }

    public int parallelism() {
        return parallelism;
    }

    /** Who executes the runs this runtime triggers. */
    public ExecutionMode mode() {
        return mode;
    }

    /** A worker taking the tasks of the registered DAGs; {@link Worker#run()} it on a thread of its own. */
    public Worker worker() {
        return new Worker(this);
    }

    DagShape shape(DagSpec dag) {
        return shapes.compute(dag.id(), (id, shape) -> shape != null && shape.dag() == dag ? shape : new DagShape(dag));
    }

    /** @throws RuntimeException what kept Guice from making the injector, unwrapped; tried again on the next call */
    Injector injector(DagSpec dag) {
        return injectors.computeIfAbsent(dag.dagClass(), type -> DagInjector.create(type, modules, connections));
    }

    boolean isRegistered(String dagId) {
        return dags.containsKey(dagId);
    }

    List<String> dagIds() {
        return List.copyOf(dags.keySet());
    }

    /**
     * Creates a queued run with its task instances, after validating the params.
     *
     * @return the run id
     * @throws IllegalArgumentException naming the param and the problem, or when a run with that id exists
     */
    public String trigger(DagSpec dag, RunRequest request) {
        return trigger(dag, tx -> request);
    }

    /**
     * {@link #trigger(DagSpec, RunRequest)} for the request that {@code claim} makes in the transaction that creates
     * the run, after recording there what the run covers (a Kafka batch's offsets): both are committed, or neither.
     * A conflict in what {@code claim} records is thrown as the database reported it.
     */
    public String trigger(DagSpec dag, Function<MetadataStore.Transaction, RunRequest> claim) {
        return create(dag, List.of(claim), (tx, runId) -> false).get(0).runId();
    }

    /** A run just created, and its execution when it was created started. */
    public record Created(String runId, Optional<CompletableFuture<RunResult>> execution) {
    }

    /**
     * {@link #trigger(DagSpec, Function)}, and when {@code startsHere} holds in the same transaction for the run id,
     * the run is created started: this process owns it, and its first tries are claimed there too, so that starting
     * it costs no transaction of its own. With workers executing runs, the run is created queued for them.
     */
    public Created triggerStarted(DagSpec dag, Function<MetadataStore.Transaction, RunRequest> claim,
            BiPredicate<MetadataStore.Transaction, String> startsHere) {
        return triggerAllStarted(dag, List.of(claim), startsHere).get(0);
    }

    /**
     * {@link #triggerStarted} for several runs of a DAG in one transaction, made in the order of {@code claims}: each
     * claim and each {@code startsHere} sees the runs made before it there. All are committed, or none.
     */
    public List<Created> triggerAllStarted(DagSpec dag, List<Function<MetadataStore.Transaction, RunRequest>> claims,
            BiPredicate<MetadataStore.Transaction, String> startsHere) {
        List<Made> made = create(dag, claims, (tx, runId) -> startsHere() && startsHere.test(tx, runId));
        return made.stream().map(run -> new Created(run.runId(), run.execution().map(execution -> {
            String key = markCreated(dag, run.runId(), execution);
            return CompletableFuture.supplyAsync(() -> executeCreated(key, execution), workers);
        }))).toList();
    }

    /** Whether a run this process creates starts here, created started: not when workers execute runs, or stopping. */
    private boolean startsHere() {
        return mode == ExecutionMode.LOCAL && !stopping;
    }

    /** A run just inserted, with its execution when it was created started. */
    private record Made(String runId, Optional<RunExecution> execution) {
    }

    private List<Made> create(DagSpec dag, List<Function<MetadataStore.Transaction, RunRequest>> claims,
            BiPredicate<MetadataStore.Transaction, String> startsHere) {
        register(dag);
        // The transaction may be tried again (H2 handing the database over): each try's claims are given back.
        Map<String, RunExecution> started = new LinkedHashMap<>();
        List<String> runIds;
        try {
            runIds = store.inTransaction(tx -> {
                started.values().forEach(RunExecution::abandonCreated);
                started.clear();
                List<String> made = new ArrayList<>(claims.size());
                for (Function<MetadataStore.Transaction, RunRequest> claim : claims) {
                    made.add(createIn(tx, dag, claim.apply(tx), startsHere, started));
                }
                return made;
            });
        } catch (RuntimeException | Error e) {
            started.values().forEach(RunExecution::abandonCreated);
            throw e;
        }
        return runIds.stream().map(runId -> new Made(runId, Optional.ofNullable(started.get(runId)))).toList();
    }

    /** Inserts a run and its task instances, started (and added to {@code started}) when {@code startsHere} holds. */
    private String createIn(MetadataStore.Transaction tx, DagSpec dag, RunRequest request,
            BiPredicate<MetadataStore.Transaction, String> startsHere, Map<String, RunExecution> started) {
        Map<String, String> params = paramsWithDefaults(dag.params(), request.params());
        bindParams(dag, params);
        Instant now = now();
        Instant logicalDate = request.logicalDate().orElse(now).truncatedTo(ChronoUnit.MICROS);
        Instant intervalStart = request.dataInterval().map(i -> i.start()).orElse(logicalDate);
        Instant intervalEnd = request.dataInterval().map(i -> i.end()).orElse(logicalDate);
        String id = request.runId().orElseGet(() -> request.runType().label() + "__"
                + RUN_ID_DATE.format(logicalDate.atOffset(ZoneOffset.UTC)));
        DagRun run = new DagRun(dag.id(), id, RunState.QUEUED, request.runType(), logicalDate,
                intervalStart, intervalEnd, params, now, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
        List<TaskInstance> instances = dag.tasks().stream()
                .map(t -> TaskInstance.fresh(dag.id(), id, t.id(), t.retry().maxTries())).toList();
        RunExecution execution = null;
        if (startsHere.test(tx, id)) {
            run = run.started(now, owner.id());
            localLimits.readPoolsIfDue(tx);
            execution = new RunExecution(this, dag, id);
            started.put(id, execution);
            instances = execution.firstTurnOfCreated(run, instances);
        }
        try {
            insertRun(tx, dag, run, instances);
        } catch (JdbiException e) {
            // Another process inserted the same run between our look and our insert: the key decided.
            if (isUniqueViolation(e)) {
                throw new IllegalArgumentException("DAG " + dag.id() + " already has a run " + id, e);
            }
            throw e;
        }
        if (execution != null) {
            execution.openFirstLogsAhead();
        }
        return id;
    }

    /** Marks a run created started as executing here, before its execution begins, for followers to find it. */
    private String markCreated(DagSpec dag, String runId, RunExecution execution) {
        String key = mark(dag.id(), runId);
        executions.put(key, execution);
        return key;
    }

    /** Executes a run created started, once its transaction committed, on the calling thread. */
    private RunResult executeCreated(String key, RunExecution execution) {
        try {
            return execution.executeCreated();
        } finally {
            executions.remove(key);
            executing.remove(key);
        }
    }

    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.sql.SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private void insertRun(MetadataStore.Transaction tx, DagSpec dag, DagRun run, List<TaskInstance> instances) {
        String runId = run.runId();
        if (tx.findRun(dag.id(), runId).isPresent()) {
            throw new IllegalArgumentException("DAG " + dag.id() + " already has a run " + runId);
        }
        tx.insertRun(run);
        tx.insertTasks(instances);
        for (TaskSpec task : dag.tasks()) {
            if (!task.pool().equals(TaskSpec.DEFAULT_POOL) || task.poolSlots() != 1) {
                WorkQueue.assignPool(tx, dag.id(), runId, task.id(), task.pool(), task.poolSlots());
            }
        }
        if (mode == ExecutionMode.WORKERS) {
            WorkQueue.setExecution(tx, dag.id(), runId, WorkQueue.WORKERS, dag.maxActiveRuns(),
                    dag.maxActiveTasks());
            WorkQueue.analyzeIfWide(tx, dag.tasks().size());
            WorkQueue.notifyWorkers(tx, "");
        } else if (dag.maxActiveRuns() != DagSpec.DEFAULT_MAX_ACTIVE
                || dag.maxActiveTasks() != DagSpec.DEFAULT_MAX_ACTIVE) {
            WorkQueue.setExecution(tx, dag.id(), runId, WorkQueue.LOCAL, dag.maxActiveRuns(),
                    dag.maxActiveTasks());
        }
    }

    /**
     * Triggers a run and executes it to its end on the calling thread. Here the run is created started, as
     * {@link #triggerStarted} creates it, so that no transaction reads it back and takes it over; one that workers
     * execute, or made while {@linkplain #stopStarting() stopping}, is created queued and executed as
     * {@link #execute} does.
     */
    public RunResult run(DagSpec dag, RunRequest request) {
        Made made = create(dag, List.of(tx -> request), (tx, runId) -> startsHere()).get(0);
        return made.execution()
                .map(execution -> executeCreated(markCreated(dag, made.runId(), execution), execution))
                .orElseGet(() -> execute(dag.id(), made.runId()));
    }

    /**
     * Executes a run to its end on the calling thread: a queued one, or one whose owner process is gone (as
     * {@link #resume} does). A finished run is returned as it is.
     *
     * @throws IllegalStateException when another live process executes it
     */
    public RunResult execute(String dagId, String runId) {
        if (isWorkerRun(dagId, runId)) {
            return follow(dagId, runId);
        }
        return executeMarked(dag(dagId), mark(dagId, runId));
    }

    /** {@link #execute} on another thread. */
    public CompletableFuture<RunResult> submit(String dagId, String runId) {
        if (isWorkerRun(dagId, runId)) {
            return CompletableFuture.supplyAsync(() -> follow(dagId, runId), workers);
        }
        DagSpec dag = dag(dagId);
        String key = mark(dagId, runId);
        return CompletableFuture.supplyAsync(() -> executeMarked(dag, key), workers);
    }

    private boolean isWorkerRun(String dagId, String runId) {
        return store.inTransaction(tx -> WorkQueue.executor(tx, dagId, runId))
                .map(WorkQueue.WORKERS::equals)
                .orElseThrow(() -> noSuchRun(dagId, runId));
    }

    /** Waits for workers to end a run, reading its progress from the database. */
    public RunResult follow(String dagId, String runId) {
        // The workers go on while the database is away, so following waits for it too.
        Outage outage = new Outage(LOG, "Following run " + runId, FOLLOW_OUTAGE_BACKOFF);
        while (true) {
            long waitMillis = FOLLOW_POLL_MILLIS;
            try {
                DagRun run = store.findRun(dagId, runId).orElseThrow(() -> noSuchRun(dagId, runId));
                if (run.state().isFinished()) {
                    return new RunResult(run, store.taskInstances(dagId, runId));
                }
                outage.succeeded();
            } catch (RuntimeException e) {
                if (!Outage.isConnectionFailure(e)) {
                    throw e;
                }
                waitMillis = outage.failed("read the run", e).toMillis();
            }
            try {
                Thread.sleep(waitMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while following run " + runId + " of DAG " + dagId, e);
            }
        }
    }

    private String mark(String dagId, String runId) {
        String key = dagId + "/" + runId;
        if (!executing.add(key)) {
            throw new IllegalStateException("run " + runId + " of DAG " + dagId + " is already being executed here");
        }
        return key;
    }

    private RunResult executeMarked(DagSpec dag, String key) {
        try {
            RunExecution execution = new RunExecution(this, dag, key.substring(dag.id().length() + 1));
            executions.put(key, execution);
            return execution.execute();
        } finally {
            executions.remove(key);
            executing.remove(key);
        }
    }

    /**
     * The task instances a run executing in this process has committed since the {@code from}th change, in commit
     * order (the first changes are every instance as the run was taken over): what a follower reads instead of
     * every instance. Empty when the run is not executing here, or not yet.
     */
    public Optional<List<TaskInstance>> changesSince(String dagId, String runId, int from) {
        RunExecution execution = executions.get(dagId + "/" + runId);
        return execution == null ? Optional.empty() : Optional.of(execution.committedSince(from));
    }

    /** A follower's reader of the run's changes, wherever it executes: what it reads instead of every instance. */
    public RunChanges changes(String dagId, String runId) {
        return new RunChanges(this, dagId, runId);
    }

    /**
     * Takes over a run whose process died: tries it left running count as failed tries (retried if tries remain),
     * succeeded tasks are kept, and the run goes on to its end.
     */
    public RunResult resume(String dagId, String runId) {
        return execute(dagId, runId);
    }

    /**
     * Resumes, in the background, every {@linkplain #interruptedRuns() interrupted run} whose DAG is registered.
     * The builder calls it when the runtime opens unless told not to.
     */
    public List<CompletableFuture<RunResult>> resumeInterrupted() {
        List<CompletableFuture<RunResult>> resumed = new ArrayList<>();
        for (DagRun run : interruptedRuns()) {
            if (!dags.containsKey(run.dagId())) {
                LOG.warn("Run {} of DAG {} was interrupted, but the DAG is not known here; resume it where it is",
                        run.runId(), run.dagId());
                continue;
            }
            LOG.info("Resuming run {} of DAG {}, interrupted when {} ended", run.runId(), run.dagId(),
                    run.owner().get());
            resumed.add(submit(run.dagId(), run.runId()));
        }
        return resumed;
    }

    /** The unfinished runs that no live process executes: their process died, and no worker owns them. */
    public List<DagRun> interruptedRuns() {
        Instant now = now();
        return store.runsInStates(EnumSet.of(RunState.QUEUED, RunState.RUNNING)).stream()
                .filter(run -> !executing.contains(run.dagId() + "/" + run.runId())
                        && run.owner().isPresent() && !run.owner().get().equals(WorkQueue.WORKERS)
                        && !Owner.isAlive(run.owner().get(), run.heartbeatAt(), now, staleAfter))
                .toList();
    }

    /**
     * Airflow's clear: the given tasks (only those that failed, when {@code failedOnly}) and everything downstream
     * of them go back to no status with their retries granted again, their XCom values are deleted, and the run is
     * queued to be executed again.
     *
     * @return the ids of the cleared tasks, in the DAG's order
     * @throws IllegalStateException when a live process is executing the run
     */
    public List<String> clear(String dagId, String runId, Collection<String> taskIds, boolean failedOnly) {
        DagSpec dag = dag(dagId);
        taskIds.forEach(dag::task);
        return store.inTransaction(tx -> {
            DagRun run = tx.findRun(dagId, runId).orElseThrow(() -> noSuchRun(dagId, runId));
            if (run.owner().isPresent() && !run.owner().get().equals(WorkQueue.WORKERS)
                    && Owner.isAlive(run.owner().get(), run.heartbeatAt(), now(), staleAfter)) {
                throw new IllegalStateException("run " + runId + " of DAG " + dagId + " is being executed by "
                        + run.owner().get() + "; clear it once that ends");
            }
            Map<String, List<TaskInstance>> instances = new LinkedHashMap<>();
            tx.taskInstances(dagId, runId).forEach(t -> instances.computeIfAbsent(t.taskId(), id -> new ArrayList<>())
                    .add(t));
            Set<String> roots = new LinkedHashSet<>();
            for (String id : taskIds) {
                if (!failedOnly || instances.get(id).stream().anyMatch(t -> isFailed(t.state()))) {
                    roots.add(id);
                }
            }
            Set<String> toClear = downstreamClosure(dag, roots);
            // A task below another cleared task takes new values from it, so it runs again whole.
            Set<String> belowRoots = downstreamClosure(dag, roots.stream().flatMap(id -> dag.downstream(id).stream())
                    .collect(Collectors.toSet()));
            List<String> cleared = new ArrayList<>();
            Set<String> valuesToDelete = new LinkedHashSet<>();
            List<TaskInstance> updated = new ArrayList<>();
            for (TaskSpec task : dag.tasks()) {
                if (!toClear.contains(task.id())) {
                    continue;
                }
                List<TaskInstance> ofTask = instances.get(task.id());
                boolean expanded = ofTask.get(0).mapIndex() >= 0;
                if (expanded && failedOnly && !belowRoots.contains(task.id())) {
                    // Only the failed instances run again; the others keep their values.
                    ofTask.stream().filter(t -> isFailed(t.state()))
                            .forEach(t -> updated.add(t.cleared(task.retry().retries())));
                } else if (expanded) {
                    // Expanded again, over the list its upstream task returns then.
                    WorkQueue.unexpand(tx, TaskInstance.fresh(dagId, runId, task.id(), task.retry().maxTries()),
                            task.pool(), task.poolSlots());
                    valuesToDelete.add(task.id());
                } else {
                    updated.add(ofTask.get(0).cleared(task.retry().retries()));
                    valuesToDelete.add(task.id());
                }
                cleared.add(task.id());
            }
            tx.deleteXComs(dagId, runId, valuesToDelete);
            tx.updateTasks(updated);
            if (!cleared.isEmpty()) {
                tx.updateRun(run.requeued());
            }
            return cleared;
        });
    }

    /**
     * Gives up on a failed run, as Airflow's "mark skipped" does: its failed and upstream_failed tasks become skipped
     * and the run ends successfully, so that what waits behind it (the later batches of a topic) goes on. What the
     * failed tasks would have done is not done; the error of each stays in its logs.
     *
     * @return the ids of the skipped tasks, in the DAG's order
     * @throws IllegalStateException when the run has not failed
     */
    public List<String> skipFailed(String dagId, String runId) {
        DagSpec dag = dag(dagId);
        return store.inTransaction(tx -> {
            DagRun run = tx.findRun(dagId, runId).orElseThrow(() -> noSuchRun(dagId, runId));
            if (run.state() != RunState.FAILED) {
                throw new IllegalStateException("run " + runId + " of DAG " + dagId + " is " + run.state().label()
                        + ", not failed: only a failed run can be skipped");
            }
            Instant at = now();
            List<TaskInstance> skipped = tx.taskInstances(dagId, runId).stream().filter(t -> isFailed(t.state()))
                    .map(t -> t.decided(TaskState.SKIPPED, at)).toList();
            tx.updateTasks(skipped);
            tx.updateRun(run.ended(RunState.SUCCESS, at));
            Set<String> ids = skipped.stream().map(TaskInstance::taskId).collect(Collectors.toSet());
            return dag.tasks().stream().map(TaskSpec::id).filter(ids::contains).toList();
        });
    }

    private static boolean isFailed(TaskState state) {
        return state == TaskState.FAILED || state == TaskState.UPSTREAM_FAILED;
    }

    static Set<String> downstreamClosure(DagSpec dag, Set<String> roots) {
        Set<String> closure = new LinkedHashSet<>(roots);
        Deque<String> pending = new ArrayDeque<>(roots);
        while (!pending.isEmpty()) {
            for (String next : dag.downstream(pending.pop())) {
                if (closure.add(next)) {
                    pending.add(next);
                }
            }
        }
        return closure;
    }

    /** The runs, newest first, of one DAG or of all. */
    public List<DagRun> runs(Optional<String> dagId, int limit) {
        return store.runs(dagId, limit);
    }

    public Optional<DagRun> findRun(String dagId, String runId) {
        return store.findRun(dagId, runId);
    }

    /** The task instances of a run, in the order they started (not started last). */
    public List<TaskInstance> taskInstances(String dagId, String runId) {
        return store.taskInstances(dagId, runId);
    }

    /**
     * The JSON value a task returned in a run, if it returned one; for a mapped task, the list of its instances'
     * values in index order, as a downstream task receives it.
     */
    public Optional<String> xcomJson(String dagId, String runId, String taskId) {
        List<XComEntry> returned = store.xcoms(dagId, runId).stream()
                .filter(x -> x.taskId().equals(taskId) && x.key().equals(XComEntry.RETURN_VALUE)).toList();
        return returned.isEmpty() ? Optional.empty() : Optional.of(returnValueJson(returned));
    }

    /** {@link #xcomJson(String, String, String)} of every task that returned a value, read in one query. */
    public Map<String, String> returnValuesJson(String dagId, String runId) {
        Map<String, List<XComEntry>> byTask = new LinkedHashMap<>();
        for (XComEntry entry : store.xcoms(dagId, runId)) {
            if (entry.key().equals(XComEntry.RETURN_VALUE)) {
                byTask.computeIfAbsent(entry.taskId(), id -> new ArrayList<>()).add(entry);
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        byTask.forEach((taskId, returned) -> values.put(taskId, returnValueJson(returned)));
        return values;
    }

    /** One task's value: its return value, or its mapped instances' values as a list in index order. */
    private String returnValueJson(List<XComEntry> returned) {
        if (returned.size() == 1 && returned.get(0).mapIndex() < 0) {
            return xcomJson(returned.get(0));
        }
        return TaskInputs.list(returned.stream().sorted(Comparator.comparingInt(XComEntry::mapIndex))
                .map(this::xcomJson).toList());
    }

    /** The JSON of one stored value, read from the object store when the row holds a reference to it. */
    public String xcomJson(XComEntry entry) {
        return xcomBackend.load(new XComKey(entry.dagId(), entry.runId(), entry.label()), entry.storedValue());
    }

    /** The value a task returned in a run, read as {@code type}. */
    public <T> Optional<T> xcom(String dagId, String runId, String taskId, Class<T> type) {
        return xcomJson(dagId, runId, taskId).map(json -> type.cast(codec.fromJson(json, type, taskId)));
    }

    /** The log file of a try ({@code attempt} from 1), whether or not it exists. */
    public Path logPath(String dagId, String runId, String taskId, int attempt) {
        return logs.pathOf(dagId, runId, taskId, attempt);
    }

    public MetadataStore store() {
        return store;
    }

    DagSpec dag(String dagId) {
        DagSpec dag = dags.get(dagId);
        if (dag == null) {
            throw new IllegalArgumentException("DAG " + dagId + " is not registered with this runtime; known: "
                    + new java.util.TreeSet<>(dags.keySet()));
        }
        return dag;
    }

    static IllegalArgumentException noSuchRun(String dagId, String runId) {
        return new IllegalArgumentException("DAG " + dagId + " has no run " + runId);
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    static Map<String, String> paramsWithDefaults(ParamsSpec params, Map<String, String> values) {
        if (params.type() == Dag.NoParams.class && params.params().isEmpty() && values.isEmpty()) {
            return Map.of();
        }
        return params.withDefaults(values);
    }

    static Record bindParams(DagSpec dag, Map<String, String> values) {
        if (dag.params().type() == Dag.NoParams.class && dag.params().params().isEmpty() && values.isEmpty()) {
            return new Dag.NoParams();
        }
        return dag.params().bind(values);
    }

    /**
     * Makes the runs this runtime executes start no more tries (Ctrl-C): each lets its running tries end and be
     * recorded, then returns unfinished, resumable by {@code dagctl resume}.
     */
    public void stopStarting() {
        stopping = true;
    }

    /** Interrupts the tries still running and releases the pools; runs left unfinished stay resumable. */
    @Override
    public void close() {
        workers.shutdownNow();
        timers.shutdownNow();
        logOpener.shutdownNow();
        owner.close();
        if (closeStore) {
            store.close();
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Waits for a future from {@link #submit}, rethrowing what failed it. */
    public static RunResult await(CompletableFuture<RunResult> run) {
        try {
            return run.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a run", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Where the runtime keeps its state and how it runs tasks; every part has a default from the environment. */
    public static final class Builder {
        private Map<String, String> environment = System.getenv();
        private Path home;
        private MetadataStore store;
        private XComBackend xcomBackend;
        private Integer parallelism;
        private final List<Module> modules = new ArrayList<>();
        private Connections connections;
        private final Map<String, Object> stubs = new LinkedHashMap<>();
        private Duration maxRetryDelay;
        private final List<DagSpec> dags = new ArrayList<>();
        private boolean resumeInterruptedOnOpen = true;
        private Duration heartbeatEvery = Duration.ofSeconds(10);
        private Duration zombieTimeout;
        private ExecutionMode mode;

        private Builder() {
        }

        /** The variables to read {@code DAGCTL_*} settings from; the process environment by default. */
        public Builder environment(Map<String, String> variables) {
            this.environment = Map.copyOf(variables);
            return this;
        }

        /** Where logs (and the default H2 database) live; {@code DAGCTL_HOME}, else {@code ./.dagctl}. */
        public Builder home(Path directory) {
            this.home = directory;
            return this;
        }

        /** A store to use instead of the one {@code DAGCTL_DB_URL} or the home names; the caller closes it. */
        public Builder store(MetadataStore metadataStore) {
            this.store = metadataStore;
            return this;
        }

        public Builder xcomBackend(XComBackend backend) {
            this.xcomBackend = backend;
            return this;
        }

        /** How many tries run at once; {@code DAGCTL_PARALLELISM}, else twice the processors. */
        public Builder parallelism(int tries) {
            if (tries < 1) {
                throw new IllegalArgumentException("parallelism must be at least 1: " + tries);
            }
            this.parallelism = tries;
            return this;
        }

        /** The user's Guice modules: hook modules, notifiers, fakes. */
        public Builder modules(Collection<? extends Module> userModules) {
            this.modules.addAll(userModules);
            return this;
        }

        /** Where hooks find connections unless a module binds {@link Connections}; the environment by default. */
        public Builder connections(Connections source) {
            this.connections = Objects.requireNonNull(source);
            return this;
        }

        /** Makes DAGs known for {@link #resumeInterrupted()} and {@link #clear}. */
        public Builder dags(Collection<DagSpec> specs) {
            this.dags.addAll(specs);
            return this;
        }

        /** Runs of this runtime do not invoke {@code taskId}: {@code value} is its result. For test kits. */
        public Builder stub(String taskId, Object value) {
            this.stubs.put(taskId, value);
            return this;
        }

        /** No retry waits longer than {@code delay}, whatever the task's policy says. For test kits. */
        public Builder maxRetryDelay(Duration delay) {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("the longest retry delay must not be negative: " + delay);
            }
            this.maxRetryDelay = delay;
            return this;
        }

        public Builder resumeInterruptedOnOpen(boolean resume) {
            this.resumeInterruptedOnOpen = resume;
            return this;
        }

        /** How often a running run says its process is alive; other hosts take over after six missed beats. */
        public Builder heartbeatEvery(Duration interval) {
            this.heartbeatEvery = interval;
            return this;
        }

        /** Who executes triggered runs; {@code DAGCTL_EXECUTOR}, else {@link ExecutionMode#LOCAL}. */
        public Builder executor(ExecutionMode executionMode) {
            this.mode = Objects.requireNonNull(executionMode);
            return this;
        }

        /** After how long without a heartbeat a worker's tries are given up; {@code DAGCTL_ZOMBIE_TIMEOUT}. */
        public Builder zombieTimeout(Duration timeout) {
            this.zombieTimeout = checkedZombieTimeout(timeout);
            return this;
        }

        private static Duration checkedZombieTimeout(Duration timeout) {
            if (timeout.compareTo(MIN_ZOMBIE_TIMEOUT) < 0) {
                throw new IllegalArgumentException(ZOMBIE_TIMEOUT_VARIABLE + " of " + seconds(timeout)
                        + " s is too short: workers heartbeat every third of it, and one slow heartbeat would have"
                        + " live tries given up; use at least " + seconds(MIN_ZOMBIE_TIMEOUT) + " s");
            }
            return timeout;
        }

        private static String seconds(Duration duration) {
            return java.math.BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString();
        }

        ExecutionMode mode() {
            if (mode != null) {
                return mode;
            }
            return ExecutionMode.parse(EXECUTOR_VARIABLE, environment.getOrDefault(EXECUTOR_VARIABLE, ""));
        }

        Duration zombieTimeout() {
            if (zombieTimeout != null) {
                return zombieTimeout;
            }
            String text = environment.getOrDefault(ZOMBIE_TIMEOUT_VARIABLE, "").strip();
            if (text.isEmpty()) {
                return Duration.ofSeconds(30);
            }
            Duration parsed = null;
            try {
                parsed = text.startsWith("P") || text.startsWith("p") ? Duration.parse(text)
                        : Duration.ofMillis(Math.round(Double.parseDouble(text) * 1000));
            } catch (RuntimeException e) {
                // reported below
            }
            if (parsed != null && !parsed.isNegative() && !parsed.isZero()) {
                return checkedZombieTimeout(parsed);
            }
            throw new IllegalArgumentException(ZOMBIE_TIMEOUT_VARIABLE + " must be a positive number of seconds or an"
                    + " ISO-8601 duration (PT30S), not '" + text + "'");
        }

        Path home() {
            if (home != null) {
                return home;
            }
            String fromEnvironment = environment.get(HOME_VARIABLE);
            return Path.of(fromEnvironment == null || fromEnvironment.isBlank() ? ".dagctl" : fromEnvironment);
        }

        StoreLocation location() {
            return StoreLocation.fromEnvironment(environment, home());
        }

        int parallelism() {
            if (parallelism != null) {
                return parallelism;
            }
            String fromEnvironment = environment.get(PARALLELISM_VARIABLE);
            if (fromEnvironment == null || fromEnvironment.isBlank()) {
                return 2 * Runtime.getRuntime().availableProcessors();
            }
            try {
                int value = Integer.parseInt(fromEnvironment.strip());
                if (value >= 1) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(PARALLELISM_VARIABLE + " must be a whole number of at least 1, not '"
                    + fromEnvironment + "'");
        }

        public DagRuntime build() {
            DagRuntime runtime = new DagRuntime(this);
            if (resumeInterruptedOnOpen) {
                runtime.resumeInterrupted();
            }
            return runtime;
        }
    }
}
