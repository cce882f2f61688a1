package io.dagctl.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "unpause", description = "Lets the scheduler create and start runs of a DAG again.")
final class UnpauseCommand implements Callable<Integer> {
    @ParentCommand
    private Dagctl dagctl;

    @Parameters(index = "0", paramLabel = "DAG", description = "The DAG id.")
    String dagId;

    @Override
    public Integer call() {
        return PauseCommand.setPaused(dagctl, dagId, false);
    }
}
