package io.dagctl.internal.runtime;

import io.dagctl.internal.store.ChangeJournal;
import io.dagctl.internal.store.TaskInstance;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a follower of one run reads, poll after poll: the task instances that changed since its previous poll (on
 * the first, every instance), each as it is now. A run executing in this process is read from the process's journal
 * of committed changes; any other on PostgreSQL (workers execute it) from the database's change journal; on H2,
 * which keeps no such journal, the whole run is read.
 */
public final class RunChanges {
    private final DagRuntime runtime;
    private final String dagId;
    private final String runId;
    private int readHere;
    private Optional<String> journalSnapshot = Optional.empty();

    RunChanges(DagRuntime runtime, String dagId, String runId) {
        this.runtime = runtime;
        this.dagId = dagId;
        this.runId = runId;
    }

    /** The instances that changed since the previous call. */
    public Collection<TaskInstance> next() {
        Optional<List<TaskInstance>> here = runtime.changesSince(dagId, runId, readHere);
        if (here.isPresent()) {
            readHere += here.get().size();
            // The last change of each instance, as a read of the database at this moment would show it.
            Map<String, TaskInstance> latest = new LinkedHashMap<>();
            here.get().forEach(task -> latest.put(task.label(), task));
            return latest.values();
        }
        if (runtime.store.location().isPostgres()) {
            ChangeJournal.Page page = ChangeJournal.read(runtime.store, dagId, runId, journalSnapshot);
            journalSnapshot = Optional.of(page.snapshot());
            return page.changed();
        }
        return runtime.taskInstances(dagId, runId);
    }
}
