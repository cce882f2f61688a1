package io.dagctl.bench;

import io.dagctl.Connections;
import io.dagctl.RunState;
import io.dagctl.embedded.LocalPostgres;
import io.dagctl.internal.runtime.DagRuntime;
import io.dagctl.internal.runtime.ExecutionMode;
import io.dagctl.internal.runtime.RunRequest;
import io.dagctl.internal.store.DagRun;
import io.dagctl.internal.store.StoreLocation;
import io.dagctl.internal.store.TaskInstance;
import io.dagctl.spec.DagSpec;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Distributed execution on PostgreSQL with 1, 2 and 4 worker processes: the throughput of a fan-out of 10,000 tasks
 * from one, and the scheduling latency along a chain of 200 (from a task's success, as its worker records it, to
 * its downstream task's start, as the claiming worker records it). Each worker count gets a fresh database and fresh
 * worker JVMs, warmed up by concurrent chain runs (two per worker) that are not counted.
 *
 * <p>The fan-out is measured against a floor in the same database, interleaved with it round by round: as many
 * clients as workers, each claiming one job of as many with {@code SELECT ... FOR UPDATE SKIP LOCKED} and marking it
 * done, one transaction each, until none is left. The table gives the medians of the rounds and their ratio, and
 * how many of the fan-out's tasks each transaction of ends, and each claim, carried.
 *
 * <p>Run: {@code mvn -q -pl bench exec:java@distributed -Dexec.args="1,2,4"} (arguments:
 * worker counts, default {@code 1,2,4}; fan-out width, default 10000; chain length, default 200; threads per worker,
 * default 8; rounds, default 3).
 */
public final class DistributedBenchmark {
    private static final Duration RUN_LIMIT = Duration.ofMinutes(10);

    private DistributedBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("worker")) {
            runWorker(args[1], Path.of(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]));
            return;
        }
        List<Integer> workerCounts = args.length > 0 ? Arrays.stream(args[0].split(",")).map(Integer::parseInt).toList()
                : List.of(1, 2, 4);
        int width = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int length = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        System.out.printf(Locale.ROOT, "%d processors, Java %s, %s; fan-out %d, chain %d, %d threads per worker,"
                        + " %d rounds; load average %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                width, length, threads, rounds, loadAverage());
        try (LocalPostgres postgres = LocalPostgres.startEphemeral()) {
            System.out.println("| workers | floor: jobs/s | fan-out: run time | fan-out: tasks/s | fan-out / floor"
                    + " | ends per transaction | claims per transaction"
                    + " | chain: latency p50 | p99 | max | chain: hops to another worker | load average |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
            for (int workers : workerCounts) {
                measure(postgres, workers, width, length, threads, rounds);
            }
        }
    }

    private static void measure(LocalPostgres postgres, int workerCount, int width, int length, int threads,
            int rounds) throws Exception {
        String database = "bench_" + workerCount + "_workers";
        String dbUri = postgres.createDatabase(database);
        Path home = Files.createTempDirectory("dagctl-distributed-bench-");
        DagSpec fan = BenchDags.fanOut(width);
        DagSpec chain = BenchDags.chain(length);
        List<Process> workers = new ArrayList<>();
        try (DagRuntime scheduler = runtime(dbUri, home, ExecutionMode.WORKERS, 1, List.of(fan, chain))) {
            for (int i = 0; i < workerCount; i++) {
                workers.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", childClasspath(), DistributedBenchmark.class.getName(), "worker", dbUri, home.toString(),
                        String.valueOf(threads), String.valueOf(width), String.valueOf(length))
                        .redirectErrorStream(true)
                        .redirectOutput(home.resolve("worker-" + i + ".out").toFile())
                        .start());
            }
            // Warm every worker's JIT on the chain's path: concurrent chain runs spread over the workers.
            List<String> warmUps = new ArrayList<>();
            for (int i = 0; i < 2 * workerCount; i++) {
                warmUps.add(scheduler.trigger(chain, RunRequest.manual().withRunId("warm_up_" + i)));
            }
            for (String warmUp : warmUps) {
                awaitSuccess(scheduler, chain.id(), warmUp);
            }

            String loadBefore = loadAverage();
            double[] floors = new double[rounds];
            double[] fanRunTimes = new double[rounds];
            double[] fanPerSecond = new double[rounds];
            double[] endsPerTransaction = new double[rounds];
            double[] claimsPerTransaction = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                floors[round] = floor(postgres, database, workerCount, width);
                String fanRun = scheduler.trigger(fan, RunRequest.manual().withRunId("fan_" + round));
                DagRun fanEnded = awaitSuccess(scheduler, fan.id(), fanRun);
                List<TaskInstance> fanTasks = scheduler.taskInstances(fan.id(), fanRun);
                Instant sourceEnd = fanTasks.stream().filter(t -> t.taskId().equals("source")).findFirst()
                        .orElseThrow().endDate().orElseThrow();
                Instant lastEnd = fanTasks.stream().map(t -> t.endDate().orElseThrow()).max(Instant::compareTo)
                        .orElseThrow();
                fanRunTimes[round] = Duration.between(fanEnded.createdAt(), fanEnded.endedAt().orElseThrow())
                        .toNanos() / 1e9;
                fanPerSecond[round] = width / (Duration.between(sourceEnd, lastEnd).toNanos() / 1e9);
                double[] perTransaction = tasksPerTransaction(postgres, database, fan.id(), fanRun, width);
                endsPerTransaction[round] = perTransaction[0];
                claimsPerTransaction[round] = perTransaction[1];
            }
            double floor = median(floors);
            double perSecond = median(fanPerSecond);

            String chainRun = scheduler.trigger(chain, RunRequest.manual().withRunId("chain"));
            awaitSuccess(scheduler, chain.id(), chainRun);
            Map<String, TaskInstance> byId = new java.util.HashMap<>();
            scheduler.taskInstances(chain.id(), chainRun).forEach(t -> byId.put(t.taskId(), t));
            double[] lags = new double[length - 1];
            for (int i = 1; i < length; i++) {
                Instant upstreamEnd = byId.get("t" + (i - 1)).endDate().orElseThrow();
                Instant downstreamStart = byId.get("t" + i).startDate().orElseThrow();
                lags[i - 1] = Duration.between(upstreamEnd, downstreamStart).toNanos() / 1e6;
            }
            int handedOver = 0;
            for (int i = 1; i < length; i++) {
                if (!byId.get("t" + (i - 1)).pid().equals(byId.get("t" + i).pid())) {
                    handedOver++;
                }
            }
            Arrays.sort(lags);
            System.out.printf(Locale.ROOT, "| %d | %,.0f | %.2f s | %,.0f | %.2f | %.1f | %.1f | %.1f ms | %.1f ms"
                            + " | %.1f ms | %d | %s → %s |%n", workerCount, floor, median(fanRunTimes), perSecond,
                    perSecond / floor, median(endsPerTransaction), median(claimsPerTransaction),
                    percentile(lags, 50), percentile(lags, 99), lags[lags.length - 1], handedOver, loadBefore,
                    loadAverage());
        } finally {
            for (Process worker : workers) {
                worker.destroy();
                if (!worker.waitFor(10, TimeUnit.SECONDS)) {
                    worker.destroyForcibly();
                }
            }
        }
    }

    /**
     * The bare queue: {@code clients} connections claim {@code jobs} queued rows one at a time with
     * {@code FOR UPDATE SKIP LOCKED}, each claim committed, then mark each done in a commit of its own, until none is
     * left. Returns jobs per second.
     */
    private static double floor(LocalPostgres postgres, String database, int clients, int jobs) throws Exception {
        try (Connection setup = postgres.connect(database); Statement statement = setup.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS floor_job");
            statement.execute("CREATE TABLE floor_job (id int PRIMARY KEY, state text NOT NULL, worker int,"
                    + " started_at timestamptz, ended_at timestamptz)");
            statement.execute("CREATE INDEX floor_job_state ON floor_job (state, id)");
            statement.execute("INSERT INTO floor_job (id, state) SELECT i, 'queued' FROM generate_series(1, " + jobs
                    + ") i");
            statement.execute("ANALYZE floor_job");
        }
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Callable<Integer>> loops = new ArrayList<>();
            for (int client = 0; client < clients; client++) {
                int worker = client;
                loops.add(() -> claimAndCompleteUntilEmpty(postgres.connect(database), worker));
            }
            long start = System.nanoTime();
            int done = 0;
            for (Future<Integer> loop : pool.invokeAll(loops)) {
                done += loop.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (done != jobs) {
                throw new IllegalStateException("the floor's clients did " + done + " jobs of " + jobs);
            }
            return jobs / seconds;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The fan-out's downstream tasks per transaction that recorded their ends (each row keeps the transaction that
     * last wrote its state, {@code change_xid}), and per claim (a worker stamps the tries of one claim with one start
     * time).
     */
    private static double[] tasksPerTransaction(LocalPostgres postgres, String database, String dagId, String runId,
            int width) throws SQLException {
        try (Connection connection = postgres.connect(database);
                PreparedStatement count = connection.prepareStatement("SELECT COUNT(DISTINCT change_xid),"
                        + " COUNT(DISTINCT (pid, start_date)) FROM task_instance WHERE dag_id = ? AND run_id = ?"
                        + " AND task_id <> 'source'")) {
            count.setString(1, dagId);
            count.setString(2, runId);
            try (ResultSet counts = count.executeQuery()) {
                counts.next();
                return new double[] {(double) width / counts.getInt(1), (double) width / counts.getInt(2)};
            }
        }
    }

    private static int claimAndCompleteUntilEmpty(Connection connection, int worker) throws SQLException {
        try (connection;
                PreparedStatement claim = connection.prepareStatement("UPDATE floor_job SET state = 'running',"
                        + " worker = ?, started_at = now() WHERE id = (SELECT id FROM floor_job WHERE state = 'queued'"
                        + " ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id");
                PreparedStatement complete = connection.prepareStatement("UPDATE floor_job SET state = 'done',"
                        + " ended_at = now() WHERE id = ?")) {
            int done = 0;
            while (true) {
                claim.setInt(1, worker);
                try (ResultSet claimed = claim.executeQuery()) {
                    if (!claimed.next()) {
                        return done;
                    }
                    complete.setInt(1, claimed.getInt(1));
                }
                complete.executeUpdate();
                done++;
            }
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** The one-minute load average, or "?" where /proc is not there. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private static double percentile(double[] sorted, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static DagRun awaitSuccess(DagRuntime scheduler, String dagId, String runId) throws InterruptedException {
        Instant deadline = Instant.now().plus(RUN_LIMIT);
        while (Instant.now().isBefore(deadline)) {
            DagRun run = scheduler.findRun(dagId, runId).orElseThrow();
            if (run.state().isFinished()) {
                if (run.state() != RunState.SUCCESS) {
                    throw new IllegalStateException("run " + runId + " of " + dagId + " ended " + run.state().label());
                }
                return run;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("run " + runId + " of " + dagId + " did not end within " + RUN_LIMIT);
    }

    private static void runWorker(String dbUri, Path home, int threads, int width, int length) throws Exception {
        try (DagRuntime runtime = runtime(dbUri, home, ExecutionMode.WORKERS, threads,
                List.of(BenchDags.fanOut(width), BenchDags.chain(length)))) {
            runtime.worker().run();
        }
    }

    private static DagRuntime runtime(String dbUri, Path home, ExecutionMode mode, int threads, List<DagSpec> dags) {
        return DagRuntime.builder()
                .environment(Map.of(StoreLocation.DB_URL_VARIABLE, dbUri))
                .home(home)
                .parallelism(threads)
                .executor(mode)
                .connections(Connections.of(Map.of()))
                .dags(dags)
                .resumeInterruptedOnOpen(false)
                .build();
    }

    /** This JVM's class path, or, inside {@code mvn exec:java}, the project's, which only its class loader knows. */
    private static String childClasspath() throws URISyntaxException {
        if (Thread.currentThread().getContextClassLoader() instanceof URLClassLoader loader) {
            List<String> entries = new ArrayList<>();
            for (URL url : loader.getURLs()) {
                entries.add(Path.of(url.toURI()).toString());
            }
            if (!entries.isEmpty()) {
                return String.join(File.pathSeparator, entries);
            }
        }
        return System.getProperty("java.class.path");
    }
}
