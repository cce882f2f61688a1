package io.dagctl.ops;

import io.dagctl.internal.logging.TaskLogs;
import io.dagctl.internal.store.DagRun;
import io.dagctl.internal.store.MetadataStore;
import io.dagctl.internal.store.XComEntry;
import io.dagctl.internal.xcom.XComBackend;
import io.dagctl.internal.xcom.XComKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Deletes ended runs with all they left (Airflow's {@code dags delete} for one run, and {@code db clean}): the XCom
 * values spilled to an object store, the task logs under this home, then the run row, its task instances and XCom
 * rows in one transaction. Files go first, so that a deletion that fails part way can simply be repeated. A run
 * that has not ended is never deleted: its tries could still write.
 */
public final class RunDeletion {
    private final MetadataStore store;
    private final TaskLogs logs;
    private final XComBackend xcoms;

    /** What went with one run. */
    public record Deleted(String dagId, String runId, int taskInstances, int xcomValues, int logFiles) {
    }

    /** What {@link #deleteEndedBefore} deleted, newest first. */
    public record Cleaned(Instant before, List<Deleted> runs) {
        public Cleaned {
            runs = List.copyOf(runs);
        }
    }

    public RunDeletion(MetadataStore store, TaskLogs logs, XComBackend xcoms) {
        this.store = store;
        this.logs = logs;
        this.xcoms = xcoms;
    }

    /**
     * @throws IllegalArgumentException when the DAG has no such run, or the run has not ended
     */
    public Deleted delete(String dagId, String runId) {
        DagRun run = store.findRun(dagId, runId)
                .orElseThrow(() -> new IllegalArgumentException("DAG " + dagId + " has no run " + runId));
        if (!run.state().isFinished()) {
            throw new IllegalArgumentException("run " + runId + " of DAG " + dagId + " is " + run.state().label()
                    + "; delete it once it has ended");
        }
        return deleteEnded(run);
    }

    /** Deletes the runs that ended before {@code before}; runs still queued or running are kept. */
    public Cleaned deleteEndedBefore(Instant before) {
        List<Deleted> deleted = new ArrayList<>();
        for (DagRun run : store.runs(Optional.empty(), Integer.MAX_VALUE)) {
            if (run.state().isFinished() && run.endedAt().map(end -> end.isBefore(before)).orElse(false)) {
                deleted.add(deleteEnded(run));
            }
        }
        return new Cleaned(before, deleted);
    }

    private Deleted deleteEnded(DagRun run) {
        List<XComEntry> values = store.xcoms(run.dagId(), run.runId());
        for (XComEntry value : values) {
            xcoms.delete(new XComKey(run.dagId(), run.runId(), value.label()), value.storedValue());
        }
        int logFiles = Ids.isRunId(run.runId())
                ? deleteTree(IdPaths.under(logs.root(), "dag_id=" + run.dagId(), "run_id=" + run.runId()))
                // Recorded before ids were checked: its logs may lie anywhere, and are left where they are.
                : 0;
        int taskInstances = store.taskInstances(run.dagId(), run.runId()).size();
        store.write(tx -> tx.deleteEndedRun(run.dagId(), run.runId()));
        return new Deleted(run.dagId(), run.runId(), taskInstances, values.size(), logFiles);
    }

    /** Deletes a directory and what it holds, not following links; returns how many files it held. */
    private static int deleteTree(Path directory) {
        if (!Files.exists(directory)) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            List<Path> paths = walk.sorted(Comparator.reverseOrder()).toList();
            int files = 0;
            for (Path path : paths) {
                if (!Files.isDirectory(path)) {
                    files++;
                }
                Files.delete(path);
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the task logs in " + directory + ": " + e, e);
        }
    }
}
