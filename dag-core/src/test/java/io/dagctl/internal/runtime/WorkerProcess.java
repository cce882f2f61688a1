package io.dagctl.internal.runtime;

import io.dagctl.Connections;
import io.dagctl.Dag;
import io.dagctl.Expand;
import io.dagctl.Param;
import io.dagctl.Task;
import io.dagctl.TaskContext;
import io.dagctl.internal.discovery.DagDiscovery;
import io.dagctl.internal.store.StoreLocation;
import io.dagctl.spec.DagSpec;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A {@code dagctl worker} in a JVM of its own, for the tests that kill one, taking the tasks of a DAG of 1,000 task
 * instances whose bodies append "start" and "done" rows to a {@code side_effect} table, so the test can count
 * how often each body ran.
 */
public final class WorkerProcess {
    static final Duration HEARTBEAT = Duration.ofMillis(250);
    static final Duration ZOMBIE_TIMEOUT = Duration.ofSeconds(2);
    static final String SIDE_EFFECTS_TABLE = "CREATE TABLE side_effect (run_id VARCHAR(250) NOT NULL,"
            + " map_index INTEGER NOT NULL, event VARCHAR(10) NOT NULL, pid INTEGER NOT NULL)";

    private WorkerProcess() {
    }

    @Dag(id = "thousand", retries = 2, retryDelay = "PT0S", maxActiveTasks = 1000, params = Thousand.Params.class)
    public static class Thousand {
        static final int MAPPED = 999;
        static volatile PGSimpleDataSource sideEffects;
        private static final ThreadLocal<Connection> CONNECTION = new ThreadLocal<>();

        public record Params(@Param(defaultValue = "0") int pauseMillis) {
        }

        @Task
        List<Integer> items(TaskContext context) {
            record(context.runId(), -1, "start");
            record(context.runId(), -1, "done");
            return IntStream.range(0, MAPPED).boxed().toList();
        }

        @Task
        void work(@Expand("items") int item, TaskContext context) throws InterruptedException {
            record(context.runId(), item, "start");
            Thread.sleep(context.params(Params.class).pauseMillis());
            record(context.runId(), item, "done");
        }

        private static void record(String runId, int mapIndex, String event) {
            try {
                Connection connection = CONNECTION.get();
                if (connection == null) {
                    connection = sideEffects.getConnection();
                    CONNECTION.set(connection);
                }
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO side_effect (run_id, map_index, event, pid) VALUES (?, ?, ?, ?)")) {
                    insert.setString(1, runId);
                    insert.setInt(2, mapIndex);
                    insert.setString(3, event);
                    insert.setInt(4, (int) ProcessHandle.current().pid());
                    insert.executeUpdate();
                }
            } catch (SQLException e) {
                throw new IllegalStateException("side effect not recorded: " + e.getMessage(), e);
            }
        }
    }

    static DagSpec spec() {
        return DagDiscovery.load(Thousand.class);
    }

    static PGSimpleDataSource dataSource(String dbUri) {
        StoreLocation location = StoreLocation.fromEnvironment(Map.of(StoreLocation.DB_URL_VARIABLE, dbUri), Path.of("."));
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setURL(location.jdbcUrl());
        location.user().ifPresent(source::setUser);
        location.password().ifPresent(source::setPassword);
        return source;
    }

    static DagRuntime runtime(String dbUri, Path home, ExecutionMode mode, int parallelism) {
        return DagRuntime.builder()
                .environment(Map.of(StoreLocation.DB_URL_VARIABLE, dbUri))
                .home(home)
                .parallelism(parallelism)
                .executor(mode)
                .heartbeatEvery(HEARTBEAT)
                .zombieTimeout(ZOMBIE_TIMEOUT)
                .connections(Connections.of(Map.of()))
                .dags(List.of(spec()))
                .resumeInterruptedOnOpen(false)
                .build();
    }

    /** Arguments: the database URI and the dagctl home. Runs until killed. */
    public static void main(String[] args) {
        Thousand.sideEffects = dataSource(args[0]);
        try (DagRuntime runtime = runtime(args[0], Path.of(args[1]), ExecutionMode.WORKERS, 4)) {
            runtime.worker().run();
        }
    }
}
