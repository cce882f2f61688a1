package io.dagctl.cli;

import io.dagctl.ops.Operations;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

@Command(name = "skip", description = "Marks the failed tasks of a failed run skipped and the run done, so that the"
        + " runs waiting behind it (a topic's later batches) go on: the way past a batch no retry can process.")
final class SkipCommand implements Callable<Integer> {
    @ParentCommand
    private Dagctl dagctl;

    @Mixin
    private RunReference reference;

    @Override
    public Integer call() {
        Operations.Run run = reference.resolve(dagctl);
        dagctl.catalog().get(run.dagId());
        List<String> skipped = dagctl.operations().skipFailed(run.dagId(), run.runId());
        dagctl.out().println("skipped " + (skipped.isEmpty() ? "no task" : String.join(", ", skipped)) + " in run "
                + run.runId() + " of DAG " + run.dagId() + "; the run counts as done");
        return ExitCodes.OK;
    }
}
