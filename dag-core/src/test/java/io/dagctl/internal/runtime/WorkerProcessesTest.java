package io.dagctl.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.RunState;
import io.dagctl.TaskState;
import io.dagctl.embedded.testing.SharedPostgres;
import io.dagctl.internal.store.DagRun;
import io.dagctl.internal.store.TaskInstance;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Two worker JVMs share a run of 1,000 task instances on PostgreSQL: every body runs exactly once; then one worker
 * is killed with {@code kill -9} mid-run, its tries are given up as zombies and finished by the other, and no task
 * that had succeeded runs again.
 */
@Timeout(180)
class WorkerProcessesTest {
    @TempDir
    Path home;
    String dbUri;
    PGSimpleDataSource sideEffects;
    final List<Process> workers = new ArrayList<>();

    @BeforeEach
    void startWorkers() throws Exception {
        dbUri = SharedPostgres.freshDatabase("processes");
        sideEffects = WorkerProcess.dataSource(dbUri);
        try (DagRuntime migrate = WorkerProcess.runtime(dbUri, home, ExecutionMode.WORKERS, 1);
                Connection connection = sideEffects.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(WorkerProcess.SIDE_EFFECTS_TABLE);
        }
        for (int i = 0; i < 2; i++) {
            workers.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), WorkerProcess.class.getName(), dbUri,
                    home.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(home.resolve("worker-" + i + ".out").toFile())
                    .start());
        }
    }

    @AfterEach
    void stopWorkers() throws InterruptedException {
        for (Process worker : workers) {
            worker.destroyForcibly();
            worker.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void runsEveryTaskBodyOnceAndFinishesTheTriesOfAKilledWorkerElsewhere() throws Exception {
        try (DagRuntime scheduler = WorkerProcess.runtime(dbUri, home, ExecutionMode.WORKERS, 1)) {
            String first = scheduler.trigger(WorkerProcess.spec(), RunRequest.manual().withRunId("all_at_once"));
            RunResult result = awaitEnd(scheduler, first);
            assertThat(result.state()).isEqualTo(RunState.SUCCESS);
            assertThat(result.tasks()).hasSize(1000).extracting(TaskInstance::state).containsOnly(TaskState.SUCCESS);
            Map<String, Integer> events = eventCounts(first);
            assertThat(events).hasSize(2000).allSatisfy((event, count) -> assertThat(count).as(event).isEqualTo(1));
            assertThat(pids(first)).as("both workers took tasks").hasSize(2);

            String second = scheduler.trigger(WorkerProcess.spec(), RunRequest.manual().withRunId("one_killed")
                    .withParams(Map.of("pauseMillis", "25")));
            Instant deadline = Instant.now().plusSeconds(60);
            while (count(second, "done") < 300) {
                assertThat(Instant.now()).as("300 bodies done in time").isBefore(deadline);
                Thread.sleep(5);
            }
            Process killed = workers.get(0);
            killed.destroyForcibly();
            assertThat(killed.waitFor(10, TimeUnit.SECONDS)).isTrue();
            List<TaskInstance> atKill = scheduler.taskInstances("thousand", second);

            RunResult afterKill = awaitEnd(scheduler, second);

            assertThat(afterKill.state()).isEqualTo(RunState.SUCCESS);
            Map<String, Integer> counts = eventCounts(second);
            Set<Integer> succeededAtKill = atKill.stream().filter(t -> t.state() == TaskState.SUCCESS)
                    .map(TaskInstance::mapIndex).collect(Collectors.toSet());
            assertThat(succeededAtKill).hasSizeGreaterThan(250);
            for (int index : succeededAtKill) {
                assertThat(counts.get(index + " start")).as("task %d had succeeded before the kill", index)
                        .isEqualTo(1);
            }
            for (int index = -1; index < WorkerProcess.Thousand.MAPPED; index++) {
                assertThat(counts.getOrDefault(index + " done", 0)).as("task %d ran to its end", index)
                        .isGreaterThanOrEqualTo(1);
            }
            long pid = killed.pid();
            Set<Integer> runningOnKilled = atKill.stream()
                    .filter(t -> t.state() == TaskState.RUNNING && t.pid().orElse(0) == pid)
                    .map(TaskInstance::mapIndex).collect(Collectors.toSet());
            assertThat(runningOnKilled).as("tries the kill interrupted").isNotEmpty();
            for (TaskInstance task : afterKill.tasks()) {
                if (runningOnKilled.contains(task.mapIndex())) {
                    assertThat(task.tryNumber()).as("the zombie try counts").isEqualTo(2);
                    assertThat(task.pid()).as("finished by the other worker").isNotEqualTo(java.util.Optional.of((int) pid));
                }
            }
        }
    }

    private RunResult awaitEnd(DagRuntime scheduler, String runId) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(90);
        while (Instant.now().isBefore(deadline)) {
            DagRun run = scheduler.findRun("thousand", runId).orElseThrow();
            if (run.state().isFinished()) {
                return new RunResult(run, scheduler.taskInstances("thousand", runId));
            }
            Thread.sleep(50);
        }
        Map<TaskState, Long> states = scheduler.taskInstances("thousand", runId).stream()
                .collect(Collectors.groupingBy(TaskInstance::state, Collectors.counting()));
        throw new AssertionError("run " + runId + " did not end within 90 s; task states: " + states
                + "; worker output in " + home);
    }

    /** "index event" → how many rows. */
    private Map<String, Integer> eventCounts(String runId) throws SQLException {
        Map<String, Integer> counts = new HashMap<>();
        query("SELECT map_index, event, COUNT(*) FROM side_effect WHERE run_id = '" + runId
                + "' GROUP BY map_index, event", rs -> counts.put(rs.getInt(1) + " " + rs.getString(2), rs.getInt(3)));
        return counts;
    }

    private int count(String runId, String event) throws SQLException {
        int[] count = new int[1];
        query("SELECT COUNT(*) FROM side_effect WHERE run_id = '" + runId + "' AND event = '" + event + "'",
                rs -> count[0] = rs.getInt(1));
        return count[0];
    }

    private Set<Integer> pids(String runId) throws SQLException {
        Set<Integer> pids = new HashSet<>();
        query("SELECT DISTINCT pid FROM side_effect WHERE run_id = '" + runId + "'", rs -> pids.add(rs.getInt(1)));
        return pids;
    }

    private interface Row {
        void read(ResultSet rs) throws SQLException;
    }

    private void query(String sql, Row row) throws SQLException {
        try (Connection connection = sideEffects.getConnection(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                row.read(rs);
            }
        }
    }
}
