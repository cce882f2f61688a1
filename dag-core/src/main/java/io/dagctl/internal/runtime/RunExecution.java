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
import io.dagctl.internal.store.XComEntry;
import io.dagctl.internal.xcom.XComKey;
import io.dagctl.spec.ArgumentSpec;
import io.dagctl.spec.DagSpec;
import io.dagctl.spec.TaskSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
    private final Map<String, TaskInstance> instances = new LinkedHashMap<>();
    private final Map<String, String> xcomJson = new HashMap<>();
    private final Map<String, Set<String>> valueUpstream = new HashMap<>();
    private final BlockingQueue<TryOutcome> outcomes = new LinkedBlockingQueue<>();
    private DagRun run;
    private TaskInvoker invoker;
    private int inFlight;
    private Instant lastHeartbeat = Instant.EPOCH;

    RunExecution(DagRuntime runtime, DagSpec dag, String runId) {
        this.runtime = runtime;
        this.dag = dag;
        this.runId = runId;
        for (TaskSpec task : dag.tasks()) {
            specs.put(task.id(), task);
            Set<String> readsFrom = new LinkedHashSet<>();
            for (ArgumentSpec argument : task.arguments()) {
                if (argument instanceof ArgumentSpec.Upstream upstream) {
                    readsFrom.add(upstream.taskId());
                }
            }
            valueUpstream.put(task.id(), readsFrom);
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
            runtime.slots.release(inFlight);
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
            tx.taskInstances(dag.id(), runId).forEach(t -> instances.put(t.taskId(), t));
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
                    String error = "try " + task.tryNumber() + " was interrupted: the process executing it ("
                            + previous.orElse("unknown") + ") ended before it finished";
                    TaskInstance failed = endTry(task, now, error);
                    interrupted.add(failed);
                    notifications.add(() -> noteInterrupted(failed, error));
                }
            }
            interrupted.forEach(t -> instances.put(t.taskId(), t));
            tx.updateTasks(interrupted);
            for (XComEntry entry : tx.xcoms(dag.id(), runId)) {
                xcomJson.put(entry.taskId(), runtime.xcomBackend.load(
                        new XComKey(dag.id(), runId, entry.taskId()), entry.storedValue()));
            }
        });
        return notifications;
    }

    private void noteInterrupted(TaskInstance task, String error) {
        try (TryLog log = runtime.logs.open(dag.id(), runId, task.taskId(), task.tryNumber())) {
            log.during(() -> TRY_LOG.error("{}; marked {}", error, task.state().label()));
        }
        if (task.state() == TaskState.FAILED) {
            notifyTask(specs.get(task.taskId()).onFailure(), task);
        }
    }

    /** A failed try: up for retry while tries remain, failed after the last. */
    private TaskInstance endTry(TaskInstance task, Instant at, String error) {
        if (task.hasTriesLeft()) {
            Duration delay = specs.get(task.taskId()).retry().delayBefore(task.tryNumber() + 1);
            return task.endedTry(TaskState.UP_FOR_RETRY, at, Optional.of(error), Optional.of(at.plus(delay)));
        }
        return task.endedTry(TaskState.FAILED, at, Optional.of(error), Optional.empty());
    }

    private void loop() {
        List<TryOutcome> finished = new ArrayList<>();
        while (true) {
            Instant now = DagRuntime.now();
            List<TaskInstance> changed = new ArrayList<>();
            List<XComEntry> values = new ArrayList<>();
            List<Runnable> afterCommit = new ArrayList<>();
            for (TryOutcome outcome : finished) {
                apply(outcome, changed, values, afterCommit);
            }
            finished.clear();
            List<TaskInstance> claimed = new ArrayList<>();
            boolean waitingForSlot = decide(now, changed, claimed);
            boolean allFinished = inFlight + claimed.size() == 0
                    && instances.values().stream().allMatch(t -> t.state().isFinished());
            DagRun ended = allFinished ? run.ended(endState(), now) : null;
            boolean heartbeat = !allFinished && lastHeartbeat.plus(runtime.heartbeatEvery).isBefore(now);
            if (!changed.isEmpty() || !values.isEmpty() || ended != null || heartbeat) {
                runtime.store.write(tx -> {
                    tx.updateTasks(changed);
                    tx.insertXComs(values);
                    if (ended != null) {
                        tx.updateRun(ended);
                    } else if (heartbeat) {
                        tx.heartbeat(dag.id(), runId, runtime.owner.id(), now);
                    }
                });
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
            if (inFlight == 0 && !waitingForSlot && nextRetry().isEmpty()) {
                throw new IllegalStateException("run " + runId + " of DAG " + dag.id()
                        + " cannot progress: no try is running or due, yet tasks are unfinished: " + unfinished());
            }
            awaitOutcomes(finished, waitTime(now, waitingForSlot));
        }
    }

    private void awaitOutcomes(List<TryOutcome> into, long waitMillis) {
        try {
            TryOutcome first = waitMillis <= 0 ? outcomes.poll() : outcomes.poll(waitMillis, TimeUnit.MILLISECONDS);
            if (first != null) {
                into.add(first);
                outcomes.drainTo(into);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while executing run " + runId + " of DAG " + dag.id(), e);
        }
        inFlight -= into.size();
        runtime.slots.release(into.size());
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
                .map(t -> t.taskId() + "=" + t.state().label()).toList();
    }

    /** Records a finished try; what it decides for downstream tasks is taken up by {@link #decide}. */
    private void apply(TryOutcome outcome, List<TaskInstance> changed, List<XComEntry> values,
            List<Runnable> afterCommit) {
        TaskInstance task = instances.get(outcome.taskId());
        TaskSpec spec = specs.get(outcome.taskId());
        TaskInstance ended;
        if (outcome instanceof TryOutcome.Succeeded success) {
            ended = task.endedTry(TaskState.SUCCESS, outcome.endedAt(), Optional.empty(), Optional.empty());
            success.json().ifPresent(json -> xcomJson.put(task.taskId(), json));
            success.stored().ifPresent(stored ->
                    values.add(XComEntry.returnValue(dag.id(), runId, task.taskId(), stored)));
            for (String skipped : success.skip()) {
                TaskInstance downstream = instances.get(skipped);
                if (downstream.state() == TaskState.NONE || downstream.state() == TaskState.SCHEDULED) {
                    put(downstream.decided(TaskState.SKIPPED, outcome.endedAt()), changed);
                }
            }
            if (!spec.onSuccess().isEmpty()) {
                afterCommit.add(() -> notifyTask(spec.onSuccess(), ended));
            }
        } else {
            TryOutcome.Failed failure = (TryOutcome.Failed) outcome;
            ended = endTry(task, outcome.endedAt(), failure.error());
            if (ended.state() == TaskState.FAILED && !spec.onFailure().isEmpty()) {
                afterCommit.add(() -> notifyTask(spec.onFailure(), ended));
            }
        }
        put(ended, changed);
    }

    private void put(TaskInstance task, List<TaskInstance> changed) {
        instances.put(task.taskId(), task);
        changed.add(task);
    }

    /**
     * Applies the trigger rules in the DAG's (topological) order, so that a decision reaches every task
     * downstream in one pass, and claims the tasks to run as far as slots allow.
     *
     * @return whether a runnable task is left waiting for a slot
     */
    private boolean decide(Instant now, List<TaskInstance> changed, List<TaskInstance> claimed) {
        boolean waitingForSlot = false;
        for (TaskSpec spec : dag.tasks()) {
            TaskInstance task = instances.get(spec.id());
            boolean runnable = switch (task.state()) {
                case NONE, SCHEDULED -> {
                    Decision decision = decide(spec);
                    if (decision == Decision.SKIP) {
                        put(task.decided(TaskState.SKIPPED, now), changed);
                    } else if (decision == Decision.UPSTREAM_FAILED) {
                        put(task.decided(TaskState.UPSTREAM_FAILED, now), changed);
                    }
                    yield decision == Decision.RUN;
                }
                case UP_FOR_RETRY -> !task.nextTryAt().orElse(Instant.EPOCH).isAfter(now);
                default -> false;
            };
            if (!runnable) {
                continue;
            }
            if (runtime.slots.tryAcquire()) {
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
        return waitingForSlot;
    }

    private Decision decide(TaskSpec spec) {
        if (spec.triggerRule() == TriggerRule.ALWAYS) {
            // Runs at once, as in Airflow, except that it needs the values it takes to exist first.
            boolean valuesDecided = valueUpstream.get(spec.id()).stream()
                    .allMatch(id -> instances.get(id).state().isFinished());
            return valuesDecided ? Decision.RUN : Decision.WAIT;
        }
        List<TaskState> upstream = new ArrayList<>(spec.upstream().size());
        for (String id : spec.upstream()) {
            upstream.add(instances.get(id).state());
        }
        return TriggerRules.decide(spec.triggerRule(), upstream);
    }

    /** Airflow's rule: the run fails when one of its leaves failed or was not run because of a failure. */
    private RunState endState() {
        for (TaskSpec spec : dag.tasks()) {
            if (dag.downstream(spec.id()).isEmpty()) {
                TaskState state = instances.get(spec.id()).state();
                if (state == TaskState.FAILED || state == TaskState.UPSTREAM_FAILED) {
                    return RunState.FAILED;
                }
            }
        }
        return RunState.SUCCESS;
    }

    private void start(TaskInstance task) {
        inFlight++;
        TaskSpec spec = specs.get(task.taskId());
        Map<String, String> inputs = new HashMap<>();
        for (String upstream : valueUpstream.get(spec.id())) {
            String json = xcomJson.get(upstream);
            if (json != null) {
                inputs.put(upstream, json);
            }
        }
        runtime.workers.execute(() -> invoker.runTry(spec, task.tryNumber(), task.maxTries(),
                TaskInvoker.Inputs.of(inputs), outcomes::add));
    }

    private void notifyTask(List<Class<? extends Notifier>> notifiers, TaskInstance task) {
        invoker.notify(notifiers, new Notification(dag.id(), runId, Optional.of(task.taskId()), task.state().label(),
                task.tryNumber(), task.error()));
    }

    private void notifyRun(List<Class<? extends Notifier>> notifiers, RunState state) {
        Optional<String> error = state == RunState.FAILED
                ? Optional.of("tasks failed: " + instances.values().stream()
                        .filter(t -> t.state() == TaskState.FAILED).map(TaskInstance::taskId).toList())
                : Optional.empty();
        invoker.notify(notifiers, new Notification(dag.id(), runId, Optional.empty(), state.label(), 0, error));
    }
}
