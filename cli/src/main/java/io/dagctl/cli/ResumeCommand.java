package io.dagctl.cli;

import io.dagctl.internal.runtime.DagRuntime;
import io.dagctl.ops.Operations;
import io.dagctl.spec.DagSpec;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

@Command(name = "resume", description = "Executes an unfinished run from where it stopped (after a crash or --no-wait); "
        + "tasks that succeeded are not run again.")
final class ResumeCommand implements Callable<Integer> {
    @ParentCommand
    private Dagctl dagctl;

    @Mixin
    private RunReference reference;

    @Override
    public Integer call() {
        Operations.Run run = reference.resolve(dagctl);
        DagSpec dag = dagctl.catalog().get(run.dagId());
        Operations operations = dagctl.operations();
        operations.resumable(run.dagId(), run.runId());
        // Executed here rather than through operations.resume, since the watcher shows each task's progress.
        DagRuntime runtime = dagctl.runtime();
        dagctl.out().println("resuming run " + run.runId() + " of DAG " + run.dagId());
        int exitCode = new RunWatcher(runtime, dagctl.out(), dag, true).follow(run.dagId(), run.runId(),
                CompletableFuture.supplyAsync(() -> runtime.resume(run.dagId(), run.runId())));
        List<String> lostToTheCrash = operations.failedByACrash(run.dagId(), run.runId());
        if (!lostToTheCrash.isEmpty()) {
            dagctl.out().println(String.join(", ", lostToTheCrash) + ": the try the crash interrupted counts as a try"
                    + " (as in Airflow), and no tries were left; run the failed tasks again with: dagctl clear "
                    + run.runId() + " --failed");
        }
        return exitCode;
    }
}
