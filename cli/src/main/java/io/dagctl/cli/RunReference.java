package io.dagctl.cli;

import io.dagctl.internal.discovery.Names;
import io.dagctl.internal.store.DagRun;
import io.dagctl.internal.store.MetadataStore;
import io.dagctl.ops.Ids;
import java.util.List;
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
     * The run, or a usage error: an id outside the grammar where no run is recorded at all, no dagctl home, or the
     * closest run ids.
     */
    DagRun resolve(Dagctl dagctl) {
        Optional<MetadataStore> recorded = dagctl.storeIfRecorded();
        if (recorded.isEmpty()) {
            Ids.requireRunId(runId);
        }
        MetadataStore store = recorded.orElseGet(dagctl::existingStore);
        List<DagRun> matching = store.runsWithId(runId).stream()
                .filter(r -> dagId.map(r.dagId()::equals).orElse(true)).toList();
        if (matching.size() == 1) {
            return matching.get(0);
        }
        if (matching.isEmpty()) {
            // Looked up first, so that a run recorded before ids were checked can still be shown and deleted.
            Ids.requireRunId(runId);
            // Only a miss reads every run id, to name the closest.
            List<String> known = store.runs(dagId, Integer.MAX_VALUE).stream().map(DagRun::runId).toList();
            throw CliException.usage("unknown run '" + runId + "'" + dagId.map(d -> " of DAG " + d).orElse("")
                    + Names.closest(runId, known)
                            .map(c -> " (did you mean '" + c + "'?)").orElse(""));
        }
        throw CliException.usage("run id '" + runId + "' exists in DAGs "
                + String.join(", ", matching.stream().map(DagRun::dagId).toList()) + "; name one with --dag");
    }
}
