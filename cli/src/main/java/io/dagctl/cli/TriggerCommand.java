package io.dagctl.cli;

import io.dagctl.internal.runtime.DagRuntime;
import io.dagctl.internal.runtime.ExecutionMode;
import io.dagctl.internal.runtime.StopSignals;
import io.dagctl.ops.Operations;
import io.dagctl.ops.ShellWords;
import io.dagctl.spec.DagSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "trigger", description = "Creates a manual run of a DAG and executes it, showing task states as they change.")
final class TriggerCommand implements Callable<Integer> {
    @ParentCommand
    private Dagctl dagctl;

    @Parameters(paramLabel = "DAG", description = "The DAG id.")
    private String dagId;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "A run parameter; repeatable.")
    private Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--run-id", paramLabel = "ID", description = "The run id; manual__<time> by default.")
    private Optional<String> runId;

    @Mixin
    private RunOptions options;

    @Override
    public Integer call() {
        // The catalog says why a DAG did not load; then the run id and the params are refused, if they are, before
        // anything, the metadata database included, is opened. Other DAGs' classes are left alone: neither their
        // static initializers nor the reading of their tasks are this run's to pay for.
        DagSpec dag = dagctl.catalogOf(dagId).get(dagId);
        Operations operations = dagctl.operations();
        String id = operations.trigger(new Operations.TriggerRequest(dag.id(), params, runId)).runId();
        DagRuntime runtime = dagctl.runtime();
        dagctl.out().println("created run " + id + " of DAG " + dag.id());
        if (!options.wait) {
            dagctl.out().println(runtime.mode() == ExecutionMode.WORKERS
                    ? "the workers execute it; follow it with: dagctl status " + ShellWords.quote(id)
                    : "execute it with: dagctl resume " + ShellWords.quote(id));
            return ExitCodes.OK;
        }
        // Runs of other processes that died are the user's to resume, not a side effect of starting this one.
        for (Operations.Run interrupted : operations.interruptedRuns()) {
            dagctl.out().println("run " + interrupted.runId() + " of DAG " + interrupted.dagId() + " was interrupted "
                    + "and is left as it is; resume it with: dagctl resume " + ShellWords.quote(interrupted.runId())
                    + " (a running dagctl scheduler resumes it too)");
        }
        boolean local = runtime.mode() == ExecutionMode.LOCAL;
        // Ctrl-C (or SIGTERM) here, while the embedded services start too: start no more tries, let the running ones
        // end and be recorded; the run stays resumable. On workers the run goes on without this process, which the
        // JVM then simply ends.
        AtomicBoolean stopped = new AtomicBoolean();
        int exitCode;
        try (StopSignals signals = !local ? null : StopSignals.on(signal -> {
            if (stopped.compareAndSet(false, true)) {
                runtime.stopStarting();
                dagctl.err().println("dagctl: stopping: no more tasks start; waiting for the running tries to end"
                        + " (kill -9 leaves them to dagctl resume, which counts them as failed tries)");
            }
        })) {
            if (local) {
                dagctl.startServicesFor(dag);
            }
            exitCode = new RunWatcher(runtime, dagctl.out(), dag, true).follow(dag.id(), id, runtime.submit(dag.id(), id));
        }
        if (stopped.get()) {
            return ExitCodes.STOPPED;
        }
        return exitCode;
    }
}
