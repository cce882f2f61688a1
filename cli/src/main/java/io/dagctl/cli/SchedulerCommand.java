package io.dagctl.cli;

import io.dagctl.Connections;
import io.dagctl.hooks.kafka.KafkaRecordSource;
import io.dagctl.internal.runtime.DagRuntime;
import io.dagctl.internal.runtime.StopSignals;
import io.dagctl.internal.schedule.Scheduler;
import io.dagctl.internal.schedule.SchedulerStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "scheduler", description = {
        "Runs until stopped: creates the runs of scheduled DAGs once their data interval has ended, runs DAGs "
                + "scheduled on assets, triggered by other DAGs' runs or by new S3 objects, and executes them here.",
        "Stop it with SIGTERM or Ctrl-C: it stops creating runs and lets running tries finish for --grace; runs "
                + "still going after that are resumed by the next scheduler.",
        "New DAGs start unpaused unless DAGCTL_DAGS_PAUSED_AT_CREATION=true."})
final class SchedulerCommand implements Callable<Integer> {
    @ParentCommand
    private Dagctl dagctl;

    @Option(names = "--every", paramLabel = "DURATION", defaultValue = "PT5S",
            description = "How often to look for work, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration every;

    @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "PT30S",
            description = "How long a stop waits for running runs, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration grace;

    SchedulerCommand() {
    }

    /** The scheduler of {@code dagctl standalone}. */
    SchedulerCommand(Dagctl dagctl, Duration every, Duration grace) {
        this.dagctl = dagctl;
        this.every = every;
        this.grace = grace;
    }

    @Override
    public Integer call() {
        return call(() -> { });
    }

    /**
     * Runs the scheduler until Ctrl-C or SIGTERM, on which it also runs {@code onStop} (once), and exits 0 when the
     * stop is done: the signals are taken from the JVM, whose shutdown hooks would close H2 under running tries and
     * end the process with 143.
     */
    int call(Runnable onStop) {
        NumericOptions.requirePositive("--every", every);
        DagRuntime runtime = dagctl.runtime();
        dagctl.localServices().createWatchedBuckets(dagctl.catalog().all(),
                Connections.fromEnvironment(dagctl.environment().variables()));
        try (SchedulerStore store = SchedulerStore.open(runtime.store().location());
             S3ObjectSource objects = new S3ObjectSource(dagctl.connections());
             KafkaRecordSource records = new KafkaRecordSource(dagctl.connections())) {
            Scheduler scheduler = new Scheduler(runtime, store, dagctl.catalog().all(), Clock.systemUTC(), objects,
                    records, Scheduler.pausedAtCreation(dagctl.environment().variables()));
            AtomicBoolean stopping = new AtomicBoolean();
            try (StopSignals signals = StopSignals.on(signal -> {
                if (stopping.compareAndSet(false, true)) {
                    scheduler.stop();
                    onStop.run();
                }
            })) {
                int resumed = runtime.resumeInterrupted().size();
                dagctl.out().println("scheduler started: " + dagctl.catalog().all().size() + " DAG(s), " + resumed
                        + " interrupted run(s) resumed; stop with SIGTERM or Ctrl-C");
                dagctl.out().flush();
                scheduler.runUntilStopped(every, grace);
            }
            dagctl.out().println("scheduler stopped");
        }
        return ExitCodes.OK;
    }
}
