package io.dagctl.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.Connections;
import io.dagctl.Dag;
import io.dagctl.RunState;
import io.dagctl.TaskState;
import io.dagctl.TriggerRule;
import io.dagctl.internal.logging.TaskLogs;
import io.dagctl.internal.runtime.DagRuntime;
import io.dagctl.internal.store.DagRun;
import io.dagctl.internal.store.MetadataStore;
import io.dagctl.internal.store.RunType;
import io.dagctl.internal.store.StoreLocation;
import io.dagctl.internal.store.TaskInstance;
import io.dagctl.ops.Operations;
import io.dagctl.spec.ArgumentSpec;
import io.dagctl.spec.DagSpec;
import io.dagctl.spec.ParamsSpec;
import io.dagctl.spec.RetryPolicy;
import io.dagctl.spec.TaskKind;
import io.dagctl.spec.TaskSpec;
import io.dagctl.spec.Triggers;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The number of SQL statements a page costs does not grow with the rows it shows: counted by H2 itself
 * ({@code INFORMATION_SCHEMA.QUERY_STATISTICS}), so every connection the webserver opens is counted.
 */
class QueryCountTest {
    private static final RetryPolicy NO_RETRIES = new RetryPolicy(0, Duration.ZERO, false, Duration.ZERO);
    private static final List<String> TASKS = List.of("extract", "transform", "load");

    @TempDir
    Path home;

    /** The task bodies of the generated DAGs; never run here. */
    public static final class Tasks {
        public int step() {
            return 0;
        }
    }

    @Test
    void theDagRunAndTaskPagesAndTheirStatesCostAsManyStatementsForTwentyFiveRunsAsForTwo() throws Exception {
        List<String> paths = List.of("/dags/dag_00", "/ui/states?dag_id=dag_00", "/api/v1/dags/dag_00",
                "/api/v1/dags/dag_00/dagRuns", "/runs?dag_id=dag_00", "/dags/dag_00/runs/run_0",
                "/ui/states?dag_id=dag_00&run_id=run_0", "/api/v1/dags/dag_00/dagRuns/run_0/taskInstances",
                "/dags/dag_00/runs/run_0/tasks/load");
        assertThat(statementsOf(paths, 2, 2)).isEqualTo(statementsOf(paths, 2, 25));
    }

    @Test
    void theDagListCostsAsManyStatementsForFiftyDagsAsForTwo() throws Exception {
        List<String> paths = List.of("/", "/ui/states", "/api/v1/dags", "/runs");
        assertThat(statementsOf(paths, 2, 3)).isEqualTo(statementsOf(paths, 50, 3));
    }

    @Test
    void theDagListsNextRunsCostAsManyStatementsForFiftyScheduledDagsAsForTwo() throws Exception {
        List<String> paths = List.of("/", "/ui/states");
        assertThat(statementsOf(paths, 2, 3, "@daily")).isEqualTo(statementsOf(paths, 50, 3, "@daily"));
    }

    @Test
    void theDagListReadsTheSchedulersStatesOnceForBothThePausedTogglesAndTheNextRuns() throws Exception {
        assertThat(statementsOf(List.of("/"), 3, 2, "@daily", "FROM dag_schedule")).containsEntry("/", 1L);
    }

    /**
     * The statements the database ran to answer each request, by path, over {@code dagCount} DAGs of {@code runCount}
     * runs each.
     */
    private Map<String, Long> statementsOf(List<String> paths, int dagCount, int runCount) throws Exception {
        return statementsOf(paths, dagCount, runCount, "");
    }

    /** As above, for DAGs on {@code schedule} ("" for none). */
    private Map<String, Long> statementsOf(List<String> paths, int dagCount, int runCount, String schedule)
            throws Exception {
        return statementsOf(paths, dagCount, runCount, schedule, "");
    }

    /** As above, counting only the statements whose SQL holds {@code sqlPart} (case-insensitive). */
    private Map<String, Long> statementsOf(List<String> paths, int dagCount, int runCount, String schedule,
            String sqlPart) throws Exception {
        List<DagSpec> dags = IntStream.range(0, dagCount).mapToObj(i -> dag(String.format("dag_%02d", i), schedule))
                .toList();
        StoreLocation location = StoreLocation.h2InMemory("query-count-" + UUID.randomUUID());
        Path dagHome = Files.createTempDirectory(home, "home");
        try (MetadataStore store = MetadataStore.open(location);
             DagRuntime runtime = DagRuntime.builder().environment(Map.of()).home(dagHome).store(store)
                     .connections(Connections.of(Map.of())).dags(dags).build();
             Connection admin = DriverManager.getConnection(location.jdbcUrl(), "sa", "")) {
            for (DagSpec dag : dags) {
                insertRuns(store, dag, runCount);
            }
            WebServer server = WebServer.start(new Operations(() -> dags, () -> store, () -> runtime,
                    TaskLogs.under(dagHome), (bucket, key, out) -> { }, false), WebFixture.local());
            try {
                Map<String, Long> statements = new LinkedHashMap<>();
                for (String path : paths) {
                    Http.get(server.url().resolve(path)); // the first request also reads what is cached afterwards
                    execute(admin, "SET QUERY_STATISTICS FALSE");
                    execute(admin, "SET QUERY_STATISTICS TRUE");
                    assertThat(Http.get(server.url().resolve(path)).statusCode()).as(path).isEqualTo(200);
                    statements.put(path, statementsCounted(admin, sqlPart));
                    assertThat(statements.get(path)).as(path).isPositive();
                }
                return statements;
            } finally {
                server.stop(Duration.ZERO);
            }
        }
    }

    private static long statementsCounted(Connection admin, String sqlPart) throws SQLException {
        try (Statement statement = admin.createStatement();
             ResultSet rows = statement.executeQuery("SELECT SQL_STATEMENT, EXECUTION_COUNT"
                     + " FROM INFORMATION_SCHEMA.QUERY_STATISTICS")) {
            long count = 0;
            while (rows.next()) {
                String sql = rows.getString(1);
                if (!sql.contains("QUERY_STATISTICS") && sql.toLowerCase(Locale.ROOT).contains(
                        sqlPart.toLowerCase(Locale.ROOT))) {
                    count += rows.getLong(2);
                }
            }
            return count;
        }
    }

    private static void execute(Connection admin, String sql) throws SQLException {
        try (Statement statement = admin.createStatement()) {
            statement.execute(sql);
        }
    }

    private static void insertRuns(MetadataStore store, DagSpec dag, int count) {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        store.write(tx -> {
            for (int r = 0; r < count; r++) {
                Instant at = start.plus(Duration.ofHours(r));
                String runId = "run_" + r;
                tx.insertRun(new DagRun(dag.id(), runId, r == count - 1 ? RunState.RUNNING : RunState.SUCCESS,
                        RunType.MANUAL, at, at, at, Map.of(), at, Optional.of(at), Optional.of(at.plusSeconds(5)),
                        Optional.empty(), Optional.empty()));
                List<TaskInstance> instances = new ArrayList<>();
                for (String task : TASKS) {
                    instances.add(TaskInstance.fresh(dag.id(), runId, task, 1).withState(TaskState.SUCCESS));
                }
                tx.insertTasks(instances);
            }
        });
    }

    private static DagSpec dag(String id, String schedule) {
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < TASKS.size(); i++) {
            Set<String> upstream = i == 0 ? Set.of() : Set.of(TASKS.get(i - 1));
            tasks.add(new TaskSpec(TASKS.get(i), step(), int.class, List.<ArgumentSpec>of(), upstream,
                    TriggerRule.ALL_SUCCESS, TaskKind.PLAIN, NO_RETRIES, Optional.empty(), List.of(), List.of()));
        }
        return new DagSpec(id, Tasks.class, "generated", schedule, ZoneId.of("UTC"), Optional.empty(), false, List.of(),
                new ParamsSpec(Dag.NoParams.class, List.of()), 1, NO_RETRIES, Optional.empty(), List.of(), List.of(),
                tasks, Optional.empty(), Triggers.NONE);
    }

    private static Method step() {
        try {
            return Tasks.class.getMethod("step");
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }
}
