package io.dagctl.cli;

import io.dagctl.internal.runtime.DagRuntime;
import io.dagctl.internal.runtime.StopSignals;
import io.dagctl.internal.runtime.Worker;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "worker", description = {
        "Runs until stopped: takes queued tasks of the DAGs it knows from the PostgreSQL metadata database "
                + "(DAGCTL_DB_URL) and runs DAGCTL_PARALLELISM of them at once. Start any number, on any machine that "
                + "reaches the database and has the same DAGs.",
        "It also starts queued runs (within maxActiveRuns) and queues their tasks (within maxActiveTasks and the "
                + "pools). Runs reach the workers when triggered with DAGCTL_EXECUTOR=workers.",
        "A worker silent for DAGCTL_ZOMBIE_TIMEOUT seconds (default 30) has its tries failed and retried by the "
                + "others; workers heartbeat every third of it.",
        "Stop it with SIGTERM or Ctrl-C: it claims no new tries, keeps heartbeating for the running ones, and exits "
                + "once their ends are recorded. A second signal, or --grace ending, fails the tries still running as "
                + "interrupted, to be retried elsewhere at once."})
final class WorkerCommand implements Callable<Integer> {
    @ParentCommand
    private Dagctl dagctl;

    @Option(names = "--grace", paramLabel = "DURATION", description = "How long a stopping worker lets running tries "
            + "go on before it interrupts them, ISO-8601 (default: until they end).")
    Duration grace;

    @Override
    public Integer call() {
        DagRuntime runtime = dagctl.runtime();
        Worker worker = runtime.worker();
        StopSignals.drainOn(worker, Optional.ofNullable(grace));
        dagctl.out().println("worker " + worker.id() + " started: " + dagctl.catalog().all().size() + " DAG(s), "
                + runtime.parallelism() + " tasks at once, database " + runtime.store().location()
                + "; stop with SIGTERM or Ctrl-C");
        worker.run();
        dagctl.out().println("worker " + worker.id() + " stopped");
        return ExitCodes.OK;
    }
}
