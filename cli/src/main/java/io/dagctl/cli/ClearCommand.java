package io.dagctl.cli;

import io.dagctl.internal.runtime.DagRuntime;
import io.dagctl.ops.Operations;
import io.dagctl.ops.ShellWords;
import io.dagctl.spec.DagSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "clear", description = "Clears tasks of a run, and everything downstream of them, and runs them again.")
final class ClearCommand implements Callable<Integer> {
    @ParentCommand
    private Dagctl dagctl;

    @Mixin
    private RunReference reference;

    @Option(names = {"-t", "--task"}, paramLabel = "TASK", description = "A task to clear; repeatable. All tasks by default.")
    private List<String> taskIds = new ArrayList<>();

    @Option(names = "--failed", description = "Only the failed and upstream_failed tasks among them.")
    private boolean failedOnly;

    @Mixin
    private RunOptions options;

    @Override
    public Integer call() {
        Operations.Run run = reference.resolve(dagctl);
        DagSpec dag = dagctl.catalog().get(run.dagId());
        List<String> cleared = dagctl.operations().clear(run.dagId(), run.runId(), taskIds, failedOnly);
        if (cleared.isEmpty()) {
            dagctl.out().println("nothing to clear in run " + run.runId());
            return ExitCodes.OK;
        }
        dagctl.out().println("cleared " + String.join(", ", cleared) + " in run " + run.runId());
        if (!options.wait) {
            dagctl.out().println("execute them with: dagctl resume " + ShellWords.quote(run.runId()));
            return ExitCodes.OK;
        }
        DagRuntime runtime = dagctl.runtime();
        return new RunWatcher(runtime, dagctl.out(), dag, true).follow(run.dagId(), run.runId(),
                runtime.submit(run.dagId(), run.runId()));
    }
}
