package io.dagctl.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.RunState;
import io.dagctl.TaskState;
import io.dagctl.embedded.testing.SharedPostgres;
import io.dagctl.internal.store.DagRun;
import io.dagctl.internal.store.TaskInstance;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
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
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Two scheduler JVMs and three worker JVMs share a PostgreSQL database: they run a DAG of 1,000 task instances and
 * the scheduled runs of three DAGs (caught-up hourly and daily schedules, one mapping, and a DAG triggered by the
 * daily one's runs), every body exactly once, though one scheduler is killed with {@code kill -9} while the
 * scheduled runs catch up; then one worker is killed with {@code kill -9} mid-run, its tries are given up as zombies
 * and finished by the others, and no task that had succeeded runs again.
 */
@Timeout(360)
class SchedulersAndWorkersTest {
    @TempDir
    Path home;
    String dbUri;
    PGSimpleDataSource sideEffects;
    final List<Process> workers = new ArrayList<>();
    final List<Process> schedulers = new ArrayList<>();

    @BeforeEach
    void startProcesses() throws Exception {
        dbUri = SharedPostgres.freshDatabase("processes");
        sideEffects = WorkerProcess.dataSource(dbUri);
        try (DagRuntime migrate = WorkerProcess.runtime(dbUri, home, ExecutionMode.WORKERS, 1);
                Connection connection = sideEffects.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(WorkerProcess.SIDE_EFFECTS_TABLE);
        }
        for (int i = 0; i < 3; i++) {
            workers.add(start("worker", i));
        }
        for (int i = 0; i < 2; i++) {
            schedulers.add(start("scheduler", i));
        }
    }

    private Process start(String role, int index) throws IOException {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), WorkerProcess.class.getName(), dbUri, home.toString(),
                role)
                .redirectErrorStream(true)
                .redirectOutput(home.resolve(role + "-" + index + ".out").toFile())
                .start();
    }

    @AfterEach
    void stopProcesses() throws InterruptedException {
        for (Process process : concat(workers, schedulers)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static List<Process> concat(List<Process> first, List<Process> second) {
        List<Process> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    @Test
    void runsEveryTaskBodyOnceAndFinishesTheTriesOfAKilledWorkerElsewhere() throws Exception {
        try (DagRuntime scheduler = WorkerProcess.runtime(dbUri, home, ExecutionMode.WORKERS, 1)) {
            String first = scheduler.trigger(WorkerProcess.spec(), RunRequest.manual().withRunId("all_at_once"));
            int hourlyEndedAtKill = killSchedulerOnceHourlyRunsEnded(scheduler, 1);
            RunResult result = awaitEnd(scheduler, "thousand", first);
            assertThat(result.state()).isEqualTo(RunState.SUCCESS);
            assertThat(result.tasks()).hasSize(1000).extracting(TaskInstance::state).containsOnly(TaskState.SUCCESS);
            Map<String, Integer> events = eventCounts(first);
            assertThat(events).hasSize(2000).allSatisfy((event, count) -> assertThat(count).as(event).isEqualTo(1));
            assertThat(pids(first)).as("every worker took tasks").hasSize(3);

            List<DagRun> hourly = awaitRuns(scheduler, "hourly_report", 25);
            List<DagRun> daily = awaitRuns(scheduler, "daily_rollup", 10);
            List<DagRun> published = awaitRuns(scheduler, "publish_rollup", 10);
            assertThat(hourly).extracting(DagRun::runId).first().isEqualTo("scheduled__2026-01-01T00:00:00+00:00");
            assertThat(hourly).extracting(DagRun::runId).last().isEqualTo("scheduled__2026-01-02T00:00:00+00:00");
            assertThat(daily).extracting(DagRun::runId).last().isEqualTo("scheduled__2026-01-10T00:00:00+00:00");
            assertThat(published).extracting(DagRun::runId)
                    .contains("dag_triggered__daily_rollup__scheduled__2026-01-05T00:00:00+00:00");
            assertThat(bodies("hourly_report")).hasSize(50).allSatisfy((body, count) -> assertThat(count).as(body)
                    .isEqualTo(1));
            assertThat(bodies("daily_rollup")).hasSize(50).allSatisfy((body, count) -> assertThat(count).as(body)
                    .isEqualTo(1));
            assertThat(bodies("publish_rollup")).hasSize(10).allSatisfy((body, count) -> assertThat(count).as(body)
                    .isEqualTo(1));
            assertThat(mostAtOnce(hourly)).as("hourly_report runs at once").isBetween(1, 4);
            assertThat(hourlyEndedAtKill).as("hourly runs ended when the scheduler was killed").isLessThan(25);
            assertThat(schedulers.get(1).isAlive()).as("the other scheduler is alive").isTrue();
            Map<String, Integer> scheduledBodies = new HashMap<>(bodies("hourly_report"));
            scheduledBodies.putAll(bodies("daily_rollup"));
            scheduledBodies.putAll(bodies("publish_rollup"));
            FaultSummary.row("kill -9 of one of 2 schedulers while 45 scheduled and triggered runs catch up; 3 workers",
                    1, 1, 110 - scheduledBodies.size(), (int) scheduledBodies.values().stream()
                            .filter(count -> count > 1).count());
            assertThat(mostAtOnce(daily)).as("daily_rollup runs at once").isBetween(1, 2);

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

            RunResult afterKill = awaitEnd(scheduler, "thousand", second);

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
            FaultSummary.row("kill -9 of one of 3 workers mid-run; 2 schedulers, 1,000 tasks", 1, 1,
                    (int) afterKill.tasks().stream().filter(t -> t.state() != TaskState.SUCCESS
                            || counts.getOrDefault(t.mapIndex() + " done", 0) == 0).count(),
                    // A try the kill caught may have run its body to the end without its end being recorded.
                    (int) afterKill.tasks().stream().filter(t -> counts.getOrDefault(t.mapIndex() + " start", 0)
                            > (runningOnKilled.contains(t.mapIndex()) ? 2 : 1)).count());
        }
    }

    /**
     * Kills the first scheduler with {@code kill -9} once {@code ended} hourly runs have ended, and returns how many
     * had ended then. They share the workers with the 1,000 tasks of the first run: on a loaded machine that takes
     * minutes.
     */
    private int killSchedulerOnceHourlyRunsEnded(DagRuntime scheduler, int ended) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(180);
        int endedAtKill;
        while ((endedAtKill = (int) scheduler.runs(Optional.of("hourly_report"), 1000).stream()
                .filter(r -> r.state().isFinished()).count()) < ended) {
            assertThat(Instant.now()).as("%d hourly runs ended in time", ended).isBefore(deadline);
            Thread.sleep(20);
        }
        Process killed = schedulers.get(0);
        killed.destroyForcibly();
        assertThat(killed.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return endedAtKill;
    }

    private RunResult awaitEnd(DagRuntime scheduler, String dagId, String runId) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(90);
        while (Instant.now().isBefore(deadline)) {
            DagRun run = scheduler.findRun(dagId, runId).orElseThrow();
            if (run.state().isFinished()) {
                return new RunResult(run, scheduler.taskInstances(dagId, runId));
            }
            Thread.sleep(50);
        }
        Map<TaskState, Long> states = scheduler.taskInstances(dagId, runId).stream()
                .collect(Collectors.groupingBy(TaskInstance::state, Collectors.counting()));
        throw new AssertionError("run " + runId + " of " + dagId + " did not end within 90 s; task states: " + states
                + "; process output in " + home);
    }

    /** Waits for {@code count} successful runs of a DAG, and checks there are no more; oldest first. */
    private List<DagRun> awaitRuns(DagRuntime scheduler, String dagId, int count) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(90);
        List<DagRun> runs = List.of();
        while (Instant.now().isBefore(deadline)) {
            runs = scheduler.runs(Optional.of(dagId), 1000);
            if (runs.size() >= count && runs.stream().allMatch(r -> r.state().isFinished())) {
                assertThat(runs).as("runs of " + dagId).hasSize(count)
                        .allSatisfy(r -> assertThat(r.state()).as(r.runId()).isEqualTo(RunState.SUCCESS));
                return runs.stream().sorted(Comparator.comparing(DagRun::logicalDate)).toList();
            }
            Thread.sleep(100);
        }
        throw new AssertionError(dagId + " did not get " + count + " finished runs within 90 s: " + runs.stream()
                .map(r -> r.runId() + "=" + r.state().label()).toList() + "; process output in " + home);
    }

    /** The most runs that were running at the same moment. */
    private static int mostAtOnce(List<DagRun> runs) {
        int most = 0;
        for (DagRun run : runs) {
            Instant at = run.startedAt().orElseThrow();
            int running = (int) runs.stream().filter(r -> !r.startedAt().orElseThrow().isAfter(at)
                    && r.endedAt().orElseThrow().isAfter(at)).count();
            most = Math.max(most, running);
        }
        return most;
    }

    /** "run task[index]" → how many times its body ran, for every body of a DAG that ran. */
    private Map<String, Integer> bodies(String dagId) throws SQLException {
        Map<String, Integer> counts = new HashMap<>();
        query("SELECT run_id, task_id, map_index, COUNT(*) FROM side_effect WHERE dag_id = '" + dagId
                + "' GROUP BY run_id, task_id, map_index", rs -> counts.put(rs.getString(1) + " " + rs.getString(2)
                + "[" + rs.getInt(3) + "]", rs.getInt(4)));
        return counts;
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
