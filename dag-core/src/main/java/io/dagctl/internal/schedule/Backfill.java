package io.dagctl.internal.schedule;

import io.dagctl.DataInterval;
import io.dagctl.RunState;
import io.dagctl.internal.runtime.DagRuntime;
import io.dagctl.internal.runtime.RunRequest;
import io.dagctl.internal.runtime.RunResult;
import io.dagctl.internal.store.DagRun;
import io.dagctl.internal.store.RunType;
import io.dagctl.spec.DagSpec;
import io.dagctl.spec.TaskSpec;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Airflow's backfill: a run for each interval of the schedule whose logical date falls between two days, oldest
 * first, no more at once than the DAG's {@code maxActiveRuns}. An interval that has a run already is left alone
 * unless told to reprocess it: then its failed tasks (or all of them) are cleared and the run goes again.
 */
public final class Backfill {
    /** Which intervals that already have a run are run again. */
    public enum Reprocess { NONE, FAILED, COMPLETED }

    /** What a backfill does for one interval. */
    public enum Action {
        CREATE, SKIP_EXISTING, SKIP_UNFINISHED, RERUN_FAILED_TASKS, RERUN_ALL_TASKS;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }
    }

    /** One interval of a backfill; {@code existing} is the run it already has. */
    public record Step(DataInterval interval, Action action, Optional<DagRun> existing) {
        /** The run the step creates or runs again. */
        public String runId() {
            return existing.map(DagRun::runId).orElseGet(() -> Scheduler.backfillRunId(interval));
        }
    }

    private Backfill() {
    }

    /**
     * @throws IllegalArgumentException when the DAG has no time schedule or the days are in the wrong order
     */
    public static List<Step> plan(DagRuntime runtime, DagSpec dag, LocalDate from, LocalDate to, Reprocess reprocess) {
        Timetable timetable = Timetable.of(dag).orElseThrow(() -> new IllegalArgumentException("DAG " + dag.id()
                + " has no schedule, so it has no intervals to backfill; trigger it instead"));
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("backfill of DAG " + dag.id() + ": --to " + to + " is before --from "
                    + from);
        }
        Map<Instant, DagRun> byLogicalDate = runtime.runs(Optional.of(dag.id()), Integer.MAX_VALUE).stream()
                .collect(Collectors.toMap(DagRun::logicalDate, Function.identity(), Backfill::preferScheduled));
        List<Step> steps = new ArrayList<>();
        for (DataInterval interval : timetable.between(from, to)) {
            Optional<DagRun> existing = Optional.ofNullable(byLogicalDate.get(interval.start()));
            steps.add(new Step(interval, action(existing, reprocess), existing));
        }
        return steps;
    }

    private static DagRun preferScheduled(DagRun a, DagRun b) {
        return a.runId().startsWith(Scheduler.SCHEDULED_PREFIX) || a.runId().startsWith(Scheduler.BACKFILL_PREFIX)
                ? a : b;
    }

    private static Action action(Optional<DagRun> existing, Reprocess reprocess) {
        if (existing.isEmpty()) {
            return Action.CREATE;
        }
        RunState state = existing.get().state();
        if (!state.isFinished()) {
            return Action.SKIP_UNFINISHED;
        }
        if (reprocess == Reprocess.COMPLETED) {
            return Action.RERUN_ALL_TASKS;
        }
        if (reprocess == Reprocess.FAILED && state == RunState.FAILED) {
            return Action.RERUN_FAILED_TASKS;
        }
        return Action.SKIP_EXISTING;
    }

    /**
     * Carries out the steps, oldest first, and tells {@code ended} of each run as it ends. The runs it creates take
     * {@code params} (in their text form); runs it reprocesses keep their own.
     */
    public static List<RunResult> execute(DagRuntime runtime, DagSpec dag, List<Step> steps,
            Map<String, String> params, Consumer<RunResult> ended) {
        List<String> taskIds = dag.tasks().stream().map(TaskSpec::id).toList();
        List<RunResult> results = new ArrayList<>();
        Deque<CompletableFuture<RunResult>> running = new ArrayDeque<>();
        for (Step step : steps) {
            switch (step.action()) {
                case CREATE -> runtime.trigger(dag, RunRequest.scheduled(step.interval())
                        .withRunType(RunType.BACKFILL).withRunId(step.runId()).withParams(params));
                case RERUN_FAILED_TASKS -> runtime.clear(dag.id(), step.runId(), taskIds, true);
                case RERUN_ALL_TASKS -> runtime.clear(dag.id(), step.runId(), taskIds, false);
                case SKIP_EXISTING, SKIP_UNFINISHED -> {
                    continue;
                }
            }
            if (running.size() >= dag.maxActiveRuns()) {
                results.add(endOf(running.pop(), ended));
            }
            running.add(runtime.submit(dag.id(), step.runId()));
        }
        while (!running.isEmpty()) {
            results.add(endOf(running.pop(), ended));
        }
        return results;
    }

    private static RunResult endOf(CompletableFuture<RunResult> run, Consumer<RunResult> ended) {
        RunResult result = DagRuntime.await(run);
        ended.accept(result);
        return result;
    }
}
