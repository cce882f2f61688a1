package io.dagctl.internal.runtime;

import io.dagctl.DataInterval;
import io.dagctl.internal.store.RunType;
import io.dagctl.ops.Ids;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What to run: the params as text ({@code -p startDate=2011-03-01}), and for a scheduled run its logical date and
 * data interval. A manual run's logical date is the trigger time and its interval is empty at that instant; its id
 * is {@code manual__<logical date>} unless given, and a given one must follow {@link Ids#RUN_ID_RULE}.
 */
public record RunRequest(
        RunType runType, Map<String, String> params, Optional<Instant> logicalDate,
        Optional<DataInterval> dataInterval, Optional<String> runId) {

    public RunRequest {
        params = Map.copyOf(params);
        runId.ifPresent(Ids::requireRunId);
    }

    public static RunRequest manual() {
        return new RunRequest(RunType.MANUAL, Map.of(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** A run the schedule asks for, covering {@code interval}, whose logical date is the interval's start. */
    public static RunRequest scheduled(DataInterval interval) {
        return new RunRequest(RunType.SCHEDULED, Map.of(), Optional.of(interval.start()), Optional.of(interval),
                Optional.empty());
    }

    /** The same request for a run of another type: one a trigger or a backfill creates. */
    public RunRequest withRunType(RunType type) {
        return new RunRequest(type, params, logicalDate, dataInterval, runId);
    }

    public RunRequest withParams(Map<String, String> values) {
        return new RunRequest(runType, values, logicalDate, dataInterval, runId);
    }

    public RunRequest withLogicalDate(Instant date) {
        return new RunRequest(runType, params, Optional.of(date), dataInterval, runId);
    }

    public RunRequest withRunId(String id) {
        return new RunRequest(runType, params, logicalDate, dataInterval, Optional.of(id));
    }
}
