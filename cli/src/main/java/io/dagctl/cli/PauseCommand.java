package io.dagctl.cli;

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
        dagctl.operations().setPaused(dagId, paused);
        dagctl.out().println("DAG " + dagId + " is " + (paused ? "paused" : "unpaused"));
        return ExitCodes.OK;
    }
}
