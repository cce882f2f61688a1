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
import io.dagctl.internal.store.TaskInstance;
import io.dagctl.internal.store.WorkQueue;
import io.dagctl.internal.store.XComEntry;
import io.dagctl.internal.xcom.XComKey;
import io.dagctl.spec.DagSpec;
import io.dagctl.spec.TaskSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator of one run. A single thread decides every state change, commits a batch of them (outcomes of
 * finished tries, trigger-rule decisions, the claims of the tries to start) in one transaction, and only then acts
 * on it: starts the claimed tries on worker threads and tells notifiers. Worker threads only invoke task methods
 * and report outcomes.
 */
final class RunExecution {
    private static final Logger LOG = LoggerFactory.getLogger(RunExecution.class);
    private static final Logger TRY_LOG = LoggerFactory.getLogger(TaskLogs.TASK_LOGGER_PREFIX + "runtime");
    /** How long to wait before looking for a free slot again when other runs hold them all. */
    private static final long SLOT_POLL_MILLIS = 20;

    private final DagRuntime runtime;
    private final DagSpec dag;
    private final String runId;
    private final Map<String, TaskSpec> specs = new LinkedHashMap<>();
    /** By label: {@code task}, or {@code task[i]} for the instances of a mapped task once it is expanded. */
    private final Map<String, TaskInstance> instances = new LinkedHashMap<>();
    /** The labels of each task's instances: one, or one per element of a mapped task's list, in index order. */
    private final Map<String, List<String>> labels = new HashMap<>();
    /** By label. */
    private final Map<String, String> xcomJson = new HashMap<>();
    private final Map<String, Set<String>> valueUpstream = new HashMap<>();
    private final BlockingQueue<Finished> outcomes = new LinkedBlockingQueue<>();
    /** Placeholders to replace by their instances in the next commit, with how many. */
    private final Map<TaskInstance, Integer> expansions = new LinkedHashMap<>();
    /** The labels of the tries running, each holding a slot and its place in the local limits. */
    private final Set<String> running = new HashSet<>();
    private DagRun run;
    private TaskInvoker invoker;
    private Instant lastHeartbeat = Instant.EPOCH;

    RunExecution(DagRuntime runtime, DagSpec dag, String runId) {
        this.runtime = runtime;
        this.dag = dag;
        this.runId = runId;
        for (TaskSpec task : dag.tasks()) {
            specs.put(task.id(), task);
            valueUpstream.put(task.id(), TaskInputs.sources(task));
        }
    }

    RunResult execute() {
        List<Runnable> afterTakeOver = takeOver();
        if (run.state().isFinished()) {
            return result();
        }
        LOG.info("Executing run {} of DAG {} ({} tasks, owner {})", runId, dag.id(), instances.size(),
                runtime.owner.id());
        afterTakeOver.forEach(Runnable::run);
        try {
            loop();
        } finally {
            List.copyOf(running).forEach(this::release);
        }
        return result();
    }

    private RunResult result() {
        return new RunResult(run, List.copyOf(instances.values()));
    }

    /** Becomes the run's owner; tries a dead owner left running become failed tries. */
    private List<Runnable> takeOver() {
        List<Runnable> notifications = new ArrayList<>();
        runtime.store.write(tx -> {
            run = tx.findRun(dag.id(), runId).orElseThrow(() -> DagRuntime.noSuchRun(dag.id(), runId));
            invoker = new TaskInvoker(runtime, dag, run);
            tx.taskInstances(dag.id(), runId).stream()
                    .sorted(Comparator.comparingInt(TaskInstance::mapIndex))
                    .forEach(this::add);
            if (run.state().isFinished()) {
                return;
            }
            Instant now = DagRuntime.now();
            Optional<String> previous = run.owner();
            if (previous.isPresent() && Owner.isAlive(previous.get(), run.heartbeatAt(), now, runtime.staleAfter)) {
                throw new IllegalStateException("run " + runId + " of DAG " + dag.id() + " is being executed by "
                        + previous.get());
            }
            if (!tx.takeOver(run, previous, runtime.owner.id(), now)) {
                throw new IllegalStateException("run " + runId + " of DAG " + dag.id()
                        + " was taken over by another process just now");
            }
            run = run.started(now, runtime.owner.id());
            lastHeartbeat = now;
            List<TaskInstance> interrupted = new ArrayList<>();
            for (TaskInstance task : instances.values()) {
                if (task.state() == TaskState.RUNNING) {
                    String error = "try " + task.tryNumber() + DagRuntime.INTERRUPTED_BY_CRASH + " ("
                            + previous.orElse("unknown") + ") ended before it finished";
                    TaskInstance failed = endTry(task, now, error, true);
                    interrupted.add(failed);
                    notifications.add(() -> noteInterrupted(failed, error));
                }
            }
            interrupted.forEach(t -> instances.put(t.label(), t));
            tx.updateTasks(interrupted);
            for (XComEntry entry : tx.xcoms(dag.id(), runId)) {
                xcomJson.put(entry.label(), runtime.xcomBackend.load(
                        new XComKey(dag.id(), runId, entry.label()), entry.storedValue()));
            }
        });
        return notifications;
    }

    private void add(TaskInstance task) {
        instances.put(task.label(), task);
        labels.computeIfAbsent(task.taskId(), id -> new ArrayList<>()).add(task.label());
    }

    private List<TaskInstance> instancesOf(String taskId) {
        return labels.get(taskId).stream().map(instances::get).toList();
    }

    private void noteInterrupted(TaskInstance task, String error) {
        try (TryLog log = runtime.logs.open(dag.id(), runId, task.label(), task.tryNumber())) {
            log.during(() -> TRY_LOG.error("{}; marked {}", error, task.state().label()));
        }
        if (task.state() == TaskState.FAILED) {
            notifyTask(specs.get(task.taskId()).onFailure(), task);
        }
    }

    /** A failed try: up for retry while tries remain (and the task did not refuse them), failed after the last. */
    private TaskInstance endTry(TaskInstance task, Instant at, String error, boolean retryable) {
        if (retryable && task.hasTriesLeft()) {
            Duration delay = runtime.retryDelay(specs.get(task.taskId()), task.tryNumber() + 1);
            return task.endedTry(TaskState.UP_FOR_RETRY, at, Optional.of(error), Optional.of(at.plus(delay)));
        }
        return task.endedTry(TaskState.FAILED, at, Optional.of(error), Optional.empty());
    }

    private void loop() {
        List<Finished> finished = new ArrayList<>();
        while (true) {
            Instant now = DagRuntime.now();
            List<TaskInstance> changed = new ArrayList<>();
            List<XComEntry> values = new ArrayList<>();
            List<Runnable> afterCommit = new ArrayList<>();
            for (Finished end : finished) {
                apply(end, changed, values, afterCommit);
            }
            finished.clear();
            List<TaskInstance> claimed = new ArrayList<>();
            boolean waitingForSlot = decide(now, changed, claimed);
            boolean allFinished = running.isEmpty()
                    && instances.values().stream().allMatch(t -> t.state().isFinished());
            DagRun ended = allFinished ? run.ended(endState(), now) : null;
            boolean heartbeat = !allFinished && lastHeartbeat.plus(runtime.heartbeatEvery).isBefore(now);
            if (!changed.isEmpty() || !values.isEmpty() || !expansions.isEmpty() || ended != null || heartbeat) {
                runtime.store.write(tx -> {
                    expansions.forEach((placeholder, count) -> {
                        TaskSpec spec = specs.get(placeholder.taskId());
                        WorkQueue.expand(tx, placeholder, count, spec.pool(), spec.poolSlots());
                    });
                    tx.updateTasks(changed);
                    tx.insertXComs(values);
                    if (ended != null) {
                        tx.updateRun(ended);
                    } else if (heartbeat) {
                        tx.heartbeat(dag.id(), runId, runtime.owner.id(), now);
                    }
                });
                expansions.clear();
                if (heartbeat) {
                    lastHeartbeat = now;
                }
            }
            for (TaskInstance task : claimed) {
                start(task);
            }
            afterCommit.forEach(Runnable::run);
            if (ended != null) {
                run = ended;
                LOG.info("Run {} of DAG {} ended {}", runId, dag.id(), ended.state().label());
                notifyRun(ended.state() == RunState.SUCCESS ? dag.onSuccess() : dag.onFailure(), ended.state());
                return;
            }
            if (runtime.stopping && running.isEmpty()) {
                LOG.info("Run {} of DAG {} stopped unfinished: no try starts after a stop", runId, dag.id());
                return;
            }
            if (running.isEmpty() && !waitingForSlot && nextRetry().isEmpty()) {
                throw new IllegalStateException("run " + runId + " of DAG " + dag.id()
                        + " cannot progress: no try is running or due, yet tasks are unfinished: " + unfinished());
            }
            awaitOutcomes(finished, waitTime(now, waitingForSlot));
        }
    }

    private void awaitOutcomes(List<Finished> into, long waitMillis) {
        try {
            Finished first = waitMillis <= 0 ? outcomes.poll() : outcomes.poll(waitMillis, TimeUnit.MILLISECONDS);
            if (first != null) {
                into.add(first);
                outcomes.drainTo(into);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while executing run " + runId + " of DAG " + dag.id(), e);
        }
        into.forEach(end -> release(end.label()));
    }

    private void release(String label) {
        if (running.remove(label)) {
            runtime.slots.release();
            runtime.localLimits.release(dag, specs.get(instances.get(label).taskId()));
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
        return instances.values().stream()
                .filter(t -> t.state() == TaskState.UP_FOR_RETRY)
                .map(t -> t.nextTryAt().orElse(Instant.EPOCH))
                .min(Instant::compareTo);
    }

    private List<String> unfinished() {
        return instances.values().stream().filter(t -> !t.state().isFinished())
                .map(t -> t.label() + "=" + t.state().label()).toList();
    }

    /** Records a finished try; what it decides for downstream tasks is taken up by {@link #decide}. */
    private void apply(Finished end, List<TaskInstance> changed, List<XComEntry> values,
            List<Runnable> afterCommit) {
        TryOutcome outcome = end.outcome();
        TaskInstance task = instances.get(end.label());
        TaskSpec spec = specs.get(task.taskId());
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

    private void put(TaskInstance task, List<TaskInstance> changed) {
        instances.put(task.label(), task);
        changed.add(task);
    }

    /**
     * Applies the trigger rules in the DAG's (topological) order, so that a decision reaches every task
     * downstream in one pass, expands mapped tasks whose rule is met, and claims the instances to run as far as slots
     * and limits allow.
     *
     * @return whether a runnable instance is left waiting for a slot
     */
    private boolean decide(Instant now, List<TaskInstance> changed, List<TaskInstance> claimed) {
        boolean waitingForSlot = false;
        for (TaskSpec spec : dag.tasks()) {
            if (spec.expandedOver().isPresent()) {
                expandIfDue(spec, now, changed);
            }
            // Indexed loops without copies: a pass visits every instance, and a run may have thousands.
            List<String> ofTask = labels.get(spec.id());
            for (int i = 0; i < ofTask.size(); i++) {
                TaskInstance task = instances.get(ofTask.get(i));
                boolean runnable = switch (task.state()) {
                    // An expanded instance's rule was met when its task was expanded; a placeholder never runs.
                    case NONE, SCHEDULED -> task.mapIndex() >= 0
                            || spec.expandedOver().isEmpty() && decide(spec, task, now, changed);
                    case UP_FOR_RETRY -> !task.nextTryAt().orElse(Instant.EPOCH).isAfter(now);
                    default -> false;
                };
                if (!runnable) {
                    continue;
                }
                if (claim(spec)) {
                    TaskInstance started = task.startedTry(now, Owner.HOST, Owner.PID);
                    put(started, changed);
                    claimed.add(started);
                } else {
                    waitingForSlot = true;
                    if (task.state() == TaskState.NONE) {
                        put(task.withState(TaskState.SCHEDULED), changed);
                    }
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
    private boolean decide(TaskSpec spec, TaskInstance task, Instant now, List<TaskInstance> changed) {
        Decision decision = decide(spec);
        if (decision == Decision.SKIP) {
            put(task.decided(TaskState.SKIPPED, now), changed);
        } else if (decision == Decision.UPSTREAM_FAILED) {
            put(task.decided(TaskState.UPSTREAM_FAILED, now), changed);
        }
        return decision == Decision.RUN;
    }

    /** A mapped task still a placeholder is expanded once its trigger rule says run. */
    private void expandIfDue(TaskSpec spec, Instant now, List<TaskInstance> changed) {
        List<TaskInstance> instances = instancesOf(spec.id());
        TaskInstance placeholder = instances.get(0);
        boolean undecided = placeholder.mapIndex() < 0
                && (placeholder.state() == TaskState.NONE || placeholder.state() == TaskState.SCHEDULED);
        if (undecided && decide(spec, placeholder, now, changed)) {
            expand(spec, placeholder, now, changed);
        }
    }
    /** One scheduled instance per element of the upstream list; none (skipped) for []. */
    private void expand(TaskSpec spec, TaskInstance placeholder, Instant now, List<TaskInstance> changed) {
        TaskInputs.Expansion expansion = TaskInputs.expansion(spec,
                valueJson(spec.expandedOver().orElseThrow()));
        if (expansion.error().isPresent()) {
            put(placeholder.endedTry(TaskState.FAILED, now, expansion.error(), Optional.empty()), changed);
            return;
        }
        if (expansion.size() == 0) {
            put(placeholder.decided(TaskState.SKIPPED, now), changed);
            return;
        }
        changed.remove(placeholder);
        instances.remove(placeholder.label());
        labels.remove(spec.id());
        expansions.put(placeholder, expansion.size());
        for (int i = 0; i < expansion.size(); i++) {
            add(new TaskInstance(dag.id(), runId, spec.id(), i, TaskState.SCHEDULED, 0, placeholder.maxTries(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty()));
        }
    }

    /** A process-wide slot and a place within the DAG's {@code maxActiveTasks} and the task's pool. */
    private boolean claim(TaskSpec spec) {
        if (runtime.stopping || !runtime.slots.tryAcquire()) {
            return false;
        }
        if (!runtime.localLimits.tryAcquire(dag, spec)) {
            runtime.slots.release();
            return false;
        }
        return true;
    }

    private Decision decide(TaskSpec spec) {
        if (spec.triggerRule() == TriggerRule.ALWAYS) {
            // Runs at once, as in Airflow, except that it needs the values it takes to exist first.
            for (String id : valueUpstream.get(spec.id())) {
                for (String label : labels.get(id)) {
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
                upstream.add(instances.get(label).state());
            }
        }
        return TriggerRules.decide(spec.triggerRule(), upstream);
    }

    /** The value of a task as its downstream tasks receive it: a mapped task's is its instances' list. */
    private Optional<String> valueJson(String taskId) {
        if (specs.get(taskId).expandedOver().isEmpty()) {
            return Optional.ofNullable(xcomJson.get(taskId));
        }
        return Optional.of(TaskInputs.list(instancesOf(taskId).stream().filter(t -> t.mapIndex() >= 0)
                .map(t -> xcomJson.get(t.label())).filter(Objects::nonNull).toList()));
    }

    /** Airflow's rule: the run fails when one of its leaves failed or was not run because of a failure. */
    private RunState endState() {
        for (TaskSpec spec : dag.tasks()) {
            if (dag.downstream(spec.id()).isEmpty() && instancesOf(spec.id()).stream().map(TaskInstance::state)
                    .anyMatch(state -> state == TaskState.FAILED || state == TaskState.UPSTREAM_FAILED)) {
                return RunState.FAILED;
            }
        }
        return RunState.SUCCESS;
    }

    private void start(TaskInstance task) {
        running.add(task.label());
        TaskSpec spec = specs.get(task.taskId());
        Map<String, String> inputs = new HashMap<>();
        for (String upstream : valueUpstream.get(spec.id())) {
            valueJson(upstream).ifPresent(json -> inputs.put(upstream, json));
        }
        runtime.workers.execute(() -> {
            TaskInvoker.Inputs taskInputs;
            try {
                taskInputs = new TaskInvoker.Inputs(inputs, spec.expandedOver().map(over -> TaskInputs.element(spec,
                        over, inputs.get(over), task.mapIndex())), task.mapIndex());
            } catch (RuntimeException e) {
                outcomes.add(new Finished(task.label(), new TryOutcome.Failed(spec.id(), task.tryNumber(),
                        DagRuntime.now(), TaskInvoker.describe(e), true)));
                return;
            }
            invoker.runTry(spec, task.tryNumber(), task.maxTries(), taskInputs,
                    outcome -> outcomes.add(new Finished(task.label(), outcome)));
        });
    }

    /** How the try of the instance {@code label} ended, as a task thread reports it. */
    private record Finished(String label, TryOutcome outcome) {
    }

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
