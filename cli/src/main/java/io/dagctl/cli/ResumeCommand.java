package io.dagctl.cli;

import io.dagctl.TaskState;
import io.dagctl.internal.runtime.DagRuntime;
import io.dagctl.internal.store.DagRun;
import io.dagctl.internal.store.TaskInstance;
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
        DagRun run = reference.resolve(dagctl);
        if (run.state().isFinished()) {
            throw CliException.usage("run " + run.runId() + " of DAG " + run.dagId() + " already ended "
                    + run.state().label() + "; to run tasks again: dagctl clear " + ShellWords.quote(run.runId()));
        }
        DagSpec dag = dagctl.catalog().get(run.dagId());
        DagRuntime runtime = dagctl.runtime();
        dagctl.out().println("resuming run " + run.runId() + " of DAG " + run.dagId());
        int exitCode = new RunWatcher(runtime, dagctl.out(), dag, true).follow(run.dagId(), run.runId(),
                CompletableFuture.supplyAsync(() -> runtime.resume(run.dagId(), run.runId())));
        List<String> lostToTheCrash = runtime.taskInstances(run.dagId(), run.runId()).stream()
                .filter(t -> t.state() == TaskState.FAILED
                        && t.error().filter(e -> e.contains(DagRuntime.INTERRUPTED_BY_CRASH)).isPresent())
                .map(TaskInstance::label).toList();
        if (!lostToTheCrash.isEmpty()) {
            dagctl.out().println(String.join(", ", lostToTheCrash) + ": the try the crash interrupted counts as a try"
                    + " (as in Airflow), and no tries were left; run the failed tasks again with: dagctl clear "
                    + run.runId() + " --failed");
        }
        return exitCode;
    }
}
