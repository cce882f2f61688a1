package io.dagctl.bench;

import io.dagctl.Connections;
import io.dagctl.RunState;
import io.dagctl.internal.runtime.DagRuntime;
import io.dagctl.internal.runtime.RunRequest;
import io.dagctl.internal.runtime.RunResult;
import io.dagctl.internal.store.MetadataStore;
import io.dagctl.internal.store.StoreLocation;
import io.dagctl.spec.ArgumentSpec;
import io.dagctl.spec.DagSpec;
import io.dagctl.spec.TaskSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The runtime's cost per task, against two floors measured in the same process: the same DAG on a bare thread
 * pool with in-memory state (a), and the same plus one insert and one update carrying the value per task into an
 * H2 file database as durable as the store's (b). Shapes: a chain of 200 tasks, and 1000 tasks fanning out from
 * one and back into one. Every task returns a small value; chain tasks take their predecessor's.
 *
 * <p>Run: {@code mvn -q -pl bench exec:java} (arguments: measured rounds, default 5).
 */
public final class RuntimeOverheadBenchmark {
    private static final int WARM_UP_ROUNDS = 3;

    private RuntimeOverheadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path work = Files.createTempDirectory("dagctl-bench-");
        int parallelism = 2 * Runtime.getRuntime().availableProcessors();
        System.out.printf(Locale.ROOT, "%d processors, parallelism %d, Java %s, %s%n",
                Runtime.getRuntime().availableProcessors(), parallelism, System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        for (DagSpec dag : List.of(BenchDags.chain(200), BenchDags.fanOutAndIn(1000))) {
            Map<String, Double> micros = new java.util.LinkedHashMap<>();
            micros.put("floor (a) thread pool, in memory", measure(rounds, dag, () -> bareThreadPool(dag, parallelism, null)));
            // Opened once, as the runtime's store is: the rounds measure the writes, not opening the file.
            JdbcConnectionPool floorDatabase = floorDatabase(work.resolve("floor-" + dag.id()));
            try {
                micros.put("floor (b) + insert/update per task in H2 file",
                        measure(rounds, dag, () -> bareThreadPool(dag, parallelism, floorDatabase)));
            } finally {
                floorDatabase.dispose();
            }
            try (MetadataStore store = MetadataStore.open(StoreLocation.h2File(work.resolve("metadata-" + dag.id())));
                 DagRuntime runtime = DagRuntime.builder().environment(Map.of()).home(work).store(store)
                         .parallelism(parallelism).connections(Connections.of(Map.of()))
                         .resumeInterruptedOnOpen(false).build()) {
                micros.put("dagctl runtime, durable H2 file store", measure(rounds, dag, () -> {
                    RunResult result = runtime.run(dag, RunRequest.manual());
                    if (result.state() != RunState.SUCCESS) {
                        throw new IllegalStateException("benchmark run failed: " + result.tasks());
                    }
                }));
            }
            double floorB = micros.get("floor (b) + insert/update per task in H2 file");
            System.out.printf(Locale.ROOT, "%n%s (%d tasks), median of %d rounds after %d warm-up rounds:%n",
                    dag.id(), dag.tasks().size(), rounds, WARM_UP_ROUNDS);
            micros.forEach((name, us) -> System.out.printf(Locale.ROOT, "  %-48s %8.1f us/task  (%.2fx floor b)%n",
                    name, us, us / floorB));
        }
    }

    interface Round {
        void run() throws Exception;
    }

    private static double measure(int rounds, DagSpec dag, Round round) throws Exception {
        for (int i = 0; i < WARM_UP_ROUNDS; i++) {
            round.run();
        }
        double[] perTask = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            round.run();
            perTask[i] = (System.nanoTime() - start) / 1e3 / dag.tasks().size();
        }
        Arrays.sort(perTask);
        return perTask[rounds / 2];
    }

    private static JdbcConnectionPool floorDatabase(Path file) throws SQLException {
        JdbcConnectionPool pool = JdbcConnectionPool.create(StoreLocation.h2File(file).jdbcUrl(), "sa", "");
        try (Connection connection = pool.getConnection()) {
            connection.createStatement().execute("CREATE TABLE IF NOT EXISTS task (run INT, id VARCHAR(100),"
                    + " state VARCHAR(20), value_json VARCHAR, PRIMARY KEY (run, id))");
        }
        return pool;
    }

    private static final AtomicInteger FLOOR_RUNS = new AtomicInteger();

    /**
     * Executes the DAG with a dependency count per task; with a database, each task inserts its row before it
     * runs and updates it with its value after (autocommit).
     */
    private static void bareThreadPool(DagSpec dag, int parallelism, JdbcConnectionPool database) throws Exception {
        int run = FLOOR_RUNS.incrementAndGet();
        Object target = new BenchDags.Tasks();
        Map<String, List<String>> downstream = new HashMap<>();
        Map<String, AtomicInteger> waiting = new ConcurrentHashMap<>();
        for (TaskSpec task : dag.tasks()) {
            waiting.put(task.id(), new AtomicInteger(task.upstream().size()));
            task.upstream().forEach(u -> downstream.computeIfAbsent(u, k -> new ArrayList<>()).add(task.id()));
        }
        Map<String, TaskSpec> byId = dag.tasksById();
        Map<String, Object> values = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(dag.tasks().size());
        ExecutorService pool = Executors.newFixedThreadPool(parallelism);
        try {
            class Runner {
                void submit(String taskId) {
                    pool.execute(() -> {
                        try {
                            TaskSpec task = byId.get(taskId);
                            if (database != null) {
                                write(database, "INSERT INTO task (run, id, state) VALUES (?, ?, 'running')",
                                        run, taskId, null);
                            }
                            Object[] arguments = task.arguments().stream()
                                    .map(a -> values.get(((ArgumentSpec.Upstream) a).taskId())).toArray();
                            Object value = task.method().invoke(target, arguments);
                            values.put(taskId, value);
                            if (database != null) {
                                write(database, "UPDATE task SET state = 'success', value_json = ? WHERE run = ?"
                                        + " AND id = ?", run, taskId, String.valueOf(value));
                            }
                            for (String next : downstream.getOrDefault(taskId, List.of())) {
                                if (waiting.get(next).decrementAndGet() == 0) {
                                    submit(next);
                                }
                            }
                            done.countDown();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
                }
            }
            Runner runner = new Runner();
            dag.tasks().stream().filter(t -> t.upstream().isEmpty()).forEach(t -> runner.submit(t.id()));
            done.await();
        } finally {
            pool.shutdown();
        }
    }

    private static void write(JdbcConnectionPool database, String sql, int run, String taskId, String value)
            throws SQLException {
        try (Connection connection = database.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            if (value == null) {
                statement.setInt(1, run);
                statement.setString(2, taskId);
            } else {
                statement.setString(1, value);
                statement.setInt(2, run);
                statement.setString(3, taskId);
            }
            statement.executeUpdate();
        }
    }
}
