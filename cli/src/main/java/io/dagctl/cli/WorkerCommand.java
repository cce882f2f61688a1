package io.dagctl.cli;

import io.dagctl.internal.runtime.DagRuntime;
import io.dagctl.internal.runtime.Worker;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "worker", description = {
        "Runs until stopped: takes queued tasks of the DAGs it knows from the PostgreSQL metadata database "
                + "(DAGCTL_DB_URL) and runs DAGCTL_PARALLELISM of them at once. Start any number, on any machine that "
                + "reaches the database and has the same DAGs.",
        "It also starts queued runs (within maxActiveRuns) and queues their tasks (within maxActiveTasks and the "
                + "pools). Runs reach the workers when triggered with DAGCTL_EXECUTOR=workers.",
        "A worker silent for DAGCTL_ZOMBIE_TIMEOUT seconds (default 30) has its tries failed and retried by the "
                + "others. Stop it with SIGTERM or Ctrl-C: it takes no new tasks and lets running tries finish."})
final class WorkerCommand implements Callable<Integer> {
    @ParentCommand
    private Dagctl dagctl;

    @Override
    public Integer call() {
        DagRuntime runtime = dagctl.runtime();
        Worker worker = runtime.worker();
        Thread onSignal = new Thread(worker::close, "dagctl-worker-stop");
        Runtime.getRuntime().addShutdownHook(onSignal);
        dagctl.out().println("worker " + worker.id() + " started: " + dagctl.catalog().all().size() + " DAG(s), "
                + runtime.parallelism() + " tasks at once, database " + runtime.store().location()
                + "; stop with SIGTERM or Ctrl-C");
        try {
            worker.run();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook is running
            }
        }
        dagctl.out().println("worker " + worker.id() + " stopped");
        return ExitCodes.OK;
    }
}
