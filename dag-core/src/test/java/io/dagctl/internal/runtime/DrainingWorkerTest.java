package io.dagctl.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.RunState;
import io.dagctl.TaskState;
import io.dagctl.embedded.testing.SharedPostgres;
import io.dagctl.internal.discovery.DagDiscovery;
import io.dagctl.internal.store.TaskInstance;
import io.dagctl.spec.DagSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three worker JVMs run 24 tries of 6 s; one of them gets SIGTERM while it runs four. Draining, it claims nothing
 * new, keeps heartbeating, records its tries' ends and exits 0; a second SIGTERM, or its grace period ending, instead
 * fails its tries as interrupted, and the other workers retry them at once. Every process's zombie timeout is ten
 * minutes, longer than the test may take: a try left to the zombie check would fail the test by its timeout.
 */
@Timeout(180)
class DrainingWorkerTest {
    private static final int ITEMS = 24;
    private static final Duration PAUSE = Duration.ofSeconds(6);
    private static final Duration ZOMBIE_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration GRACE = Duration.ofSeconds(2);

    @TempDir
    Path home;
    String dbUri;
    DagSpec dag = DagDiscovery.load(WorkerProcess.TwoHundred.class);
    DagRuntime trigger;
    final List<Process> workers = new ArrayList<>();

    @BeforeEach
    void openDatabase() {
        dbUri = SharedPostgres.freshDatabase("draining");
        trigger = WorkerProcess.runtime(dbUri, home, ExecutionMode.WORKERS, 1, List.of(dag), ZOMBIE_TIMEOUT);
    }

    /** Starts three workers; the first, the one the tests stop, with {@code grace}. */
    private void startWorkers(Optional<Duration> grace) throws IOException {
        for (int i = 0; i < 3; i++) {
            workers.add(WorkerProcess.startTwoHundred(dbUri, home, "worker", i, ZOMBIE_TIMEOUT,
                    i == 0 ? grace : Optional.empty()));
        }
    }

    @AfterEach
    void stopWorkers() throws InterruptedException {
        for (Process worker : workers) {
            worker.destroyForcibly();
            worker.waitFor(10, TimeUnit.SECONDS);
        }
        trigger.close();
    }

    @Test
    void aWorkerStoppedWithSigtermFinishesItsRunningTriesAndExitsZeroWithoutClaimingMore() throws Exception {
        startWorkers(Optional.empty());
        String runId = trigger.trigger(dag, RunRequest.manual().withRunId("drained").withParams(params()));
        Process stopped = workers.get(0);
        awaitFourRunningOn(stopped, runId);
        long startsAtSignal = startsOn(stopped, runId);

        Instant signalled = Instant.now();
        signal(stopped);

        assertThat(stopped.waitFor(PAUSE.toSeconds() + 10, TimeUnit.SECONDS)).as("exited in time").isTrue();
        Duration toExit = Duration.between(signalled, Instant.now());
        assertThat(stopped.exitValue()).isZero();
        assertThat(toExit).as("exited within its tries' remaining time").isLessThan(PAUSE.plusSeconds(5));
        RunResult result = trigger.follow("two_hundred", runId);
        assertThat(result.state()).isEqualTo(RunState.SUCCESS);
        assertThat(result.tasks()).allSatisfy(t -> assertThat(t.tryNumber()).as(t.label()).isEqualTo(1));
        assertThat(startsOn(stopped, runId)).as("tries the stopped worker started").isEqualTo(startsAtSignal);
        Map<String, Long> events = bodyEvents(runId);
        FaultSummary.row("SIGTERM of one of 3 workers running 4 tries of 6 s (drained)", 1, 1,
                (int) (ITEMS + 1 - events.keySet().stream().filter(e -> e.endsWith(" done")).count()),
                (int) events.values().stream().filter(count -> count > 1).count());
        assertThat(events).hasSize(2 * (ITEMS + 1))
                .allSatisfy((event, count) -> assertThat(count).as(event).isEqualTo(1));
        assertThat(workers.get(1).isAlive()).isTrue();
        assertThat(workers.get(2).isAlive()).isTrue();
    }

    @Test
    void aSecondSigtermFailsTheRunningTriesAsInterruptedAndTheOtherWorkersRetryThemAtOnce() throws Exception {
        startWorkers(Optional.empty());
        String runId = trigger.trigger(dag, RunRequest.manual().withRunId("interrupted").withParams(params()));
        Process stopped = workers.get(0);
        Set<String> interrupted = awaitFourRunningOn(stopped, runId);

        signal(stopped);
        Thread.sleep(200);
        signal(stopped);

        assertThat(stopped.waitFor(5, TimeUnit.SECONDS)).as("exited at once").isTrue();
        assertRetriedElsewhere("second SIGTERM to one of 3 workers running 4 tries of 6 s (zombie timeout 10 min)",
                stopped, runId, interrupted);
    }

    @Test
    void aDrainingWorkerWhoseGraceEndsFailsItsRunningTriesAsInterruptedAndTheOtherWorkersRetryThemAtOnce()
            throws Exception {
        startWorkers(Optional.of(GRACE));
        String runId = trigger.trigger(dag, RunRequest.manual().withRunId("grace_ended").withParams(params()));
        Process stopped = workers.get(0);
        Set<String> interrupted = awaitFourRunningOn(stopped, runId);

        signal(stopped);

        assertThat(stopped.waitFor(PAUSE.toSeconds() + 10, TimeUnit.SECONDS)).as("exited in time").isTrue();
        assertThat(Files.readString(home.resolve("worker-0.out")))
                .contains("the grace period of 2 s ended, interrupting the tries still running");
        assertRetriedElsewhere("SIGTERM to one of 3 workers running 4 tries of 6 s, --grace PT2S ending (zombie"
                + " timeout 10 min)", stopped, runId, interrupted);
    }

    /**
     * Checks that the stopped worker exited 0 without ending the interrupted tries, that each was retried once by
     * another worker and the run succeeded, and adds the trial's row to the summary.
     */
    private void assertRetriedElsewhere(String fault, Process stopped, String runId, Set<String> interrupted)
            throws IOException {
        assertThat(stopped.exitValue()).isZero();
        RunResult result = trigger.follow("two_hundred", runId);
        Map<String, Long> events = bodyEvents(runId);
        FaultSummary.row(fault, 1, 1,
                (int) (ITEMS + 1 - events.keySet().stream().filter(e -> e.endsWith(" done")).count()),
                (int) events.entrySet().stream().filter(e -> e.getValue() > (e.getKey().endsWith(" start")
                        && interrupted.contains(e.getKey().split(" ")[0]) ? 2 : 1)).count());
        assertThat(result.state()).isEqualTo(RunState.SUCCESS);
        for (TaskInstance task : result.tasks()) {
            boolean wasInterrupted = task.taskId().equals("work") && interrupted.contains(
                    Integer.toString(task.mapIndex()));
            assertThat(task.tryNumber()).as(task.label()).isEqualTo(wasInterrupted ? 2 : 1);
            assertThat(task.state()).as(task.label()).isEqualTo(TaskState.SUCCESS);
            if (wasInterrupted) {
                assertThat(task.pid()).as("%s retried elsewhere", task.label())
                        .isNotEqualTo(Optional.of((int) stopped.pid()));
            }
        }
        assertThat(interrupted).hasSize(4);
        assertThat(WorkerProcess.fileRecords(home, runId).stream().filter(r -> r[4].equals(
                Long.toString(stopped.pid())) && r[3].equals("done") && interrupted.contains(r[2])))
                .as("interrupted tries the stopped worker ended").isEmpty();
    }

    private static Map<String, String> params() {
        return Map.of("items", Integer.toString(ITEMS), "pauseMillis", Long.toString(PAUSE.toMillis()));
    }

    /** Waits until the worker runs four mapped tries, as many as its threads, and returns their map indexes. */
    private Set<String> awaitFourRunningOn(Process worker, String runId) throws Exception {
        Instant deadline = Instant.now().plusSeconds(90);
        while (true) {
            Set<String> running = WorkerProcess.fileRecords(home, runId).stream()
                    .filter(r -> r[4].equals(Long.toString(worker.pid())) && !r[2].equals("-1")
                            && r[3].equals("start"))
                    .map(r -> r[2]).collect(Collectors.toSet());
            if (running.size() >= 4) {
                return running;
            }
            assertThat(Instant.now()).as("four tries running on the worker in time").isBefore(deadline);
            Thread.sleep(20);
        }
    }

    private long startsOn(Process worker, String runId) throws IOException {
        return WorkerProcess.fileRecords(home, runId).stream()
                .filter(r -> r[4].equals(Long.toString(worker.pid())) && r[3].equals("start")).count();
    }

    /** "index event" → how many times a body of the run wrote it. */
    private Map<String, Long> bodyEvents(String runId) throws IOException {
        return WorkerProcess.fileRecords(home, runId).stream()
                .collect(Collectors.groupingBy(r -> r[2] + " " + r[3], Collectors.counting()));
    }

    private static void signal(Process process) throws Exception {
        new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).inheritIO().start().waitFor();
    }
}
