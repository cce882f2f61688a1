package io.dagctl.ops;

import io.dagctl.ConnectionUri;
import io.dagctl.Connections;
import io.dagctl.DataInterval;
import io.dagctl.RunState;
import io.dagctl.Secrets;
import io.dagctl.TaskState;
import io.dagctl.internal.discovery.DagDiscovery;
import io.dagctl.internal.discovery.Names;
import io.dagctl.internal.logging.TaskLogs;
import io.dagctl.internal.runtime.DagRuntime;
import io.dagctl.internal.runtime.RunRequest;
import io.dagctl.internal.runtime.RunResult;
import io.dagctl.internal.schedule.SchedulerStore;
import io.dagctl.internal.schedule.Upcoming;
import io.dagctl.internal.store.DagRun;
import io.dagctl.internal.store.MetadataStore;
import io.dagctl.internal.store.Outage;
import io.dagctl.internal.store.TaskInstance;
import io.dagctl.internal.store.WorkQueue;
import io.dagctl.internal.store.XComEntry;
import io.dagctl.spec.DagSpec;
import io.dagctl.spec.TaskSpec;
import io.dagctl.spec.Triggers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The operations every face offers over the DAGs and the metadata database, with one validation and one set of
 * messages: list DAGs, trigger, runs, task instances, clear, mark, pause, resume, logs, XCom, pools. Refusals are
 * {@link OperationException}s. It keeps no state of its own, so several faces may serve one database.
 */
public final class Operations {
    /** How many of a DAG's latest runs {@link #dags()} shows. */
    public static final int LAST_RUNS = 5;
    private static final Pattern S3_URI = Pattern.compile("s3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])/(.+)");
    private static final Pattern PARAM_MESSAGE = Pattern.compile("^(?:unknown )?param '([^']+)'");

    private final Supplier<List<DagSpec>> dagSource;
    private final Supplier<MetadataStore> storeSource;
    private final Supplier<DagRuntime> runtime;
    private final TaskLogs logs;
    private final ObjectReader objects;
    private final boolean pausedAtCreation;
    private final Supplier<List<ImportFailure>> importFailures;
    private final Supplier<List<ConnectionSummary>> connections;

    /** A DAG as the DAG list shows it. */
    public record DagSummary(DagSpec dag, String startedBy, boolean paused, List<Run> lastRuns, int running) {
        public DagSummary {
            lastRuns = List.copyOf(lastRuns);
        }
    }

    /** The DAG list, and the logical date of each time-scheduled DAG's next run by DAG id (ended schedules left out). */
    public record DagList(List<DagSummary> dags, Map<String, Instant> nextLogicalDates) {
        public DagList {
            dags = List.copyOf(dags);
            nextLogicalDates = Collections.unmodifiableMap(new LinkedHashMap<>(nextLogicalDates));
        }
    }

    /** One run. {@code params} are the text values it was triggered with, defaults filled in. */
    public record Run(String dagId, String runId, RunState state, String runType, Instant logicalDate,
            Instant dataIntervalStart, Instant dataIntervalEnd, Map<String, String> params, Instant createdAt,
            Optional<Instant> startedAt, Optional<Instant> endedAt) {
        public Run {
            // In the order they were given, as a face lists them.
            params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        }

        public Optional<Duration> duration() {
            return startedAt.flatMap(start -> endedAt.map(end -> Duration.between(start, end)));
        }
    }

    /** One task instance of a run and its latest try; {@code error} is already masked. */
    public record TaskInstanceState(String taskId, int mapIndex, String label, TaskState state, int tryNumber,
            int maxTries, Optional<Instant> startDate, Optional<Instant> endDate, Optional<Duration> duration,
            Optional<String> error, Optional<String> hostname, Optional<Instant> nextTryAt) {
    }

    /** Which runs {@link #runs} returns, newest first: {@code limit} of them after skipping {@code offset}. */
    public record RunFilter(Optional<String> dagId, Optional<RunState> state, Optional<String> runType, int limit,
            int offset) {
        public RunFilter {
            if (limit < 1) {
                throw OperationException.invalid("limit must be at least 1, not " + limit);
            }
            if (offset < 0) {
                throw OperationException.invalid("offset must be at least 0, not " + offset);
            }
        }
    }

    /** The run state with this label, or a refusal naming the closest label and all of them. */
    public static RunState runState(String label) {
        List<String> labels = Arrays.stream(RunState.values()).map(RunState::label).toList();
        if (!labels.contains(label)) {
            throw OperationException.invalid("unknown run state '" + label + "'"
                    + Names.closest(label, labels).map(c -> " (did you mean '" + c + "'?)").orElse("")
                    + "; the states are " + String.join(", ", labels));
        }
        return RunState.ofLabel(label);
    }

    /** A page of items and how many there are in all. */
    public record Page<T>(List<T> items, int total) {
        public Page {
            items = List.copyOf(items);
        }
    }

    /** A manual run to create: text params as {@code dagctl trigger -p} takes them, and an optional run id. */
    public record TriggerRequest(String dagId, Map<String, String> params, Optional<String> runId) {
        public TriggerRequest {
            params = new LinkedHashMap<>(params);
        }
    }

    /**
     * Refused params: one message per param (the key is the param's name, or the empty string for the params
     * record as a whole), so that a form can show each next to its field.
     */
    public static final class InvalidParams extends IllegalArgumentException {
        private final Map<String, String> messages;

        InvalidParams(Map<String, String> messages) {
            super(String.join("; ", messages.values()));
            this.messages = Map.copyOf(messages);
        }

        public Map<String, String> messages() {
            return messages;
        }
    }

    /**
     * Bytes {@code offset} up to {@code nextOffset} of a try's log, cut after its last whole line and masked;
     * {@code complete} once the try has ended and nothing is left to read, so that a follower knows to stop.
     */
    public record LogChunk(String text, long offset, long nextOffset, boolean complete) {
    }

    /** A value a task instance stored: {@code label} is {@code task} or {@code task[i]}. */
    public record XComValue(String label, String key, String json) {
    }

    /** A pool, its slots, and the slots queued and running tries hold. */
    public record PoolUsage(String name, int slots, int used, String description) {
    }

    /**
     * The DAGs, the store and the runtime are asked for on first use, so that a request refused for its own sake
     * (a run id outside the grammar, an unknown DAG) opens no database, and one that needs no DAG loads none.
     *
     * @param pausedAtCreation whether the scheduler starts a DAG it has not seen yet paused
     *     ({@code DAGCTL_DAGS_PAUSED_AT_CREATION}), as such a DAG is shown
     */
    public Operations(Supplier<List<DagSpec>> dags, Supplier<MetadataStore> store, Supplier<DagRuntime> runtime,
            TaskLogs logs, ObjectReader objects, boolean pausedAtCreation) {
        this.dagSource = dags;
        this.storeSource = store;
        this.runtime = runtime;
        this.logs = logs;
        this.objects = objects;
        this.pausedAtCreation = pausedAtCreation;
        this.importFailures = List::of;
        this.connections = List::of;
    }

    private Operations(Operations operations, Supplier<List<ImportFailure>> importFailures,
            Supplier<List<ConnectionSummary>> connections) {
        this.dagSource = operations.dagSource;
        this.storeSource = operations.storeSource;
        this.runtime = operations.runtime;
        this.logs = operations.logs;
        this.objects = operations.objects;
        this.pausedAtCreation = operations.pausedAtCreation;
        this.importFailures = importFailures;
        this.connections = connections;
    }

    /**
     * Why the metadata database could not be reached, when {@code e} says so (the server down or restarting, the
     * connection cut); empty when {@code e} is any other failure.
     */
    public static Optional<String> databaseUnreachable(Throwable e) {
        return Outage.isConnectionFailure(e) ? Optional.of(Outage.rootMessage(e)) : Optional.empty();
    }

    /**
     * Asks the metadata database for a trivial answer on a connection of its own: a face that found the database
     * unreachable learns at once whether it is back, instead of after the pool's connection timeout. Once it
     * answers, the pool's connections from before are retired, since the server may have closed them. Throws what the
     * connection throws.
     */
    public void checkDatabase() {
        try (MetadataStore probe = store().unpooled()) {
            probe.withHandle(handle -> handle.createQuery("SELECT 1").mapTo(Integer.class).one());
        }
        store().discardPooledConnections();
    }

    /**
     * The DAGs with their paused state and latest runs, read in a fixed number of queries whatever the number of
     * DAGs and runs.
     */
    public List<DagSummary> dags() {
        return summaries(specs(), Optional.empty(), schedulerStates());
    }

    /**
     * The DAGs as {@link #dags()} gives them, and the logical date of each time-scheduled DAG's next run, with the
     * scheduler's states read once for both: a fixed number of queries whatever the number of DAGs.
     */
    public DagList dagList() {
        List<DagSpec> specs = specs();
        List<DagSpec> scheduled = specs.stream().filter(dag -> !dag.schedule().isBlank()).toList();
        Map<String, SchedulerStore.DagState> states;
        Map<String, Instant> lastScheduled = Map.of();
        try (SchedulerStore scheduling = SchedulerStore.open(store().location())) {
            states = scheduling.states();
            if (!scheduled.isEmpty()) {
                lastScheduled = scheduling.lastScheduledLogicalDates();
            }
        }
        return new DagList(summaries(specs, Optional.empty(), states),
                nextLogicalDates(scheduled, lastScheduled, states));
    }

    public DagSummary dagSummary(String dagId) {
        return summaries(List.of(dag(dagId)), Optional.of(dagId), schedulerStates()).get(0);
    }

    private List<DagSummary> summaries(List<DagSpec> of, Optional<String> dagId,
            Map<String, SchedulerStore.DagState> states) {
        Map<String, Boolean> paused = pausedStates(of, states);
        Map<String, List<Run>> latest = store().latestRunsPerDag(dagId, LAST_RUNS).stream().map(Operations::run)
                .collect(Collectors.groupingBy(Run::dagId));
        Map<String, Integer> running = store().runCounts(dagId, RunState.RUNNING);
        return of.stream().map(dag -> new DagSummary(dag, startedBy(dag), paused.get(dag.id()),
                latest.getOrDefault(dag.id(), List.of()), running.getOrDefault(dag.id(), 0))).toList();
    }

    /** The DAG with this id, or a refusal that names the closest ids. */
    public DagSpec dag(String dagId) {
        return dag(specs(), dagId);
    }

    /** The DAG with this id among {@code dags}, or a refusal that names the closest ids. */
    public static DagSpec dag(List<DagSpec> dags, String dagId) {
        List<String> ids = dags.stream().map(DagSpec::id).toList();
        return dags.stream().filter(d -> d.id().equals(dagId)).findFirst()
                .orElseThrow(() -> OperationException.notFound("unknown DAG '" + dagId + "'"
                        + Names.closest(dagId, ids).map(c -> " (did you mean '" + c + "'?)").orElse("")
                        + "; known DAGs: " + String.join(", ", ids)));
    }

    /** The task of the DAG, or a refusal that names the closest task ids. */
    public static TaskSpec task(DagSpec dag, String taskId) {
        List<String> taskIds = dag.tasks().stream().map(TaskSpec::id).toList();
        return dag.findTask(taskId).orElseThrow(() -> OperationException.notFound("DAG " + dag.id()
                + " has no task '" + taskId + "'" + Names.closest(taskId, taskIds)
                        .map(c -> " (did you mean '" + c + "'?)").orElse("")
                + "; its tasks: " + String.join(", ", taskIds)));
    }

    /** What starts the DAG's runs besides a user: its cron schedule or the event it waits for. */
    public static String startedBy(DagSpec dag) {
        if (!dag.schedule().isEmpty()) {
            return dag.schedule();
        }
        Triggers triggers = dag.triggers();
        if (triggers.triggeredBy().isPresent()) {
            return "after " + triggers.triggeredBy().get().dagId();
        }
        if (triggers.newObjects().isPresent()) {
            return "new objects in s3://" + triggers.newObjects().get().bucket() + "/"
                    + triggers.newObjects().get().prefix();
        }
        if (triggers.kafkaRecords().isPresent()) {
            return "records of topic " + triggers.kafkaRecords().get().topic();
        }
        if (!triggers.assets().isEmpty()) {
            return "assets " + String.join(", ", triggers.assets());
        }
        return "manual";
    }

    /**
     * Creates a queued manual run after validating the run id and the params; nothing is written when either is
     * refused. A scheduler (or {@link #resume}) executes it.
     *
     * @throws InvalidParams naming each refused param
     */
    public Run trigger(TriggerRequest request) {
        request.runId().ifPresent(Operations::requireRunId);
        DagSpec dag = dag(request.dagId());
        validateParams(dag, request.params());
        RunRequest manual = RunRequest.manual().withParams(request.params());
        String runId;
        try {
            runId = runtime.get().trigger(dag, request.runId().map(manual::withRunId).orElse(manual));
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().contains("already has a run")) {
                throw OperationException.conflict(e.getMessage());
            }
            throw e;
        }
        return findRun(dag.id(), runId);
    }

    /** The params as {@code trigger} would bind them, each refusal keyed by its param. */
    public void validateParams(DagSpec dag, Map<String, String> params) {
        Map<String, String> messages = new LinkedHashMap<>();
        Map<String, String> valid = new LinkedHashMap<>();
        for (Map.Entry<String, String> param : params.entrySet()) {
            try {
                dag.params().withDefaults(Map.of(param.getKey(), param.getValue()));
                valid.put(param.getKey(), param.getValue());
            } catch (IllegalArgumentException e) {
                messages.put(param.getKey(), Secrets.mask(e.getMessage()));
            }
        }
        if (messages.isEmpty()) {
            try {
                dag.params().bind(valid);
            } catch (IllegalArgumentException e) {
                Matcher named = PARAM_MESSAGE.matcher(e.getMessage());
                messages.put(named.find() ? named.group(1) : "", Secrets.mask(e.getMessage()));
            }
        }
        if (!messages.isEmpty()) {
            throw new InvalidParams(messages);
        }
    }

    /** Runs newest first, filtered, one page of them. */
    public Page<Run> runs(RunFilter filter) {
        filter.dagId().ifPresent(this::dag);
        MetadataStore.RunPage page = store().runPage(filter.dagId(), filter.state(), filter.runType(),
                filter.limit(), filter.offset());
        return new Page<>(page.runs().stream().map(Operations::run).toList(), page.total());
    }

    /** The run of the DAG with this id, or a refusal naming the closest run ids of the DAG. */
    public Run findRun(String dagId, String runId) {
        return run(dagRun(dagId, runId));
    }

    /**
     * The run with this id: of the DAG named, or of the one DAG that has a run with this id (a user typing a run id
     * seldom knows its DAG).
     *
     * @throws OperationException naming the closest run ids, or the DAGs between which to choose
     */
    public Run findRun(Optional<String> dagId, String runId) {
        if (dagId.isPresent()) {
            return findRun(dagId.get(), runId);
        }
        List<DagRun> matching = store().runsWithId(runId);
        if (matching.isEmpty()) {
            throw unknownRun(runId, Optional.empty());
        }
        if (matching.size() > 1) {
            throw OperationException.invalid("run id '" + runId + "' exists in DAGs "
                    + String.join(", ", matching.stream().map(DagRun::dagId).toList()) + "; name one with --dag");
        }
        return run(matching.get(0));
    }

    private DagRun dagRun(String dagId, String runId) {
        return store().findRun(dagId, runId).orElseThrow(() -> unknownRun(runId, Optional.of(dagId)));
    }

    /**
     * A run id that names no run: refused for its grammar when it breaks it, else with the closest run ids. The
     * grammar is checked only now, so that a run recorded before ids were checked can still be read and deleted.
     */
    private OperationException unknownRun(String runId, Optional<String> dagId) {
        requireRunId(runId);
        // Only a miss reads every run id, to name the closest.
        List<String> known = store().runs(dagId, Integer.MAX_VALUE).stream().map(DagRun::runId).toList();
        return OperationException.notFound("unknown run '" + runId + "'" + dagId.map(d -> " of DAG " + d).orElse("")
                + Names.closest(runId, known).map(c -> " (did you mean '" + c + "'?)").orElse(""));
    }

    /**
     * The task instances of a run, in the DAG's task order (upstream first, mapped ones by index, tasks the DAG no
     * longer has last) when the DAG is known here, else in the order they started.
     */
    public List<TaskInstanceState> taskInstances(String dagId, String runId) {
        dagRun(dagId, runId);
        return inTaskOrder(dagId, store().taskInstances(dagId, runId));
    }

    /** The state of one task instance of a run, as the grid shows it. */
    public record TaskStateOfRun(String taskId, int mapIndex, TaskState state) {
    }

    /** The latest runs of a DAG, newest first, and the states of each one's task instances, in no order. */
    public record RunGrid(List<Run> runs, Map<String, List<TaskStateOfRun>> statesByRun) {
        public RunGrid {
            runs = List.copyOf(runs);
            statesByRun = Map.copyOf(statesByRun);
        }
    }

    /**
     * The DAG's newest {@code runCount} runs and the states of their task instances: two queries whatever the
     * number of runs and tasks, which read only what a grid shows.
     */
    public RunGrid grid(String dagId, int runCount) {
        dag(dagId);
        List<Run> runs = store().latestRunsPerDag(Optional.of(dagId), runCount).stream().map(Operations::run)
                .toList();
        Map<String, List<TaskStateOfRun>> states = new LinkedHashMap<>();
        runs.forEach(r -> states.put(r.runId(), new ArrayList<>()));
        for (MetadataStore.TaskStateRow row : store().taskStatesOfRuns(dagId, states.keySet())) {
            states.get(row.runId()).add(new TaskStateOfRun(row.taskId(), row.mapIndex(), row.state()));
        }
        return new RunGrid(runs, states);
    }

    /** The task instances of several runs of a DAG by run id, in the DAG's task order, read in one query. */
    public Map<String, List<TaskInstanceState>> taskInstances(String dagId, List<String> runIds) {
        Map<String, List<TaskInstance>> byRun = store().taskInstancesOfRuns(dagId, runIds).stream()
                .collect(Collectors.groupingBy(TaskInstance::runId));
        Map<String, List<TaskInstanceState>> instances = new LinkedHashMap<>();
        runIds.forEach(r -> instances.put(r, inTaskOrder(dagId, byRun.getOrDefault(r, List.of()))));
        return instances;
    }

    /**
     * In the DAG's task order (upstream first, mapped ones by index, tasks the DAG no longer has last) when the DAG
     * is known here, else in the order they started.
     */
    private List<TaskInstanceState> inTaskOrder(String dagId, List<TaskInstance> instances) {
        Optional<DagSpec> dag = specs().stream().filter(d -> d.id().equals(dagId)).findFirst();
        if (dag.isPresent()) {
            Map<String, Integer> order = new HashMap<>();
            List<TaskSpec> tasks = dag.get().tasks();
            for (int i = 0; i < tasks.size(); i++) {
                order.put(tasks.get(i).id(), i);
            }
            instances = instances.stream().sorted(Comparator.<TaskInstance>comparingInt(
                            t -> order.getOrDefault(t.taskId(), Integer.MAX_VALUE))
                    .thenComparing(TaskInstance::taskId).thenComparingInt(TaskInstance::mapIndex)).toList();
        }
        return instances.stream().map(Operations::taskInstance).toList();
    }

    /** One task instance, named {@code task} or {@code task[i]}. */
    public TaskInstanceState taskInstance(String dagId, String runId, String taskLabel) {
        return taskInstance(instance(dagRun(dagId, runId), TaskLabel.parse(taskLabel)));
    }

    /**
     * Airflow's clear: the tasks (all when none are named; only those that failed when {@code failedOnly}) and
     * everything downstream of them, queued to run again.
     *
     * @return the ids of the cleared tasks, in the DAG's order; empty when there was nothing to clear
     */
    public List<String> clear(String dagId, String runId, List<String> taskIds, boolean failedOnly) {
        dagRun(dagId, runId);
        DagSpec dag = dag(dagId);
        taskIds.forEach(t -> task(dag, t));
        List<String> roots = taskIds.isEmpty() ? dag.tasks().stream().map(TaskSpec::id).toList() : taskIds;
        try {
            return runtime.get().clear(dagId, runId, roots, failedOnly);
        } catch (IllegalStateException e) {
            throw OperationException.conflict(e.getMessage());
        }
    }

    /**
     * Sets one task instance's state to success or failed, as Airflow's "mark" does; a run that had ended takes
     * the state its task instances now give it.
     */
    public TaskInstanceState markTask(String dagId, String runId, String taskLabel, TaskState state) {
        requireMarkable(state);
        DagRun run = dagRun(dagId, runId);
        TaskInstance instance = instance(run, TaskLabel.parse(taskLabel));
        Instant now = Instant.now();
        TaskInstance marked = instance.state() == state ? instance
                : instance.endedTry(state, now, Optional.empty(), Optional.empty());
        store().write(tx -> {
            tx.updateTasks(List.of(marked));
            if (run.state().isFinished()) {
                boolean failed = tx.taskInstances(dagId, runId).stream()
                        .anyMatch(t -> t.state() == TaskState.FAILED || t.state() == TaskState.UPSTREAM_FAILED);
                tx.updateRun(run.ended(failed ? RunState.FAILED : RunState.SUCCESS, run.endedAt().orElse(now)));
            }
        });
        return taskInstance(marked);
    }

    /**
     * Ends a run in success or failed, as Airflow's "mark run" does: marked success, its unfinished task instances
     * succeed; marked failed, the running ones fail and those not started are skipped.
     */
    public Run markRun(String dagId, String runId, RunState state) {
        if (state != RunState.SUCCESS && state != RunState.FAILED) {
            throw OperationException.invalid("a run can be marked success or failed, not " + state.label());
        }
        DagRun run = dagRun(dagId, runId);
        Instant now = Instant.now();
        DagRun marked = run.ended(state, now);
        store().write(tx -> {
            List<TaskInstance> ended = new ArrayList<>();
            for (TaskInstance t : tx.taskInstances(dagId, runId)) {
                if (t.state().isFinished()) {
                    continue;
                }
                TaskState end = state == RunState.SUCCESS ? TaskState.SUCCESS
                        : t.state() == TaskState.RUNNING ? TaskState.FAILED : TaskState.SKIPPED;
                ended.add(end == TaskState.SKIPPED ? t.decided(end, now)
                        : t.endedTry(end, now, Optional.empty(), Optional.empty()));
            }
            tx.updateTasks(ended);
            tx.updateRun(marked);
        });
        return run(marked);
    }

    /**
     * Gives up on a failed run, as Airflow's "mark skipped" does: its failed and upstream_failed tasks become skipped
     * and the run ends in success, so that the runs waiting behind it (a topic's later batches) go on.
     *
     * @return the ids of the skipped tasks, in the DAG's order
     */
    public List<String> skipFailed(String dagId, String runId) {
        dagRun(dagId, runId);
        dag(dagId);
        try {
            return runtime.get().skipFailed(dagId, runId);
        } catch (IllegalStateException e) {
            throw OperationException.conflict(e.getMessage());
        }
    }

    /** The unfinished runs that no live process executes, their process having died: {@link #resume} takes them on. */
    public List<Run> interruptedRuns() {
        return runtime.get().interruptedRuns().stream().map(Operations::run).toList();
    }

    /**
     * The task instances of a run (as {@code task} or {@code task[i]}) that failed because the process running
     * their last try died, no tries being left: a crash counts as a try, as in Airflow. Clearing them runs them again.
     */
    public List<String> failedByACrash(String dagId, String runId) {
        dagRun(dagId, runId);
        return store().taskInstances(dagId, runId).stream()
                .filter(t -> t.state() == TaskState.FAILED
                        && t.error().filter(e -> e.contains(DagRuntime.INTERRUPTED_BY_CRASH)).isPresent())
                .map(TaskInstance::label).toList();
    }

    /**
     * The data intervals of the DAG's next {@code count} scheduled runs, after its last scheduled one; empty for a
     * DAG without a time schedule, fewer when the schedule ends.
     */
    public List<DataInterval> nextIntervals(String dagId, int count) {
        DagSpec dag = dag(dagId);
        if (dag.schedule().isBlank()) {
            return List.of();
        }
        Instant now = Instant.now();
        try (SchedulerStore scheduling = SchedulerStore.open(store().location())) {
            return Upcoming.intervals(dag, scheduling.lastScheduledLogicalDate(dagId),
                    scheduling.state(dagId).map(SchedulerStore.DagState::knownSince).orElse(now), now, count);
        }
    }

    /** Whether the scheduler leaves the DAG alone. */
    public boolean isPaused(String dagId) {
        dag(dagId);
        try (SchedulerStore scheduling = SchedulerStore.open(store().location())) {
            return scheduling.state(dagId).map(SchedulerStore.DagState::paused).orElse(pausedAtCreation);
        }
    }

    /** Stops or lets again the scheduler create and start runs of the DAG. */
    public void setPaused(String dagId, boolean paused) {
        dag(dagId);
        try (SchedulerStore scheduling = SchedulerStore.open(store().location())) {
            scheduling.setPaused(dagId, paused, Instant.now());
        }
    }

    /**
     * The run, when {@link #resume} may execute it: it has not ended, and its DAG is known here.
     *
     * @throws OperationException when the run ended (saying how to run its tasks again) or its DAG is unknown
     */
    public Run resumable(String dagId, String runId) {
        DagRun run = dagRun(dagId, runId);
        if (run.state().isFinished()) {
            throw OperationException.conflict("run " + runId + " of DAG " + dagId + " already ended "
                    + run.state().label() + "; to run tasks again: dagctl clear " + ShellWords.quote(runId));
        }
        dag(dagId);
        return run(run);
    }

    /**
     * Executes an unfinished run from where it stopped, in this process; tasks that succeeded are not run again.
     *
     * @return the run's end
     */
    public CompletableFuture<Run> resume(String dagId, String runId) {
        resumable(dagId, runId);
        DagRuntime executing = runtime.get();
        return CompletableFuture.supplyAsync(() -> executing.resume(dagId, runId)).thenApply(RunResult::run)
                .thenApply(Operations::run);
    }

    /**
     * Part of the log of a try ({@code attempt} from 1, the latest when empty) from byte {@code offset}: at most
     * {@code maxBytes}, ending after a whole line, masked. Reading again from {@code nextOffset} follows a try that
     * is still running.
     */
    public LogChunk log(String dagId, String runId, String taskLabel, Optional<Integer> attempt, long offset,
            int maxBytes) {
        TryLog log = tryLog(dagId, runId, taskLabel, attempt);
        if (offset < 0) {
            throw OperationException.invalid("offset must be at least 0, not " + offset);
        }
        if (!Files.exists(log.path())) {
            return new LogChunk("", offset, offset, false);
        }
        try (FileChannel channel = FileChannel.open(log.path(), StandardOpenOption.READ)) {
            long size = channel.size();
            long start = Math.min(offset, size);
            byte[] bytes = read(channel, start, (int) Math.min(maxBytes, size - start));
            int end = bytes.length;
            if (start + bytes.length < size || !log.ended()) {
                // Only whole lines: the rest comes with the next read, when its line has ended.
                end = lastNewline(bytes, bytes.length) + 1;
                if (end == 0 && bytes.length == maxBytes) {
                    // A line longer than a read: cut it between two characters, or no read would ever get past it.
                    end = wholeCharacters(bytes, bytes.length);
                }
            }
            long next = start + end;
            return new LogChunk(mask(bytes, 0, end), start, next, log.ended() && next >= size);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the task log " + log.path(), e);
        }
    }

    /**
     * The whole lines of a try's log that end at byte {@code before} (at the end of what is written when empty), at
     * most {@code maxBytes} of them, masked: the tail of a log, and reading again before {@code offset} pages back
     * through it without sending the rest. Reading on from {@code nextOffset} follows the try.
     */
    public LogChunk logBefore(String dagId, String runId, String taskLabel, Optional<Integer> attempt,
            Optional<Long> before, int maxBytes) {
        TryLog log = tryLog(dagId, runId, taskLabel, attempt);
        before.filter(b -> b < 0).ifPresent(b -> {
            throw OperationException.invalid("before must be at least 0, not " + b);
        });
        if (!Files.exists(log.path())) {
            return new LogChunk("", 0, 0, false);
        }
        try (FileChannel channel = FileChannel.open(log.path(), StandardOpenOption.READ)) {
            long size = channel.size();
            long end = Math.min(before.orElse(size), size);
            if (!log.ended() || end < size) {
                // End after a whole line: a running try's last line may still grow.
                long from = Math.max(0, end - maxBytes);
                end = from + lastNewline(read(channel, from, (int) (end - from)), (int) (end - from)) + 1;
            }
            long start = Math.max(0, end - maxBytes);
            byte[] bytes = read(channel, start, (int) (end - start));
            // From the first whole line; of a line longer than maxBytes, its end rather than nothing.
            int first = start == 0 ? 0 : firstNewline(bytes) + 1;
            return new LogChunk(mask(bytes, first, bytes.length), start + first, end, log.ended() && end >= size);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the task log " + log.path(), e);
        }
    }

    /** The file of a try's log, which may not exist yet, and whether the try has ended. */
    private record TryLog(Path path, boolean ended) {
    }

    private TryLog tryLog(String dagId, String runId, String taskLabel, Optional<Integer> attempt) {
        DagRun run = dagRun(dagId, runId);
        TaskLabel label = TaskLabel.parse(taskLabel);
        TaskInstance instance = instance(run, label);
        if (instance.tryNumber() == 0) {
            throw OperationException.notFound("task " + label + " of run " + runId + " has not been tried ("
                    + instance.state().label() + ")");
        }
        int tryNumber = attempt.orElse(instance.tryNumber());
        if (tryNumber < 1 || tryNumber > instance.tryNumber()) {
            throw OperationException.notFound("task " + label + " of run " + runId + " has tries 1 to "
                    + instance.tryNumber() + ", not " + tryNumber);
        }
        boolean tryEnded = tryNumber < instance.tryNumber() || instance.state() != TaskState.RUNNING;
        Path path = logs.pathOf(dagId, runId, instance.label(), tryNumber);
        if (tryEnded && !Files.exists(path)) {
            throw OperationException.notFound("no log at " + path + " (it is written on the host that ran the try: "
                    + instance.hostname().orElse("unknown") + ")");
        }
        return new TryLog(path, tryEnded);
    }

    private static byte[] read(FileChannel channel, long from, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining() && channel.read(buffer, from + buffer.position()) > 0) {
            // read until full
        }
        return buffer.position() == length ? buffer.array() : Arrays.copyOf(buffer.array(), buffer.position());
    }

    private static String mask(byte[] bytes, int from, int to) {
        return Secrets.mask(new String(bytes, from, to - from, StandardCharsets.UTF_8));
    }

    private static int firstNewline(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** How many of the first {@code length} UTF-8 bytes end with a whole character. */
    private static int wholeCharacters(byte[] bytes, int length) {
        int lead = length - 1;
        while (lead > 0 && (bytes[lead] & 0xC0) == 0x80) {
            lead--;
        }
        int size = (bytes[lead] & 0xE0) == 0xC0 ? 2 : (bytes[lead] & 0xF0) == 0xE0 ? 3
                : (bytes[lead] & 0xF8) == 0xF0 ? 4 : 1;
        return lead + size <= length ? length : lead;
    }

    private static int lastNewline(byte[] bytes, int length) {
        for (int i = length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** The values the run's task instances stored, as JSON; an object-store value is loaded from there. */
    public List<XComValue> xcoms(String dagId, String runId) {
        dagRun(dagId, runId);
        List<XComEntry> entries = store().xcoms(dagId, runId);
        if (entries.isEmpty()) {
            // No runtime to build (its hooks and injector) for a run that stored nothing yet.
            return List.of();
        }
        DagRuntime reading = runtime.get();
        return entries.stream().map(e -> new XComValue(e.label(), e.key(), Secrets.mask(reading.xcomJson(e))))
                .toList();
    }

    /**
     * The value of one task ({@code task}: for a mapped task the list of its instances' values) or one instance
     * ({@code task[i]}), as JSON.
     */
    public XComValue xcom(String dagId, String runId, String taskLabel) {
        DagRun run = dagRun(dagId, runId);
        TaskLabel label = TaskLabel.parse(taskLabel);
        List<TaskInstance> tasks = store().taskInstances(dagId, runId);
        if (tasks.stream().noneMatch(t -> t.taskId().equals(label.taskId()))) {
            throw TaskLabel.unknownTask(runId, tasks, label.taskId());
        }
        DagRuntime reading = runtime.get();
        Optional<String> json = label.mapIndex().isEmpty()
                ? reading.xcomJson(dagId, runId, label.taskId())
                : store().xcoms(dagId, runId).stream().filter(e -> e.label().equals(label.toString())).findFirst()
                        .map(reading::xcomJson);
        return new XComValue(label.toString(), XComEntry.RETURN_VALUE, Secrets.mask(json.orElseThrow(
                () -> OperationException.notFound("task " + label + " of run " + run.runId()
                        + " has no XCom value"))));
    }

    /**
     * The objects a task instance's XCom value names, in the order they appear in it: {@code s3://bucket/key} texts
     * and {@code {"bucket": ..., "key": ...}} objects (an {@code S3Key}). A face offers them by index, never by a
     * path it was given.
     */
    public List<String> xcomObjects(String dagId, String runId, String taskLabel) {
        List<String> uris = new ArrayList<>();
        try {
            collectObjects(ObjectJson.MAPPER.readTree(xcom(dagId, runId, taskLabel).json()), uris);
        } catch (IOException e) {
            return List.of();
        }
        return uris.stream().distinct().toList();
    }

    /** The {@code s3://} URI of object {@code index} of {@link #xcomObjects}. */
    public String xcomObject(String dagId, String runId, String taskLabel, int index) {
        List<String> uris = xcomObjects(dagId, runId, taskLabel);
        if (index < 0 || index >= uris.size()) {
            throw OperationException.notFound("the XCom value of task " + taskLabel + " of run " + runId
                    + " names " + uris.size() + " object(s); there is no object " + index);
        }
        return uris.get(index);
    }

    /** Copies object {@code index} of {@link #xcomObjects} to {@code out}, as it streams from the object store. */
    public void copyXComObject(String dagId, String runId, String taskLabel, int index, OutputStream out) {
        String object = xcomObject(dagId, runId, taskLabel, index);
        Matcher uri = S3_URI.matcher(object);
        if (!uri.matches()) {
            throw new IllegalStateException("not an s3 URI: " + object);
        }
        try {
            objects.copy(uri.group(1), uri.group(2), out);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + object + ": " + e.getMessage(), e);
        }
    }

    private static void collectObjects(JsonNode node, List<String> uris) {
        if (node.isTextual() && S3_URI.matcher(node.asText()).matches()) {
            uris.add(node.asText());
        } else if (node.isObject() && node.size() == 2 && node.path("bucket").isTextual()
                && node.path("key").isTextual()) {
            uris.add("s3://" + node.get("bucket").asText() + "/" + node.get("key").asText());
        } else {
            node.forEach(child -> collectObjects(child, uris));
        }
    }

    /** The pools, with the slots their queued and running tries hold. */
    public List<PoolUsage> pools() {
        Map<String, Integer> held = store().inTransaction(WorkQueue::heldPoolSlots);
        return WorkQueue.pools(store()).stream()
                .map(p -> new PoolUsage(p.name(), p.slots(), held.getOrDefault(p.name(), 0), p.description()))
                .toList();
    }

    /** Creates a pool or changes its slots and description. */
    public PoolUsage setPool(String name, int slots, String description) {
        requirePoolName(name);
        // The store refuses negative slots, with the message every face shows.
        WorkQueue.setPool(store(), new WorkQueue.Pool(name, slots, description));
        return pool(name);
    }

    /** The pool with this name and its use. */
    public PoolUsage pool(String name) {
        requirePoolName(name);
        return pools().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow(() -> noPool(name));
    }

    /** Deletes a pool; its tasks wait until it is set again. */
    public void deletePool(String name) {
        requirePoolName(name);
        if (!WorkQueue.deletePool(store(), name)) {
            throw noPool(name);
        }
    }

    /**
     * A DAG class, or a place that should hold some, that did not load (Airflow's import error): the other DAGs work
     * as if it were not there. {@code foundAt} is when the DAGs were read.
     */
    public record ImportFailure(String source, Optional<String> dagId, String message, Instant foundAt) {
    }

    /**
     * A connection as a face may show it: its id, type (the URI's scheme), host and port, and where it comes from.
     * Nothing else of the URI is kept, so no login, password, key, token, path or query value can be shown.
     */
    public record ConnectionSummary(String id, String type, Optional<String> host, Optional<Integer> port,
            String origin) {
        /** The shown parts of {@code uri}. */
        public static ConnectionSummary of(ConnectionUri uri, String origin) {
            return new ConnectionSummary(uri.id(), uri.scheme(), Optional.ofNullable(uri.host()),
                    uri.port() < 0 ? Optional.empty() : Optional.of(uri.port()), origin);
        }

        /**
         * The connections set in {@code DAGCTL_CONN_<ID>} variables; one that does not parse is listed with the
         * reason, which never repeats the URI.
         */
        public static List<ConnectionSummary> configured(Map<String, String> environment) {
            List<ConnectionSummary> configured = new ArrayList<>();
            environment.forEach((name, value) -> {
                if (name.startsWith(Connections.ENV_PREFIX) && name.length() > Connections.ENV_PREFIX.length()) {
                    String id = name.substring(Connections.ENV_PREFIX.length()).toLowerCase(Locale.ROOT);
                    try {
                        configured.add(of(ConnectionUri.parse(id, value), name));
                    } catch (IllegalArgumentException e) {
                        configured.add(new ConnectionSummary(id, "invalid", Optional.empty(), Optional.empty(),
                                name + ": " + e.getMessage()));
                    }
                }
            });
            return configured;
        }
    }

    /**
     * These operations, reporting the DAGs that failed to load as {@code errors} gives them the first time they are
     * asked for (when the DAGs are read), so that an operation that needs no DAG loads none.
     */
    public Operations withImportFailures(Supplier<List<DagDiscovery.ImportError>> errors) {
        AtomicReference<List<ImportFailure>> found = new AtomicReference<>();
        return new Operations(this, () -> found.updateAndGet(known -> known != null ? known
                : errors.get().stream().map(e -> new ImportFailure(e.source(), e.dagId(), Secrets.mask(e.message()),
                        Instant.now())).toList()), connections);
    }

    /** These operations, listing the connections {@code connections} gives each time they are asked for. */
    public Operations withConnections(Supplier<List<ConnectionSummary>> connections) {
        return new Operations(this, importFailures, connections);
    }

    /** The DAG classes and DAGs path entries that did not load, in discovery order. */
    public List<ImportFailure> importFailures() {
        return importFailures.get();
    }

    /** The connections tasks may use, by id: configured ones, and the embedded services' where known. */
    public List<ConnectionSummary> connections() {
        return connections.get().stream().sorted(Comparator.comparing(ConnectionSummary::id)).toList();
    }

    /**
     * The logical date of each DAG of {@code scheduled}'s next run, by DAG id; a DAG whose schedule has ended is left
     * out.
     */
    private static Map<String, Instant> nextLogicalDates(List<DagSpec> scheduled, Map<String, Instant> lastScheduled,
            Map<String, SchedulerStore.DagState> states) {
        Map<String, Instant> next = new LinkedHashMap<>();
        Instant now = Instant.now();
        for (DagSpec dag : scheduled) {
            Upcoming.intervals(dag, Optional.ofNullable(lastScheduled.get(dag.id())), Optional.ofNullable(
                    states.get(dag.id())).map(SchedulerStore.DagState::knownSince).orElse(now), now, 1).stream()
                    .findFirst().ifPresent(interval -> next.put(dag.id(), interval.start()));
        }
        return next;
    }

    private static OperationException noPool(String name) {
        return OperationException.notFound("no pool " + name);
    }

    /** The instance a label names: a task the DAG lacks is named with the DAG's tasks when the DAG is known here. */
    private TaskInstance instance(DagRun run, TaskLabel label) {
        Optional<String> expandedOver = specs().stream().filter(d -> d.id().equals(run.dagId())).findFirst()
                .flatMap(d -> task(d, label.taskId()).expandedOver());
        // One task's rows: a log followed in a run of thousands of tasks reads no others each time.
        List<TaskInstance> instances = store().taskInstancesOfTask(run.dagId(), run.runId(), label.taskId());
        if (instances.isEmpty()) {
            throw TaskLabel.unknownTask(run.runId(), store().taskInstances(run.dagId(), run.runId()), label.taskId());
        }
        return label.select(instances, run.runId(), expandedOver);
    }

    /** The DAGs, sorted by id. */
    private List<DagSpec> specs() {
        return dagSource.get().stream().sorted(Comparator.comparing(DagSpec::id)).toList();
    }

    private MetadataStore store() {
        return storeSource.get();
    }

    /**
     * Whether each DAG is paused, by DAG id: as a user or the scheduler recorded it, else as the scheduler will start
     * it.
     */
    public Map<String, Boolean> pausedStates() {
        return pausedStates(specs(), schedulerStates());
    }

    /** What the scheduler records of each DAG it knows, by DAG id, in one query whatever their number. */
    private Map<String, SchedulerStore.DagState> schedulerStates() {
        try (SchedulerStore scheduling = SchedulerStore.open(store().location())) {
            return scheduling.states();
        }
    }

    /** {@link #pausedStates()} of {@code of}, from the scheduler's {@code states}. */
    private Map<String, Boolean> pausedStates(List<DagSpec> of, Map<String, SchedulerStore.DagState> states) {
        Map<String, Boolean> paused = new LinkedHashMap<>();
        for (DagSpec dag : of) {
            paused.put(dag.id(), Optional.ofNullable(states.get(dag.id())).map(SchedulerStore.DagState::paused)
                    .orElse(pausedAtCreation));
        }
        return paused;
    }

    /** Whether the scheduler starts a DAG it has not seen yet paused, as a DAG no store records yet is shown. */
    public boolean pausedAtCreation() {
        return pausedAtCreation;
    }

    private static void requireMarkable(TaskState state) {
        if (state != TaskState.SUCCESS && state != TaskState.FAILED) {
            throw OperationException.invalid("a task instance can be marked success or failed, not "
                    + state.label());
        }
    }

    private static void requireRunId(String runId) {
        try {
            Ids.requireRunId(runId);
        } catch (IllegalArgumentException e) {
            throw OperationException.invalid(e.getMessage());
        }
    }

    private static void requirePoolName(String name) {
        try {
            Ids.requirePoolName(name);
        } catch (IllegalArgumentException e) {
            throw OperationException.invalid(e.getMessage());
        }
    }

    private static Run run(DagRun run) {
        return new Run(run.dagId(), run.runId(), run.state(), run.runType().label(), run.logicalDate(),
                run.dataIntervalStart(), run.dataIntervalEnd(), run.params(), run.createdAt(), run.startedAt(),
                run.endedAt());
    }

    private static TaskInstanceState taskInstance(TaskInstance t) {
        return new TaskInstanceState(t.taskId(), t.mapIndex(), t.label(), t.state(), t.tryNumber(), t.maxTries(),
                t.startDate(), t.endDate(), t.duration(), t.error(), t.hostname(), t.nextTryAt());
    }

    /** Made at the first use, not with the class: Jackson's start-up would cost every command that reads runs. */
    private static final class ObjectJson {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }
}
