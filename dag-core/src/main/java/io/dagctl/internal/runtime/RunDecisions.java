package io.dagctl.internal.runtime;

import io.dagctl.Notification;
import io.dagctl.RunState;
import io.dagctl.TaskState;
import io.dagctl.TriggerRule;
import io.dagctl.internal.runtime.TriggerRules.Decision;
import io.dagctl.internal.store.DagRun;
import io.dagctl.internal.store.MetadataStore.Transaction;
import io.dagctl.internal.store.TaskInstance;
import io.dagctl.internal.store.WorkQueue;
import io.dagctl.spec.ArgumentSpec;
import io.dagctl.spec.DagSpec;
import io.dagctl.spec.TaskSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The decisions about one run of a worker-executed DAG, made in a transaction that holds the run's row lock: the
 * ends of tries, the trigger rules of the tasks they decide, the expansion of mapped tasks, and the end of the run
 * (ends of leaf tasks, which decide nothing else, take the lock only for the last). It reads only the task instances
 * the decisions need, so that a run of thousands of tasks costs each try's end a few rows, not the whole run.
 */
final class RunDecisions {
    private final DagRuntime runtime;
    private final DagSpec dag;
    private final Transaction tx;
    private final String runId;
    /** The run, its row locked by this transaction; null until then. */
    private DagRun run;
    private final Instant now;
    private final DagShape shape;
    private final Map<String, List<TaskInstance>> loaded = new HashMap<>();
    /** By label. */
    private final Map<String, TaskInstance> changed = new LinkedHashMap<>();
    private final Set<String> decidedTasks = new LinkedHashSet<>();
    private final List<Runnable> afterCommit = new ArrayList<>();
    private boolean scheduledAny;

    /** Decisions about {@code run}, whose row {@code tx} has locked. */
    RunDecisions(DagRuntime runtime, DagSpec dag, Transaction tx, DagRun run, Instant now) {
        this(runtime, dag, tx, run.runId(), now);
        this.run = run;
    }

    /**
     * Ends of leaf tries of a run whose row is not locked yet: {@link #lockThenEndIfFinished} takes the lock, as late
     * in the transaction as it can, so that the ends of one run recorded by several workers wait for each other only
     * for that last step.
     */
    RunDecisions(DagRuntime runtime, DagSpec dag, Transaction tx, String runId, Instant now) {
        this.runtime = runtime;
        this.dag = dag;
        this.tx = tx;
        this.runId = runId;
        this.now = now;
        this.shape = runtime.shape(dag);
    }

    /**
     * Locks the run and ends it if nothing is left to do. Whichever of two transactions recording the last ends of a
     * run takes the lock second sees the first's ends committed, so one of them ends the run.
     */
    void lockThenEndIfFinished() {
        WorkQueue.LockedRun locked = WorkQueue.lockRunAndAskUnfinished(tx, dag.id(), runId)
                .orElseThrow(() -> DagRuntime.noSuchRun(dag.id(), runId));
        run = locked.run();
        if (!scheduledAny && !locked.anyUnfinished()) {
            end();
        }
    }

    /** What to do once the transaction has committed: notifiers. */
    List<Runnable> afterCommit() {
        return afterCommit;
    }

    /** Whether a task instance became scheduled, so that workers are to be woken. */
    boolean scheduledAny() {
        return scheduledAny;
    }

    /** How a claimed try ended, as its worker reports it. */
    record TryEnd(TaskInstance claimed, TryOutcome outcome) {
    }

    /**
     * Whether recording this end may decide other tasks (downstream ones, or those a branch skips), so that it must
     * hold the run's lock from the start: the end of a leaf only needs it to end the run.
     */
    static boolean decidesOthers(DagShape shape, TryEnd end) {
        return !shape.downstream(end.claimed().taskId()).isEmpty()
                || end.outcome() instanceof TryOutcome.Succeeded success && !success.skip().isEmpty();
    }

    /**
     * Records how tries that {@code worker} claimed ended, with the values they returned, in one statement, except
     * those no longer that worker's (found to be zombies meanwhile); with {@code staleFor}, only if the worker has
     * also been silent that long.
     *
     * @return the ends not recorded
     */
    List<TryEnd> endTries(List<TryEnd> ends, String worker, Optional<Duration> staleFor, TaskInvoker invoker) {
        List<TaskInstance> ended = new ArrayList<>();
        List<String> returnValues = new ArrayList<>();
        for (TryEnd end : ends) {
            ended.add(endedTry(end.claimed(), end.outcome()));
            returnValues.add(end.outcome() instanceof TryOutcome.Succeeded success ? success.stored().orElse(null)
                    : null);
        }
        boolean[] recorded = WorkQueue.endTries(tx, ended, returnValues, worker, staleFor);
        List<TryEnd> notRecorded = new ArrayList<>();
        for (int i = 0; i < ends.size(); i++) {
            TaskInstance claimed = ends.get(i).claimed();
            if (!recorded[i]) {
                notRecorded.add(ends.get(i));
                continue;
            }
            TaskInstance end = ended.get(i);
            TaskSpec spec = shape.task(claimed.taskId());
            if (ends.get(i).outcome() instanceof TryOutcome.Succeeded success) {
                if (!success.skip().isEmpty()) {
                    WorkQueue.skipUnstarted(tx, dag.id(), runId, success.skip(), success.endedAt());
                    success.skip().forEach(loaded::remove);
                    decidedTasks.addAll(success.skip());
                }
                if (!spec.onSuccess().isEmpty()) {
                    afterCommit.add(() -> notifyTask(invoker, spec.onSuccess(), end));
                }
            } else if (end.state() == TaskState.FAILED && !spec.onFailure().isEmpty()) {
                afterCommit.add(() -> notifyTask(invoker, spec.onFailure(), end));
            }
            loaded.remove(claimed.taskId());
            if (end.state().isFinished()) {
                decidedTasks.add(claimed.taskId());
            }
        }
        return notRecorded;
    }

    private TaskInstance endedTry(TaskInstance claimed, TryOutcome outcome) {
        if (outcome instanceof TryOutcome.Succeeded) {
            return claimed.endedTry(TaskState.SUCCESS, outcome.endedAt(), Optional.empty(), Optional.empty());
        }
        if (outcome instanceof TryOutcome.Skipped) {
            return claimed.endedTry(TaskState.SKIPPED, outcome.endedAt(), Optional.empty(), Optional.empty());
        }
        TryOutcome.Failed failure = (TryOutcome.Failed) outcome;
        return failedTry(claimed, outcome.endedAt(), failure.error(), failure.retryable());
    }

    /** A failed try: up for retry while tries remain (and the task did not refuse them), failed after the last. */
    TaskInstance failedTry(TaskInstance task, Instant at, String error, boolean retryable) {
        if (retryable && task.hasTriesLeft()) {
            Duration delay = runtime.retryDelay(shape.task(task.taskId()), task.tryNumber() + 1);
            return task.endedTry(TaskState.UP_FOR_RETRY, at, Optional.of(error), Optional.of(at.plus(delay)));
        }
        return task.endedTry(TaskState.FAILED, at, Optional.of(error), Optional.empty());
    }

    /**
     * Applies the trigger rules of every task not yet decided, as when a run starts or after a clear; then ends the
     * run if nothing is left to do.
     */
    void decideAll() {
        decide(shape.taskIds());
    }

    /** Applies the trigger rules downstream of the tries ended so far, then ends the run if nothing is left. */
    void decideDownstream() {
        Set<String> candidates = new HashSet<>();
        for (String id : decidedTasks) {
            candidates.addAll(shape.downstream(id));
        }
        decide(candidates);
    }

    private void decide(Collection<String> initial) {
        PriorityQueue<String> pending = new PriorityQueue<>((a, b) -> shape.order(a) - shape.order(b));
        Set<String> queued = new HashSet<>(initial);
        pending.addAll(initial);
        // Loaded in one query per wave of newly pending tasks: reloading for every pending task on each turn cost
        // a fan-out of n tasks n² lookups.
        Set<String> toLoad = new LinkedHashSet<>(initial);
        while (!pending.isEmpty()) {
            loadFor(toLoad);
            toLoad.clear();
            String id = pending.poll();
            List<TaskInstance> instances = loaded.get(id);
            if (instances.get(0).mapIndex() >= 0) {
                scheduleCleared(id, instances);
                continue;
            }
            if (instances.get(0).state() != TaskState.NONE) {
                continue;
            }
            TaskInstance task = instances.get(0);
            TaskSpec spec = shape.task(id);
            Decision decision = decide(spec);
            TaskState decided = switch (decision) {
                case WAIT -> null;
                case SKIP -> decided(task, TaskState.SKIPPED);
                case UPSTREAM_FAILED -> decided(task, TaskState.UPSTREAM_FAILED);
                case RUN -> spec.expandedOver().isPresent() ? expand(spec, task) : schedule(task);
            };
            if (decided != null && decided.isFinished()) {
                for (String next : shape.downstream(id)) {
                    if (queued.add(next)) {
                        pending.add(next);
                        toLoad.add(next);
                    }
                }
            }
        }
        tx.updateTasks(changed.values());
        WorkQueue.analyzeIfWide(tx, (int) changed.values().stream().filter(t -> t.state() == TaskState.SCHEDULED)
                .count());
        changed.clear();
        endIfFinished();
    }

    /** Instances of an expanded task that a clear sent back to none: the task's rule was met when it expanded. */
    private void scheduleCleared(String taskId, List<TaskInstance> instances) {
        List<TaskInstance> now = new ArrayList<>();
        for (TaskInstance instance : instances) {
            if (instance.state() == TaskState.NONE) {
                instance = instance.withState(TaskState.SCHEDULED);
                changed.put(instance.label(), instance);
                scheduledAny = true;
            }
            now.add(instance);
        }
        loaded.put(taskId, now);
    }

    private TaskState decided(TaskInstance task, TaskState state) {
        put(task.decided(state, now));
        return state;
    }

    private TaskState schedule(TaskInstance task) {
        put(task.withState(TaskState.SCHEDULED));
        scheduledAny = true;
        return TaskState.SCHEDULED;
    }

    /** One scheduled instance per element of the upstream list; none (skipped) for an empty list. */
    private TaskState expand(TaskSpec spec, TaskInstance placeholder) {
        TaskInputs.Expansion expansion = TaskInputs.expansion(spec, valueJson(spec.expandedOver().orElseThrow()));
        if (expansion.error().isPresent()) {
            put(placeholder.endedTry(TaskState.FAILED, now, expansion.error(), Optional.empty()));
            return TaskState.FAILED;
        }
        if (expansion.size() == 0) {
            put(placeholder.decided(TaskState.SKIPPED, now));
            return TaskState.SKIPPED;
        }
        List<TaskInstance> mapped = WorkQueue.expand(tx, placeholder, expansion.size(), spec.pool(),
                spec.poolSlots());
        loaded.put(spec.id(), new ArrayList<>(mapped));
        scheduledAny = true;
        return TaskState.SCHEDULED;
    }

    /** The JSON value of a task: its return value, or the list of its mapped instances' values in order. */
    private Optional<String> valueJson(String taskId) {
        return TaskInputs.valueJson(runtime, shape.task(taskId), dag.id(), runId,
                WorkQueue.returnValues(tx, dag.id(), runId, List.of(taskId)));
    }

    private Decision decide(TaskSpec spec) {
        if (spec.triggerRule() == TriggerRule.ALWAYS) {
            // Runs at once, as in Airflow, except that it needs the values it takes to exist first.
            for (ArgumentSpec argument : spec.arguments()) {
                String from = argument instanceof ArgumentSpec.Upstream u ? u.taskId()
                        : argument instanceof ArgumentSpec.Expanded e ? e.taskId() : null;
                if (from != null && !loaded.get(from).stream().allMatch(t -> t.state().isFinished())) {
                    return Decision.WAIT;
                }
            }
            return Decision.RUN;
        }
        List<TaskState> upstream = new ArrayList<>();
        for (String id : spec.upstream()) {
            loaded.get(id).forEach(t -> upstream.add(t.state()));
        }
        return TriggerRules.decide(spec.triggerRule(), upstream);
    }

    private void loadFor(Collection<String> pending) {
        Set<String> missing = new LinkedHashSet<>();
        for (String id : pending) {
            if (!loaded.containsKey(id)) {
                missing.add(id);
            }
            for (String upstream : shape.task(id).upstream()) {
                if (!loaded.containsKey(upstream)) {
                    missing.add(upstream);
                }
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        missing.forEach(id -> loaded.put(id, new ArrayList<>()));
        for (TaskInstance task : WorkQueue.tasks(tx, dag.id(), runId, missing)) {
            loaded.get(task.taskId()).add(task);
        }
    }

    private void put(TaskInstance task) {
        loaded.put(task.taskId(), new ArrayList<>(List.of(task)));
        changed.put(task.label(), task);
    }

    /** Ends the run when nothing is left to do. */
    private void endIfFinished() {
        // An instance scheduled here is unfinished: no need to ask the database.
        if (!scheduledAny && !WorkQueue.anyUnfinished(tx, dag.id(), runId)) {
            end();
        }
    }

    /** Airflow's rule: the run fails when one of its leaves failed or was not run because of a failure. */
    private void end() {
        boolean failed = WorkQueue.states(tx, dag.id(), runId, shape.leaves()).stream()
                .anyMatch(s -> s == TaskState.FAILED || s == TaskState.UPSTREAM_FAILED);
        RunState state = failed ? RunState.FAILED : RunState.SUCCESS;
        tx.updateRun(run.ended(state, now));
        WorkQueue.analyzeIfWideRunEnds(tx, dag.id(), runId);
        List<String> failedTasks = failed ? WorkQueue.tasks(tx, dag.id(), runId, shape.taskIds()).stream()
                .filter(t -> t.state() == TaskState.FAILED)
                .map(t -> TaskInstance.label(t.taskId(), t.mapIndex())).toList() : List.of();
        List<Class<? extends io.dagctl.Notifier>> notifiers = state == RunState.SUCCESS ? dag.onSuccess()
                : dag.onFailure();
        if (notifiers.isEmpty()) {
            return;
        }
        afterCommit.add(() -> {
            TaskInvoker invoker = new TaskInvoker(runtime, dag, run);
            try {
                invoker.notify(notifiers, new Notification(dag.id(), runId, Optional.empty(), state.label(), 0,
                        failed ? Optional.of("tasks failed: " + failedTasks) : Optional.empty()));
            } finally {
                invoker.closeHooks();
            }
        });
    }

    private void notifyTask(TaskInvoker invoker, List<Class<? extends io.dagctl.Notifier>> notifiers,
            TaskInstance task) {
        invoker.notify(notifiers, new Notification(dag.id(), runId,
                Optional.of(TaskInstance.label(task.taskId(), task.mapIndex())), task.state().label(),
                task.tryNumber(), task.error()));
    }
}
