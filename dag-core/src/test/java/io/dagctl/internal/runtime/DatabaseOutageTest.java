package io.dagctl.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.RunState;
import io.dagctl.TaskState;
import io.dagctl.embedded.LocalPostgres;
import io.dagctl.internal.discovery.DagDiscovery;
import io.dagctl.spec.DagSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three worker JVMs and a scheduler JVM share a PostgreSQL that the test stops for 1 s, for 10 s and for 60 s, and
 * whose backends it terminates, each time under a running DAG of 200 tasks: every process rides through, the runs
 * succeed at their first tries, every body runs exactly once, and each process is back at the first connection that
 * works.
 */
@Timeout(480)
class DatabaseOutageTest {
    private static final int TASKS = WorkerProcess.TwoHundred.MAPPED + 1;
    /** The longest stop. */
    private static final Duration LONGEST_OUTAGE = Duration.ofSeconds(60);
    /**
     * What a process may take beyond the longest fault to say it is back: one backoff (at most a heartbeat period, or
     * the scheduler's 100 ms) and a loaded machine's scheduling.
     */
    private static final double SECONDS_TO_RECONNECT = 6;
    /**
     * The longest fault as it happened: a restart's sleep plus the server's own stop and start, which its shutdown
     * checkpoint can stretch by many seconds on a loaded machine.
     */
    private double longestFaultSeconds;

    @TempDir
    Path home;
    LocalPostgres postgres;
    String dbUri;
    DagSpec dag = DagDiscovery.load(WorkerProcess.TwoHundred.class);
    DagRuntime trigger;
    final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void startProcesses() throws IOException {
        postgres = LocalPostgres.startEphemeral();
        dbUri = postgres.createDatabase("outage");
        trigger = WorkerProcess.runtime(dbUri, home, ExecutionMode.WORKERS, 1, List.of(dag));
        for (int i = 0; i < 3; i++) {
            processes.add(WorkerProcess.startTwoHundred(dbUri, home, "worker", i));
        }
        processes.add(WorkerProcess.startTwoHundred(dbUri, home, "scheduler", 0));
    }

    @AfterEach
    void stopProcesses() throws Exception {
        for (String output : List.of("worker-0", "worker-1", "worker-2", "scheduler-0")) {
            System.out.println("==== " + output + "\n" + Files.readString(home.resolve(output + ".out")).lines()
                    .limit(60).collect(Collectors.joining("\n")));
        }
        for (Process process : processes) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        trigger.close();
        postgres.close();
    }

    @Test
    void workersAndTheSchedulerRideThroughDatabaseRestartsAndTerminatedBackendsRunningEveryBodyOnce()
            throws Exception {
        check("PostgreSQL stopped 1 s", runThrough("down_1s", () -> postgres.restart(Duration.ofSeconds(1))));
        check("PostgreSQL stopped 10 s", runThrough("down_10s", () -> postgres.restart(Duration.ofSeconds(10))));
        check("PostgreSQL stopped 60 s", runThrough("down_60s", () -> postgres.restart(LONGEST_OUTAGE)));
        check("PostgreSQL backends terminated", runThrough("backends_terminated", this::terminateBackends));

        for (Process process : processes) {
            assertThat(process.isAlive()).as("process %d is alive", process.pid()).isTrue();
        }
        for (String output : List.of("worker-0", "worker-1", "worker-2", "scheduler-0")) {
            String log = Files.readString(home.resolve(output + ".out"));
            long gone = log.lines().filter(l -> l.contains("lost the metadata database")).count();
            List<Double> outages = log.lines().filter(l -> l.contains("reached the metadata database again after"))
                    .map(l -> Double.parseDouble(l.replaceAll(".* again after ([0-9.]+) s$", "$1"))).toList();
            assertThat(gone).as(output + ": one line per outage").isGreaterThanOrEqualTo(3).isEqualTo(outages.size());
            // Back at the first connection that works: no outage seen lasts much longer than the server was down,
            // and the 60 s one was seen whole.
            assertThat(outages).as(output).allSatisfy(seconds -> assertThat(seconds)
                    .isLessThan(longestFaultSeconds + SECONDS_TO_RECONNECT))
                    .anySatisfy(seconds -> assertThat(seconds).isGreaterThan(LONGEST_OUTAGE.toSeconds() - 1.0));
            assertThat(log).as(output).doesNotContain("was given up as a zombie");
        }
    }

    /** Adds the run's row to the summary, then checks it lost nothing, ran every body once and never retried. */
    private void check(String fault, RunResult result) throws IOException {
        Map<String, Long> starts = bodies(result.runId(), "start");
        Map<String, Long> dones = bodies(result.runId(), "done");
        int lost = (int) result.tasks().stream().filter(t -> t.state() != TaskState.SUCCESS
                || !dones.containsKey(Integer.toString(t.mapIndex()))).count();
        int duplicated = (int) starts.values().stream().filter(count -> count > 1).count();
        FaultSummary.row(fault + "; 3 workers, 1 scheduler, " + TASKS + " tasks", 1, 0, lost, duplicated);
        assertThat(lost).as("task ends lost in %s", result.runId()).isZero();
        assertThat(duplicated).as("bodies run twice in %s", result.runId()).isZero();
        assertThat(result.state()).as(result.runId()).isEqualTo(RunState.SUCCESS);
        assertThat(result.tasks()).hasSize(TASKS).allSatisfy(t -> assertThat(t.tryNumber())
                .as("%s in %s never failed nor given up", t.label(), result.runId()).isEqualTo(1));
    }

    private interface Fault {
        void inject() throws Exception;
    }

    /** Triggers a run, injects the fault once 30 bodies are done, and returns the run once it has ended. */
    private RunResult runThrough(String runId, Fault fault) throws Exception {
        trigger.trigger(dag, RunRequest.manual().withRunId(runId).withParams(Map.of("pauseMillis", "400")));
        Instant deadline = Instant.now().plusSeconds(120);
        while (count(runId, "done") < 30) {
            assertThat(Instant.now()).as("30 bodies of %s done in time", runId).isBefore(deadline);
            Thread.sleep(20);
        }
        // Following the run is what dagctl trigger does with workers: it waits through the outage too.
        CompletableFuture<RunResult> followed = CompletableFuture.supplyAsync(() -> trigger.follow("two_hundred",
                runId));
        long faultStarted = System.nanoTime();
        fault.inject();
        longestFaultSeconds = Math.max(longestFaultSeconds, (System.nanoTime() - faultStarted) / 1e9);
        int doneAtRecovery = count(runId, "done");

        // Bounded recovery: the rest of the run, about 8 s of bodies, ends well within this once the server is back.
        RunResult result = followed.get(90, TimeUnit.SECONDS);

        assertThat(doneAtRecovery).as("the fault hit %s mid-run", runId).isLessThan(TASKS);
        return result;
    }

    /** Map index → how many times a body of the run wrote {@code event}. */
    private Map<String, Long> bodies(String runId, String event) throws IOException {
        return WorkerProcess.fileRecords(home, runId).stream().filter(r -> r[3].equals(event))
                .collect(Collectors.groupingBy(r -> r[2], Collectors.counting()));
    }

    private int count(String runId, String event) throws IOException {
        return (int) WorkerProcess.fileRecords(home, runId).stream().filter(r -> r[3].equals(event)).count();
    }

    /** Ends every session of the workers and the scheduler, as an operator's pg_terminate_backend does. */
    private void terminateBackends() throws Exception {
        try (Connection connection = postgres.connect("outage"); Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE datname = 'outage' AND pid <> pg_backend_pid()");
        }
    }
}
