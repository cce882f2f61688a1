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
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The runtime's cost per task, against two floors measured in the same process: the same DAG on a bare thread
 * pool with in-memory state (a), and the same plus one insert and one update carrying the value per task into an
 * H2 file database as durable as the store's (b). Shapes: chains ({@code chain:N}, each task taking its
 * predecessor's value) and fan-outs ({@code fan:N}, one source, N - 2 tasks taking its value, one sink after all).
 *
 * <p>The three executions alternate within each round, so that a burst of load on the machine reaches all of them;
 * each prints the median of the measured rounds, after warm-up rounds that run at least {@value #WARM_UP_TASKS}
 * tasks of each execution (the JIT settles the coordinator's paths only after a few thousand tasks).
 *
 * <p>Run: {@code mvn -q -pl bench exec:java -Dexec.args="5 chain:200,fan:1000"} (measured rounds, shapes).
 * {@code -Dbench.floors=false} runs only the runtime, for profiling.
 */
public final class RuntimeOverheadBenchmark {
    private static final int WARM_UP_TASKS = 6000;
    private static final String FLOOR_A = "floor (a) thread pool, in memory";
    private static final String FLOOR_B = "floor (b) + insert/update per task in H2 file";
    private static final String RUNTIME = "dagctl runtime, durable H2 file store";

    private RuntimeOverheadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        List<DagSpec> shapes = Arrays.stream((args.length > 1 ? args[1] : "chain:200,fan:1000").split(","))
                .map(RuntimeOverheadBenchmark::shape).toList();
        boolean floors = Boolean.parseBoolean(System.getProperty("bench.floors", "true"));
        Path work = Files.createTempDirectory("dagctl-bench-");
        int parallelism = 2 * Runtime.getRuntime().availableProcessors();
        System.out.printf(Locale.ROOT, "%d processors, parallelism %d, Java %s, %s, max heap %d MiB%n",
                Runtime.getRuntime().availableProcessors(), parallelism, System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                Runtime.getRuntime().maxMemory() >> 20);
        try {
            for (DagSpec dag : shapes) {
                measureShape(dag, rounds, floors, parallelism, work);
            }
        } finally {
            // Its databases and the runs' task logs take about 0.6 GB for these shapes.
            deleteRecursively(work);
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** Measures the floors and the runtime on one shape, and prints the medians. */
    private static void measureShape(DagSpec dag, int rounds, boolean floors, int parallelism, Path work)
            throws Exception {
        Map<String, Round> executions = new LinkedHashMap<>();
        // Opened once, as the runtime's store is: the rounds measure the writes, not opening the file.
        JdbcConnectionPool floorDatabase = floorDatabase(work.resolve("floor-" + dag.id()));
        try (MetadataStore store = MetadataStore.open(StoreLocation.h2File(work.resolve("metadata-" + dag.id())));
             DagRuntime runtime = DagRuntime.builder().environment(Map.of()).home(work).store(store)
                     .parallelism(parallelism).connections(Connections.of(Map.of()))
                     .resumeInterruptedOnOpen(false).build()) {
            if (floors) {
                executions.put(FLOOR_A, () -> bareThreadPool(dag, parallelism, null));
                executions.put(FLOOR_B, () -> bareThreadPool(dag, parallelism, floorDatabase));
            }
            executions.put(RUNTIME, () -> {
                RunResult result = runtime.run(dag, RunRequest.manual());
                if (result.state() != RunState.SUCCESS) {
                    throw new IllegalStateException("benchmark run failed: " + result.tasks());
                }
            });
            int warmUp = Math.max(1, (WARM_UP_TASKS + dag.tasks().size() - 1) / dag.tasks().size());
            String loadBefore = loadAverage();
            Map<String, Double> micros = measure(rounds, warmUp, dag, executions);
            String loadAfter = loadAverage();
            System.out.printf(Locale.ROOT, "%n%s (%d tasks), median of %d interleaved rounds after %d warm-up"
                    + " rounds (%d tasks in all), load average %s -> %s:%n", dag.id(), dag.tasks().size(), rounds,
                    warmUp, warmUp * dag.tasks().size(), loadBefore, loadAfter);
            Double floorB = micros.get(FLOOR_B);
            micros.forEach((name, us) -> System.out.printf(Locale.ROOT, "  %-48s %8.1f us/task%s%n", name, us,
                    floorB == null ? "" : String.format(Locale.ROOT, "  (%.2fx floor b)", us / floorB)));
            long perInstance = liveHeapPerTask(dag, executions.get(RUNTIME));
            System.out.printf(Locale.ROOT, "  live heap during one more runtime round: %d bytes per task%n",
                    perInstance);
        } finally {
            floorDatabase.dispose();
        }
    }

    /**
     * The most heap found live while the round runs, less what was live before it, per task: what the runtime keeps
     * per task instance during a run. The round is not timed: a sampler collects garbage every 200 ms to see it.
     */
    private static long liveHeapPerTask(DagSpec dag, Round round) throws Exception {
        long before = liveHeap();
        AtomicLong most = new AtomicLong(before);
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                most.accumulateAndGet(liveHeap(), Math::max);
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        try {
            round.run();
        } finally {
            sampler.interrupt();
            sampler.join();
        }
        return Math.max(0, most.get() - before) / dag.tasks().size();
    }

    private static long liveHeap() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** {@code chain:N} or {@code fan:N}. */
    private static DagSpec shape(String text) {
        String[] parts = text.trim().split(":");
        int size = Integer.parseInt(parts[1]);
        return switch (parts[0]) {
            case "chain" -> BenchDags.chain(size);
            case "fan" -> BenchDags.fanOutAndIn(size);
            default -> throw new IllegalArgumentException("unknown shape " + text + "; use chain:N or fan:N");
        };
    }

    /** The 1-, 5- and 15-minute load averages, to judge how busy the machine was. */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    interface Round {
        void run() throws Exception;
    }

    /** Median microseconds per task of each execution, the executions alternating within each round. */
    private static Map<String, Double> measure(int rounds, int warmUp, DagSpec dag, Map<String, Round> executions)
            throws Exception {
        for (int i = 0; i < warmUp; i++) {
            for (Round round : executions.values()) {
                round.run();
            }
        }
        Map<String, double[]> perTask = new LinkedHashMap<>();
        executions.keySet().forEach(name -> perTask.put(name, new double[rounds]));
        for (int i = 0; i < rounds; i++) {
            for (Map.Entry<String, Round> execution : executions.entrySet()) {
                long start = System.nanoTime();
                execution.getValue().run();
                perTask.get(execution.getKey())[i] = (System.nanoTime() - start) / 1e3 / dag.tasks().size();
            }
        }
        Map<String, Double> medians = new LinkedHashMap<>();
        perTask.forEach((name, values) -> {
            Arrays.sort(values);
            medians.put(name, values[rounds / 2]);
        });
        return medians;
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
