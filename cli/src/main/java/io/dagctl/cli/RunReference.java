package io.dagctl.cli;

import io.dagctl.ops.Ids;
import io.dagctl.ops.Operations;
import java.util.Optional;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** A run named on the command line: its id, and the DAG when two DAGs have runs of that id. */
final class RunReference {
    @Parameters(index = "0", paramLabel = "RUN", description = "The run id (see `dagctl runs`).")
    String runId;

    @Option(names = "--dag", paramLabel = "DAG", description = "The run's DAG, when several DAGs have a run with this id.")
    Optional<String> dagId;

    /**
     * The run, or a usage error: an id outside the grammar where no run is recorded at all, no dagctl home, the
     * closest run ids, or the DAGs to choose between.
     */
    Operations.Run resolve(Dagctl dagctl) {
        if (!dagctl.hasRecordedRuns()) {
            Ids.requireRunId(runId);
            throw dagctl.noRunsRecorded();
        }
        return dagctl.operations().findRun(dagId, runId);
    }
}
