package io.dagctl.internal.store;

import io.dagctl.RunState;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One row of {@code dag_run}. {@code params} are the text values the run was triggered with, defaults filled in;
 * {@code owner} names the process executing it ({@link Owner}).
 */
public record DagRun(
        String dagId, String runId, RunState state, RunType runType, Instant logicalDate, Instant dataIntervalStart,
        Instant dataIntervalEnd, Map<String, String> params, Instant createdAt, Optional<Instant> startedAt,
        Optional<Instant> endedAt, Optional<String> owner, Optional<Instant> heartbeatAt) {

    public DagRun {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    public DagRun withState(RunState newState) {
        return new DagRun(dagId, runId, newState, runType, logicalDate, dataIntervalStart, dataIntervalEnd, params,
                createdAt, startedAt, endedAt, owner, heartbeatAt);
    }

    public DagRun started(Instant at, String newOwner) {
        return new DagRun(dagId, runId, RunState.RUNNING, runType, logicalDate, dataIntervalStart, dataIntervalEnd,
                params, createdAt, startedAt.or(() -> Optional.of(at)), Optional.empty(), Optional.of(newOwner),
                Optional.of(at));
    }

    public DagRun ended(RunState endState, Instant at) {
        return new DagRun(dagId, runId, endState, runType, logicalDate, dataIntervalStart, dataIntervalEnd, params,
                createdAt, startedAt, Optional.of(at), Optional.empty(), heartbeatAt);
    }

    /** Back in the queue, as after a clear: nobody owns it and it has not ended. */
    public DagRun requeued() {
        return new DagRun(dagId, runId, RunState.QUEUED, runType, logicalDate, dataIntervalStart, dataIntervalEnd,
                params, createdAt, startedAt, Optional.empty(), Optional.empty(), heartbeatAt);
    }
}
