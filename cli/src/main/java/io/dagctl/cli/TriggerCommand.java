package io.dagctl.cli;

import io.dagctl.internal.runtime.DagRuntime;
import io.dagctl.internal.runtime.ExecutionMode;
import io.dagctl.internal.runtime.RunRequest;
import io.dagctl.internal.runtime.RunResult;
import io.dagctl.spec.DagSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
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
        DagSpec dag = dagctl.catalog().get(dagId);
        dag.params().bind(params);
        dagctl.connections();
        DagRuntime runtime = dagctl.runtime();
        RunRequest request = RunRequest.manual().withParams(params);
        String id = runtime.trigger(dag, runId.map(request::withRunId).orElse(request));
        dagctl.out().println("created run " + id + " of DAG " + dag.id());
        if (!options.wait) {
            dagctl.out().println(runtime.mode() == ExecutionMode.WORKERS
                    ? "the workers execute it; follow it with: dagctl status " + id
                    : "execute it with: dagctl resume " + id);
            return ExitCodes.OK;
        }
        // As any runtime that starts does, take over the runs a killed process left behind.
        List<CompletableFuture<RunResult>> interrupted = runtime.resumeInterrupted();
        if (!interrupted.isEmpty()) {
            dagctl.out().println("resuming " + interrupted.size() + " interrupted run(s) alongside it");
        }
        int exitCode = new RunWatcher(runtime, dagctl.out(), dag, true).follow(dag.id(), id, runtime.submit(dag.id(), id));
        for (CompletableFuture<RunResult> resumed : interrupted) {
            RunResult result = DagRuntime.await(resumed);
            dagctl.out().println("resumed interrupted run " + result.runId() + " of DAG " + result.run().dagId() + ": "
                    + result.state().label());
        }
        return exitCode;
    }
}
