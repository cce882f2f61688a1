package io.dagctl.bench;

import io.dagctl.Connections;
import io.dagctl.RunState;
import io.dagctl.TaskState;
import io.dagctl.embedded.LocalPostgres;
import io.dagctl.internal.logging.TaskLogs;
import io.dagctl.internal.runtime.DagRuntime;
import io.dagctl.internal.store.DagRun;
import io.dagctl.internal.store.MetadataStore;
import io.dagctl.internal.store.RunType;
import io.dagctl.internal.store.StoreLocation;
import io.dagctl.internal.store.TaskInstance;
import io.dagctl.ops.Operations;
import io.dagctl.spec.DagSpec;
import io.dagctl.spec.TaskSpec;
import io.dagctl.web.WebServer;
import io.dagctl.web.WebSettings;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Server time and time until drawn in headless Chromium of the web UI's pages over large metadata: 200 DAGs, the grid
 * and graph of a 1,000-task DAG over 25 runs and of a 6,000-task DAG over 10 runs, and a 100 MB task log, on H2 and
 * on PostgreSQL. Rows are inserted directly into the metadata store; nothing is executed. Each figure is the median
 * of rounds that visit every page in turn, after warm-up rounds, beside a floor measured in the same rounds (a
 * static file for the server, the pools page for the browser).
 *
 * <p>Arguments: the databases ({@code h2,postgres}), server rounds (15) and browser rounds (5); BENCHMARKS.md says
 * how to run it from this checkout.
 */
public final class WebBenchmark {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final int LISTED_DAGS = 200;
    private static final long LOG_BYTES = 100L * 1024 * 1024;
    private static final String GRID_1000 = "layered_1000";
    private static final String GRID_6000 = "layered_6000";
    private static final String LOG_RUN = "run_24";
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    /** Resolves once the page is drawn: two animation frames after the load event and whatever the page waits for. */
    private static final String DRAWN = """
            const done = arguments[arguments.length - 1];
            const ready = arguments[0];
            function frame() {
              requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now())));
            }
            function wait() {
              if (document.readyState === 'complete' && (ready === '' || document.querySelector(ready))) {
                frame();
              } else {
                setTimeout(wait, 5);
              }
            }
            wait();
            """;

    /** A page or API call; the browser draws pages, and waits for {@code ready} (a CSS selector) when one is given. */
    private record Target(String name, String path, boolean drawn, String ready) {
    }

    private WebBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<String> databases = args.length > 0 ? Arrays.asList(args[0].split(",")) : List.of("h2", "postgres");
        int serverRounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        int browserRounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        System.out.printf(Locale.ROOT, "%d processors, Java %s; load average %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), loadAverage());
        Map<String, Map<String, double[]>> figures = new LinkedHashMap<>();
        for (String database : databases) {
            Path home = Files.createTempDirectory("dagctl-web-bench-");
            if (database.equals("postgres")) {
                try (LocalPostgres postgres = LocalPostgres.startEphemeral()) {
                    StoreLocation location = StoreLocation.fromEnvironment(Map.of(StoreLocation.DB_URL_VARIABLE,
                            postgres.createDatabase("web_bench")), home);
                    figures.put(database, measure(location, home, serverRounds, browserRounds));
                }
            } else {
                figures.put(database, measure(StoreLocation.fromEnvironment(Map.of(), home), home, serverRounds,
                        browserRounds));
            }
            delete(home);
        }
        System.out.printf(Locale.ROOT, "%nload average at the end %s%n%n", loadAverage());
        print(databases, figures);
    }

    /**
     * Per target: bytes, median ms until the last byte, median ms of CPU the process spent on it (the server's work
     * apart from waiting for a core on a busy machine, and the client's reading), median ms until drawn (NaN when not
     * drawn).
     */
    private static Map<String, double[]> measure(StoreLocation location, Path home, int serverRounds,
            int browserRounds) throws Exception {
        List<DagSpec> dags = new ArrayList<>();
        IntStream.range(0, LISTED_DAGS).forEach(i -> dags.add(BenchDags.layered(String.format(Locale.ROOT,
                "listed_%03d", i), 6, 3)));
        dags.add(BenchDags.layered(GRID_1000, 1000, 50));
        dags.add(BenchDags.layered(GRID_6000, 6000, 50));
        try (MetadataStore store = MetadataStore.open(location);
             DagRuntime runtime = DagRuntime.builder().environment(Map.of()).home(home).store(store)
                     .connections(Connections.of(Map.of())).dags(dags).resumeInterruptedOnOpen(false).build()) {
            long started = System.nanoTime();
            for (DagSpec dag : dags.subList(0, LISTED_DAGS)) {
                insertRuns(store, dag, 3);
            }
            insertRuns(store, dags.get(LISTED_DAGS), 25);
            insertRuns(store, dags.get(LISTED_DAGS + 1), 10);
            TaskLogs logs = TaskLogs.under(home);
            writeLog(logs.pathOf(GRID_1000, LOG_RUN, "t0", 1));
            System.out.printf(Locale.ROOT, "%s: rows and log written in %.1f s%n", location.isPostgres() ? "PostgreSQL"
                    : "H2", (System.nanoTime() - started) / 1e9);
            WebServer server = WebServer.start(new Operations(() -> dags, () -> store, () -> runtime, logs,
                    (bucket, key, out) -> { }, false), new WebSettings("127.0.0.1", 0, Map.of(), List.of(), Optional.empty()));
            try {
                String logApi = "/api/v1/dags/" + GRID_1000 + "/dagRuns/" + LOG_RUN + "/taskInstances/t0/logs/1";
                long tailOffset = tailOffset(server.url().resolve(logApi + "?tail=true"));
                List<Target> targets = List.of(
                        new Target("floor: static file `/static/app.css`", "/static/app.css", false, ""),
                        new Target("floor: pools page `/pools`", "/pools", true, ""),
                        new Target("DAG list, 200 DAGs `/`", "/", true, ""),
                        new Target("its live states `/ui/states`", "/ui/states", false, ""),
                        new Target("`GET /api/v1/dags` (100 of 202)", "/api/v1/dags", false, ""),
                        new Target("DAG page, 1,000 tasks × 25 runs: grid and graph", "/dags/" + GRID_1000, true, ""),
                        new Target("its live states", "/ui/states?dag_id=" + GRID_1000, false, ""),
                        new Target("DAG page, 6,000 tasks × 10 runs: grid and graph", "/dags/" + GRID_6000, true, ""),
                        new Target("its live states", "/ui/states?dag_id=" + GRID_6000, false, ""),
                        new Target("run page, 1,000 task instances", "/dags/" + GRID_1000 + "/runs/" + LOG_RUN, true,
                                ""),
                        new Target("`GET …/dagRuns/{run}/taskInstances` (100 of 1,000)", "/api/v1/dags/" + GRID_1000
                                + "/dagRuns/" + LOG_RUN + "/taskInstances", false, ""),
                        new Target("runs list `/runs`", "/runs", true, ""),
                        new Target("task page with a 100 MB log, its tail shown", "/dags/" + GRID_1000 + "/runs/"
                                + LOG_RUN + "/tasks/t0", true, "#log.complete"),
                        new Target("`GET …/logs/1?tail=true` (100 MB log)", logApi + "?tail=true", false, ""),
                        new Target("`GET …/logs/1?before=…` (a page back)", logApi + "?before=" + tailOffset, false,
                                ""),
                        new Target("`GET …/logs/1?offset=0` (reading on)", logApi + "?offset=0", false, ""));
                Map<String, double[]> results = new LinkedHashMap<>();
                Map<String, List<Double>> serverTimes = new LinkedHashMap<>();
                Map<String, List<Double>> cpuTimes = new LinkedHashMap<>();
                for (int round = -3; round < serverRounds; round++) {
                    for (Target target : targets) {
                        long cpuBefore = PROCESS.getProcessCpuTime();
                        long before = System.nanoTime();
                        HttpResponse<byte[]> response = CLIENT.send(HttpRequest.newBuilder(server.url()
                                .resolve(target.path())).build(), HttpResponse.BodyHandlers.ofByteArray());
                        double millis = (System.nanoTime() - before) / 1e6;
                        double cpuMillis = (PROCESS.getProcessCpuTime() - cpuBefore) / 1e6;
                        if (response.statusCode() != 200) {
                            throw new IllegalStateException(target.path() + " answered " + response.statusCode());
                        }
                        if (round >= 0) {
                            serverTimes.computeIfAbsent(key(target), k -> new ArrayList<>()).add(millis);
                            cpuTimes.computeIfAbsent(key(target), k -> new ArrayList<>()).add(cpuMillis);
                        }
                        results.computeIfAbsent(key(target), k -> new double[] {0, 0, 0, Double.NaN})[0] =
                                response.body().length;
                    }
                }
                serverTimes.forEach((name, times) -> results.get(name)[1] = median(times));
                cpuTimes.forEach((name, times) -> results.get(name)[2] = median(times));
                drawn(server.url(), targets, browserRounds, results);
                return results;
            } finally {
                server.stop(Duration.ZERO);
            }
        }
    }

    private static String key(Target target) {
        return target.name() + " " + target.path();
    }

    /** Draws each page in Chromium, interleaved, and records the median time from navigation to drawn. */
    private static void drawn(URI base, List<Target> targets, int rounds, Map<String, double[]> results)
            throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        Path profile = Files.createTempDirectory("dagctl-web-bench-chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1300,1000", "--user-data-dir=" + profile);
        ChromeDriver driver = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build(), options);
        try {
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(120));
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(120));
            Map<String, List<Double>> times = new LinkedHashMap<>();
            for (int round = -2; round < rounds; round++) {
                for (Target target : targets) {
                    if (!target.drawn()) {
                        continue;
                    }
                    driver.get(base.resolve(target.path()).toString());
                    double millis = ((Number) ((JavascriptExecutor) driver).executeAsyncScript(DRAWN, target.ready()))
                            .doubleValue();
                    if (round >= 0) {
                        times.computeIfAbsent(key(target), k -> new ArrayList<>()).add(millis);
                    }
                    if (!target.ready().isEmpty() && round == rounds - 1) {
                        Number sent = (Number) ((JavascriptExecutor) driver).executeScript("return performance"
                                + ".getEntriesByType('resource').filter(e => e.name.includes('/logs/'))"
                                + ".reduce((sum, e) => sum + e.encodedBodySize, 0)");
                        Number shown = (Number) ((JavascriptExecutor) driver).executeScript(
                                "return document.getElementById('log').textContent.length");
                        System.out.printf(Locale.ROOT, "log page: %,d bytes of the log sent to the browser,"
                                + " %,d characters shown%n", sent.longValue(), shown.longValue());
                    }
                }
            }
            times.forEach((name, drawn) -> results.get(name)[3] = median(drawn));
        } finally {
            driver.quit();
            delete(profile);
        }
    }

    private static long tailOffset(URI tail) throws IOException, InterruptedException {
        String body = CLIENT.send(HttpRequest.newBuilder(tail).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher offset = Pattern.compile("\"offset\":(\\d+)").matcher(body);
        if (!offset.find()) {
            throw new IllegalStateException("no offset in " + body);
        }
        return Long.parseLong(offset.group(1));
    }

    /**
     * Finished runs an hour apart, newest last; each task ran a few seconds, one task in 50 of the newest run failed
     * and its downstream did not run.
     */
    private static void insertRuns(MetadataStore store, DagSpec dag, int count) {
        Instant first = Instant.parse("2026-11-01T00:00:00Z");
        for (int r = 0; r < count; r++) {
            Instant at = first.plus(Duration.ofHours(r));
            String runId = "run_" + r;
            boolean failing = r == count - 1;
            List<TaskInstance> instances = new ArrayList<>();
            List<TaskSpec> tasks = dag.tasks();
            for (int t = 0; t < tasks.size(); t++) {
                Instant start = at.plusSeconds(t % 60);
                TaskInstance tried = TaskInstance.fresh(dag.id(), runId, tasks.get(t).id(), 1)
                        .startedTry(start, "bench-host", 4242);
                TaskState state = failing && t % 50 == 49 ? TaskState.FAILED : TaskState.SUCCESS;
                instances.add(failing && t > tasks.size() / 2 && t % 50 == 0
                        ? TaskInstance.fresh(dag.id(), runId, tasks.get(t).id(), 1).decided(TaskState.UPSTREAM_FAILED,
                                start)
                        : tried.endedTry(state, start.plusMillis(1500 + t % 7 * 300), state == TaskState.FAILED
                                ? Optional.of("ValueError: row " + t + " out of range") : Optional.empty(),
                                Optional.empty()));
            }
            boolean failed = instances.stream().anyMatch(i -> i.state() == TaskState.FAILED);
            store.write(tx -> {
                tx.insertRun(new DagRun(dag.id(), runId, failed ? RunState.FAILED : RunState.SUCCESS,
                        RunType.SCHEDULED, at, at, at.plus(Duration.ofHours(1)), Map.of(), at, Optional.of(at),
                        Optional.of(at.plusSeconds(90)), Optional.empty(), Optional.empty()));
                tx.insertTasks(instances);
            });
        }
    }

    /** 100 MB of log lines as a chatty task writes them. */
    private static void writeLog(Path log) throws IOException {
        Files.createDirectories(log.getParent());
        try (BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            long written = 0;
            for (long line = 0; written < LOG_BYTES; line++) {
                String text = String.format(Locale.ROOT, "2026-11-01T23:00:%02d.%03dZ INFO  [dagctl.task.stdout]"
                        + " processed batch %d: %d rows, %d rejected%n", line / 1000 % 60, line % 1000, line,
                        1000 + line % 17, line % 3);
                out.write(text);
                written += text.length();
            }
        }
    }

    private static void print(List<String> databases, Map<String, Map<String, double[]>> figures) {
        StringBuilder header = new StringBuilder("| Request | Size |");
        StringBuilder rule = new StringBuilder("|---|---|");
        for (String database : databases) {
            header.append(" server, ").append(database).append(" | CPU, ").append(database).append(" | drawn, ")
                    .append(database).append(" |");
            rule.append("---|---|---|");
        }
        System.out.println(header);
        System.out.println(rule);
        Map<String, double[]> first = figures.get(databases.get(0));
        for (String name : first.keySet()) {
            StringBuilder row = new StringBuilder("| ").append(name.substring(0, name.lastIndexOf(' ')))
                    .append(" | ").append(size(first.get(name)[0])).append(" |");
            for (String database : databases) {
                double[] figure = figures.get(database).get(name);
                row.append(String.format(Locale.ROOT, " %.1f ms | %.0f ms |", figure[1], figure[2]))
                        .append(Double.isNaN(figure[3]) ? " |" : String.format(Locale.ROOT, " %.0f ms |", figure[3]));
            }
            System.out.println(row);
        }
    }

    private static String size(double bytes) {
        return bytes >= 1024 * 1024 ? String.format(Locale.ROOT, "%.1f MB", bytes / 1024 / 1024)
                : String.format(Locale.ROOT, "%.0f kB", Math.max(1, bytes / 1024));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void delete(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
