package io.dagctl.cli;

import io.dagctl.Dag;
import io.dagctl.Task;

/**
 * The DAG the launcher triggers, in a scratch home, while it records the classes of a {@code trigger} that executes a
 * run for its class-data archive: one task that needs no service, so that recording starts none. It is never indexed
 * (the CLI's sources are compiled without the annotation processor), so no dagctl command lists or runs it; the
 * launcher names it in the index of a bundle of its own.
 */
@Dag(id = "dagctl_class_data_recording")
public final class ClassDataRecordingDag {
    @Task
    public int nothing() {
        return 0;
    }
}
