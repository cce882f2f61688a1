package io.dagctl.internal.runtime;

import io.dagctl.Connections;
import io.dagctl.Dag;
import io.dagctl.Expand;
import io.dagctl.From;
import io.dagctl.Param;
import io.dagctl.Task;
import io.dagctl.TaskContext;
import io.dagctl.TriggeredBy;
import io.dagctl.internal.discovery.DagDiscovery;
import io.dagctl.internal.schedule.ObjectSource;
import io.dagctl.internal.schedule.Scheduler;
import io.dagctl.internal.schedule.SchedulerStore;
import io.dagctl.internal.store.StoreLocation;
import io.dagctl.spec.DagSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A {@code dagctl worker} or {@code dagctl scheduler} in a JVM of its own, for the tests that kill one. It knows a DAG
 * of 1,000 task instances and three scheduled DAGs, whose bodies append "start" and "done" rows to a
 * {@code side_effect} table, so the test can count how often each body ran; or, for the tests that stop the database
 * itself, only {@link TwoHundred}, whose bodies write those rows to files.
 */
public final class WorkerProcess {
    static final Duration HEARTBEAT = Duration.ofMillis(250);
    static final Duration ZOMBIE_TIMEOUT = Duration.ofSeconds(6);
    static final String SIDE_EFFECTS_TABLE = "CREATE TABLE side_effect (dag_id VARCHAR(250) NOT NULL,"
            + " run_id VARCHAR(250) NOT NULL, task_id VARCHAR(250) NOT NULL, map_index INTEGER NOT NULL,"
            + " event VARCHAR(10) NOT NULL, pid INTEGER NOT NULL)";
    static volatile PGSimpleDataSource sideEffects;
    /** Where {@link TwoHundred}'s bodies write their side effects: one file per process, one line per event. */
    static volatile Path sideEffectFiles;
    private static final ThreadLocal<Connection> CONNECTION = new ThreadLocal<>();

    private WorkerProcess() {
    }

    @Dag(id = "thousand", retries = 2, retryDelay = "PT0S", maxActiveTasks = 1000, params = Thousand.Params.class)
    public static class Thousand {
        static final int MAPPED = 999;

        public record Params(@Param(defaultValue = "0") int pauseMillis) {
        }

        @Task
        List<Integer> items(TaskContext context) {
            record(context, -1, "start");
            record(context, -1, "done");
            return IntStream.range(0, MAPPED).boxed().toList();
        }

        @Task
        void work(@Expand("items") int item, TaskContext context) throws InterruptedException {
            record(context, item, "start");
            Thread.sleep(context.params(Params.class).pauseMillis());
            record(context, item, "done");
        }
    }

    /** 25 hourly runs, caught up, at most 4 at once. */
    @Dag(id = "hourly_report", schedule = "@hourly", startDate = "2026-01-01", endDate = "2026-01-02", catchup = true,
            maxActiveRuns = 4)
    public static class HourlyReport {
        @Task
        String extract(TaskContext context) {
            once(context, -1);
            return context.dataInterval().start().toString();
        }

        @Task
        void report(String extract, TaskContext context) {
            once(context, -1);
        }
    }

    /** 10 daily runs, caught up, at most 2 at once, each mapping over three partitions. */
    @Dag(id = "daily_rollup", schedule = "@daily", startDate = "2026-01-01", endDate = "2026-01-10", catchup = true,
            maxActiveRuns = 2)
    public static class DailyRollup {
        @Task
        List<Integer> partitions(TaskContext context) {
            once(context, -1);
            return List.of(1, 2, 3);
        }

        @Task
        int rollUp(@Expand("partitions") int partition, TaskContext context) throws InterruptedException {
            once(context, partition - 1);
            Thread.sleep(20);
            return partition * 10;
        }

        @Task
        int total(@From("roll_up") List<Integer> rollUp, TaskContext context) {
            once(context, -1);
            return rollUp.stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** One run per successful run of daily_rollup, given its total. */
    @Dag(id = "publish_rollup", params = PublishRollup.Params.class)
    @TriggeredBy(dag = "daily_rollup", params = "total = total")
    public static class PublishRollup {
        public record Params(@Param(defaultValue = "0") int total) {
        }

        @Task
        void publish(TaskContext context) {
            if (context.params(Params.class).total() != 60) {
                throw new IllegalStateException("total " + context.params(Params.class).total() + " is not 60");
            }
            once(context, -1);
        }
    }

    /**
     * 200 tasks by default (a list and 199 instances mapped over it), each with one retry, so that a test sees any
     * try given up, lost or failed on the way in the try numbers.
     */
    @Dag(id = "two_hundred", maxActiveTasks = 200, retries = 1, retryDelay = "PT0S", params = TwoHundred.Params.class)
    public static class TwoHundred {
        static final int MAPPED = 199;

        public record Params(@Param(defaultValue = "0") int pauseMillis, @Param(defaultValue = "199") int items) {
        }

        @Task
        List<Integer> items(TaskContext context) {
            recordInFile(context, -1, "start");
            recordInFile(context, -1, "done");
            return IntStream.range(0, context.params(Params.class).items()).boxed().toList();
        }

        @Task
        void work(@Expand("items") int item, TaskContext context) throws InterruptedException {
            recordInFile(context, item, "start");
            Thread.sleep(context.params(Params.class).pauseMillis());
            recordInFile(context, item, "done");
        }
    }

    /** Appends {@code run task index event pid} to this process's file; one short append each, so lines stay whole. */
    private static synchronized void recordInFile(TaskContext context, int mapIndex, String event) {
        long pid = ProcessHandle.current().pid();
        try {
            Files.writeString(sideEffectFiles.resolve(pid + ".log"), String.join("\t", context.runId(),
                    context.taskId(), Integer.toString(mapIndex), event, Long.toString(pid)) + "\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("side effect not recorded: " + e.getMessage(), e);
        }
    }

    /**
     * The side effects of one run that {@link TwoHundred}'s bodies wrote in {@code home}, each as run, task, map index,
     * event and pid; a line still being written is left out.
     */
    static List<String[]> fileRecords(Path home, String runId) throws IOException {
        Path directory = home.resolve("side-effects");
        List<String[]> records = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return records;
        }
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.readAllLines(file).stream().map(line -> line.split("\t"))
                        .filter(record -> record.length == 5 && record[0].equals(runId)).forEach(records::add);
            }
        }
        return records;
    }

    /** Starts a worker or scheduler JVM that knows {@link TwoHundred} only; its output goes to {@code role-index.out}. */
    static Process startTwoHundred(String dbUri, Path home, String role, int index) throws IOException {
        return startTwoHundred(dbUri, home, role, index, ZOMBIE_TIMEOUT, Optional.empty());
    }

    /** {@link #startTwoHundred(String, Path, String, int)} with a zombie timeout, and a worker's grace period. */
    static Process startTwoHundred(String dbUri, Path home, String role, int index, Duration zombieTimeout,
            Optional<Duration> grace) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), WorkerProcess.class.getName(), dbUri, home.toString(),
                role, "two_hundred", zombieTimeout.toString()));
        grace.ifPresent(period -> command.add(period.toString()));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(home.resolve(role + "-" + index + ".out").toFile())
                .start();
    }

    private static void once(TaskContext context, int mapIndex) {
        record(context, mapIndex, "done");
    }

    private static void record(TaskContext context, int mapIndex, String event) {
        try {
            Connection connection = CONNECTION.get();
            if (connection == null) {
                connection = sideEffects.getConnection();
                CONNECTION.set(connection);
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO side_effect"
                    + " (dag_id, run_id, task_id, map_index, event, pid) VALUES (?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, context.dagId());
                insert.setString(2, context.runId());
                insert.setString(3, context.taskId());
                insert.setInt(4, mapIndex);
                insert.setString(5, event);
                insert.setInt(6, (int) ProcessHandle.current().pid());
                insert.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("side effect not recorded: " + e.getMessage(), e);
        }
    }

    static DagSpec spec() {
        return DagDiscovery.load(Thousand.class);
    }

    static List<DagSpec> dags() {
        return List.of(spec(), DagDiscovery.load(HourlyReport.class), DagDiscovery.load(DailyRollup.class),
                DagDiscovery.load(PublishRollup.class));
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
        return runtime(dbUri, home, mode, parallelism, dags());
    }

    static DagRuntime runtime(String dbUri, Path home, ExecutionMode mode, int parallelism, List<DagSpec> dags) {
        return runtime(dbUri, home, mode, parallelism, dags, ZOMBIE_TIMEOUT);
    }

    static DagRuntime runtime(String dbUri, Path home, ExecutionMode mode, int parallelism, List<DagSpec> dags,
            Duration zombieTimeout) {
        return DagRuntime.builder()
                .environment(Map.of(StoreLocation.DB_URL_VARIABLE, dbUri))
                .home(home)
                .parallelism(parallelism)
                .executor(mode)
                .heartbeatEvery(HEARTBEAT)
                .zombieTimeout(zombieTimeout)
                .connections(Connections.of(Map.of()))
                .dags(dags)
                .resumeInterruptedOnOpen(false)
                .build();
    }

    /**
     * Arguments: the database URI, the dagctl home, {@code worker} or {@code scheduler}, and optionally
     * {@code two_hundred} for {@link TwoHundred} alone, then the zombie timeout and a worker's grace period (ISO-8601).
     * Runs until killed; a worker drains on SIGTERM as {@code dagctl worker} does.
     */
    public static void main(String[] args) throws IOException {
        sideEffects = dataSource(args[0]);
        sideEffectFiles = Files.createDirectories(Path.of(args[1], "side-effects"));
        List<DagSpec> dags = args.length > 3 && args[3].equals("two_hundred")
                ? List.of(DagDiscovery.load(TwoHundred.class)) : dags();
        Duration zombieTimeout = args.length > 4 ? Duration.parse(args[4]) : ZOMBIE_TIMEOUT;
        Optional<Duration> grace = args.length > 5 ? Optional.of(Duration.parse(args[5])) : Optional.empty();
        try (DagRuntime runtime = runtime(args[0], Path.of(args[1]), ExecutionMode.WORKERS, 4, dags, zombieTimeout)) {
            if (args[2].equals("scheduler")) {
                StoreLocation location = StoreLocation.fromEnvironment(Map.of(StoreLocation.DB_URL_VARIABLE, args[0]),
                        Path.of(args[1]));
                try (SchedulerStore store = SchedulerStore.open(location)) {
                    new Scheduler(runtime, store, dags, Clock.systemUTC(), ObjectSource.NONE, false)
                            .runUntilStopped(Duration.ofMillis(100), Duration.ofSeconds(5));
                }
            } else {
                Worker worker = runtime.worker();
                StopSignals.drainOn(worker, grace);
                worker.run();
            }
        }
    }
}
