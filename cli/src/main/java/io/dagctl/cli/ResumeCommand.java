package io.dagctl.cli;

import io.dagctl.internal.runtime.DagRuntime;
import io.dagctl.internal.store.DagRun;
import io.dagctl.spec.DagSpec;
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
        DagRun run = reference.resolve(dagctl.store());
        if (run.state().isFinished()) {
            throw CliException.usage("run " + run.runId() + " of DAG " + run.dagId() + " already ended "
                    + run.state().label() + "; to run tasks again: dagctl clear " + ShellWords.quote(run.runId()));
        }
        DagSpec dag = dagctl.catalog().get(run.dagId());
        DagRuntime runtime = dagctl.runtime();
        dagctl.out().println("resuming run " + run.runId() + " of DAG " + run.dagId());
        return new RunWatcher(runtime, dagctl.out(), dag, true).follow(run.dagId(), run.runId(),
                CompletableFuture.supplyAsync(() -> runtime.resume(run.dagId(), run.runId())));
    }
}
