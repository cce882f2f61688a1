package io.dagctl.cli;

import io.dagctl.Connections;
import io.dagctl.hooks.kafka.KafkaRecordSource;
import io.dagctl.internal.runtime.DagRuntime;
import io.dagctl.internal.schedule.Scheduler;
import io.dagctl.internal.schedule.SchedulerStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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
        NumericOptions.requirePositive("--every", every);
        DagRuntime runtime = dagctl.runtime();
        CountDownLatch ended = new CountDownLatch(1);
        dagctl.localServices().createWatchedBuckets(dagctl.catalog().all(),
                Connections.fromEnvironment(dagctl.environment().variables()));
        try (SchedulerStore store = SchedulerStore.open(runtime.store().location());
             S3ObjectSource objects = new S3ObjectSource(dagctl.connections());
             KafkaRecordSource records = new KafkaRecordSource(dagctl.connections())) {
            Scheduler scheduler = new Scheduler(runtime, store, dagctl.catalog().all(), Clock.systemUTC(), objects,
                    records, Scheduler.pausedAtCreation(dagctl.environment().variables()));
            Thread onSignal = new Thread(() -> {
                scheduler.stop();
                awaitQuietly(ended);
            }, "dagctl-scheduler-stop");
            Runtime.getRuntime().addShutdownHook(onSignal);
            int resumed = runtime.resumeInterrupted().size();
            dagctl.out().println("scheduler started: " + dagctl.catalog().all().size() + " DAG(s), " + resumed
                    + " interrupted run(s) resumed; stop with SIGTERM or Ctrl-C");
            try {
                scheduler.runUntilStopped(every, grace);
            } finally {
                ended.countDown();
                removeHook(onSignal);
            }
            dagctl.out().println("scheduler stopped");
        }
        return ExitCodes.OK;
    }

    private static void awaitQuietly(CountDownLatch ended) {
        try {
            ended.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is running
        }
    }
}
