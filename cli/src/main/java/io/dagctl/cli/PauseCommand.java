package io.dagctl.cli;

import io.dagctl.internal.schedule.SchedulerStore;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "pause", description = "Stops the scheduler from creating and starting runs of a DAG; runs already "
        + "executing go on.")
final class PauseCommand implements Callable<Integer> {
    @ParentCommand
    private Dagctl dagctl;

    @Parameters(index = "0", paramLabel = "DAG", description = "The DAG id.")
    String dagId;

    @Override
    public Integer call() {
        return setPaused(dagctl, dagId, true);
    }

    static int setPaused(Dagctl dagctl, String dagId, boolean paused) {
        dagctl.catalog().get(dagId);
        try (SchedulerStore store = SchedulerStore.open(dagctl.store().location())) {
            store.setPaused(dagId, paused, Instant.now());
        }
        dagctl.out().println("DAG " + dagId + " is " + (paused ? "paused" : "unpaused"));
        return ExitCodes.OK;
    }
}
