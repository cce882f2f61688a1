package io.dagctl.dags;

import io.dagctl.Connection;
import io.dagctl.Dag;
import io.dagctl.FailWithoutRetryException;
import io.dagctl.From;
import io.dagctl.Param;
import io.dagctl.Task;
import io.dagctl.TaskContext;
import io.dagctl.dags.demo.DemoData;
import io.dagctl.drift.CheckedWindow;
import io.dagctl.drift.ColumnDrift;
import io.dagctl.drift.ColumnMapping;
import io.dagctl.drift.CsvFormatException;
import io.dagctl.drift.Dataset;
import io.dagctl.drift.Datasets;
import io.dagctl.drift.DriftDetector;
import io.dagctl.drift.DriftReport;
import io.dagctl.drift.DriftRun;
import io.dagctl.hooks.http.HttpHook;
import io.dagctl.hooks.postgres.CsvOptions;
import io.dagctl.hooks.postgres.PostgresHook;
import io.dagctl.hooks.s3.S3Hook;
import io.dagctl.hooks.s3.S3Key;
import io.dagctl.hooks.slack.SlackHook;
import io.dagctl.hooks.slack.SlackMessage;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Compares a window of bike-sharing data, checked row by row against the {@code current} table, with the reference
 * data for drift (the statistics of Evidently's DataDriftPreset), upserts the window's days into {@code current}, and
 * when drift is found tells Slack. A run that
 * finds drift triggers {@link TrainModel}, which retrains the ridge model that predicts rentals.
 */
@Dag(id = "detect_data_drift", schedule = "0 11 * * MON", params = DetectDataDrift.DriftWindow.class,
        tags = {"drift", "bike-sharing"},
        description = "Drift of bike-sharing data against its reference; on drift, Slack (then train_model)")
public final class DetectDataDrift {
    /** The data bundled with dagctl, the default of {@code dataUrl}. */
    public static final String BUNDLED_DATA = "classpath:demo/bikeride.csv";
    static final ColumnMapping MAPPING = ColumnMapping.of(BikeRides.DATE, BikeRides.DRIFT_COLUMNS, List.of());
    private static final String COLUMN_LIST = String.join(", ", BikeRides.COLUMNS);
    /** The drift tests give a verdict even on one row, a meaningless one: such a window is refused. */
    private static final int MIN_WINDOW_ROWS = 2;
    private static final String JSON_REPORT = "drift_report.json";
    /** How many earlier runs the HTML report's trend shows. */
    private static final int TREND_RUNS = 20;

    private final PostgresHook bikes;
    private final S3Hook s3;
    private final HttpHook http;
    private final SlackHook slack;

    @Inject
    public DetectDataDrift(@Connection("bike_db") PostgresHook bikes, S3Hook s3, HttpHook http, SlackHook slack) {
        this.bikes = bikes;
        this.s3 = s3;
        this.http = http;
        this.slack = slack;
    }

    /** The window of current data to compare, and where to read it from. */
    public record DriftWindow(
            @Param(defaultValue = "2011-03-01", description = "First day of the current window") LocalDate startDate,
            @Param(defaultValue = "2011-03-31", description = "Last day of the current window (included)") LocalDate endDate,
            @Param(defaultValue = BUNDLED_DATA, description = "The daily CSV: an http(s), file or s3 URI") URI dataUrl,
            @Param(defaultValue = "false", description = "Accept a CSV that lacks some of the window's days (they are "
                    + "reported, and left as they are in current)") boolean allowPartialWindow) {

        private static final Set<String> SCHEMES = Set.of("http", "https", "file", "s3");

        public DriftWindow {
            if (startDate.isAfter(endDate)) {
                throw new IllegalArgumentException("startDate " + startDate + " is after endDate " + endDate);
            }
            String scheme = dataUrl.getScheme() == null ? "" : dataUrl.getScheme().toLowerCase(Locale.ROOT);
            if (!SCHEMES.contains(scheme) && !dataUrl.toString().equals(BUNDLED_DATA)) {
                throw new IllegalArgumentException("dataUrl must be an http(s), file or s3 URI (or " + BUNDLED_DATA
                        + "), not '" + dataUrl + "'");
            }
        }
    }

    /** The current window as checked CSV in S3, and the window's days the CSV did not have. */
    public record CurrentWindow(S3Key csv, LocalDate startDate, LocalDate endDate, int rows, List<LocalDate> missingDays) {
        public CurrentWindow {
            missingDays = List.copyOf(missingDays);
        }
    }

    /**
     * The verdict, the drift score of each column that had values, and where the full reports are ({@code
     * evidentlyJsonReport} in the shape of Evidently's {@code Report.as_dict()}).
     */
    public record DriftSummary(boolean datasetDrift, int driftedColumns, int columns, double driftShare,
                               Map<String, Double> scores, List<String> drifted, S3Key htmlReport, S3Key jsonReport,
                               S3Key evidentlyJsonReport) {
    }

    @Task
    public S3Key readReference(TaskContext context) {
        S3Key key = s3.key(context.runId() + "/reference.csv");
        s3.upload(key, out -> bikes.copyOut("SELECT " + COLUMN_LIST + " FROM reference ORDER BY dteday", out));
        return key;
    }

    /**
     * Reads the window's rows out of {@code dataUrl}, rows dated outside it ignored, and checks every one against the
     * {@code current} table before anything else sees it. Days of the window the CSV lacks refuse the run unless
     * {@code allowPartialWindow} is set; then they are logged as a warning.
     */
    @Task(retries = 2, retryDelay = "PT10S", retryExponentialBackoff = true)
    public CurrentWindow fetchCurrent(TaskContext context, DriftWindow window) throws IOException {
        String source = window.dataUrl().toString();
        CheckedWindow rows;
        try (InputStream data = open(window.dataUrl())) {
            rows = BikeRides.readChecked(bikes, data, source, window.startDate(), window.endDate());
        } catch (CsvFormatException wrongData) {
            // Another try would read the same data; only a network failure is worth retrying.
            throw new FailWithoutRetryException(wrongData.getMessage(), wrongData);
        }
        if (rows.size() < MIN_WINDOW_ROWS) {
            throw new FailWithoutRetryException("CSV " + source + " has " + rows.size() + " row" + (rows.size() == 1 ? "" : "s")
                    + " dated " + window.startDate() + " to " + window.endDate() + ", but drift detection needs at least "
                    + MIN_WINDOW_ROWS);
        }
        List<LocalDate> missingDays = rows.missingDays();
        if (!missingDays.isEmpty()) {
            String missing = "CSV " + source + " lacks " + missingDays.size() + " of the "
                    + (missingDays.size() + rows.size()) + " days from " + window.startDate() + " to "
                    + window.endDate() + ": " + days(missingDays);
            if (!window.allowPartialWindow()) {
                throw new FailWithoutRetryException(missing + "; trigger with -p allowPartialWindow=true to use the days "
                        + "it has (current keeps its rows for the others)");
            }
            context.log().warn("{}; current keeps its rows for those days", missing);
        }
        S3Key key = s3.key(context.runId() + "/current.csv");
        s3.upload(key, rows::writeCsv);
        context.log().info("{} rows of {} dated {} to {}", rows.size(), source, window.startDate(), window.endDate());
        return new CurrentWindow(key, window.startDate(), window.endDate(), rows.size(), missingDays);
    }

    /** Days as ranges, "2011-03-03..2011-03-31, 2011-04-02". */
    private static String days(List<LocalDate> days) {
        List<String> ranges = new ArrayList<>();
        int start = 0;
        for (int k = 1; k <= days.size(); k++) {
            if (k == days.size() || !days.get(k).equals(days.get(k - 1).plusDays(1))) {
                ranges.add(start == k - 1 ? days.get(start).toString() : days.get(start) + ".." + days.get(k - 1));
                start = k;
            }
        }
        return String.join(", ", ranges);
    }

    private InputStream open(URI dataUrl) throws IOException {
        return switch (dataUrl.getScheme().toLowerCase(Locale.ROOT)) {
            case "s3" -> s3.open(S3Key.parse(dataUrl.toString()));
            case "classpath" -> DemoData.openBikeRides();
            default -> http.open(dataUrl.toString());
        };
    }

    @Task
    public DriftSummary detectDrift(TaskContext context, @From("read_reference") S3Key reference, CurrentWindow current)
            throws IOException {
        Dataset referenceData;
        Dataset currentData;
        try (InputStream in = s3.open(reference)) {
            referenceData = Datasets.readCsv(in, reference.toString(), MAPPING);
        }
        try (InputStream in = s3.open(current.csv())) {
            currentData = Datasets.readCsv(in, current.csv().toString(), MAPPING);
        }
        DriftReport report = DriftDetector.detect(referenceData, currentData, MAPPING);
        S3Key html = s3.key(context.runId() + "/drift_report.html");
        S3Key json = s3.key(context.runId() + "/" + JSON_REPORT);
        S3Key evidentlyJson = s3.key(context.runId() + "/drift_report_evidently.json");
        String page = report.toHtml(context.runId(), earlierRuns(context));
        s3.upload(html, out -> out.write(page.getBytes(StandardCharsets.UTF_8)));
        s3.upload(json, out -> out.write(report.toJson().getBytes(StandardCharsets.UTF_8)));
        s3.upload(evidentlyJson, out -> out.write(report.toEvidentlyJson().getBytes(StandardCharsets.UTF_8)));
        Map<String, Double> scores = new LinkedHashMap<>();
        report.columns().stream().filter(ColumnDrift::hasValues).forEach(c -> scores.put(c.columnName(), c.driftScore()));
        List<String> drifted = report.columns().stream().filter(ColumnDrift::driftDetected).map(ColumnDrift::columnName)
                .toList();
        context.log().info("dataset drift: {}; drifted columns: {}; report: {}", report.datasetDrift(), drifted, html);
        return new DriftSummary(report.datasetDrift(), report.numberOfDriftedColumns(), report.numberOfColumns(),
                report.shareOfDriftedColumns(), scores, drifted, html, json, evidentlyJson);
    }

    /**
     * The figures of the latest earlier runs, read back from their JSON reports in S3, oldest first (by the time in
     * the run id): the trend in the HTML report. A report that cannot be read is left out with a warning.
     */
    private List<DriftRun> earlierRuns(TaskContext context) {
        S3Key mine = s3.key(context.runId() + "/" + JSON_REPORT);
        List<S3Key> reports = s3.list(mine.bucket(), "").stream()
                .filter(key -> key.key().endsWith("/" + JSON_REPORT) && !key.equals(mine))
                .sorted(Comparator.comparing(key -> runTime(runIdOf(key))))
                .toList();
        List<DriftRun> runs = new ArrayList<>();
        for (S3Key key : reports.subList(Math.max(0, reports.size() - TREND_RUNS), reports.size())) {
            try (InputStream in = s3.open(key)) {
                runs.add(DriftRun.fromJson(runIdOf(key), new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException | RuntimeException unreadable) {
                context.log().warn("the trend leaves out {}: {}", key, unreadable.getMessage());
            }
        }
        return runs;
    }

    private static String runIdOf(S3Key report) {
        return report.key().substring(0, report.key().length() - JSON_REPORT.length() - 1);
    }

    /** The time a run id carries after its "__" (manual__2011-…, scheduled__2011-…), else the id itself. */
    private static String runTime(String runId) {
        int separator = runId.indexOf("__");
        return separator < 0 ? runId : runId.substring(separator + 2);
    }

    /**
     * Upserts the window's rows into {@code current} per day in one transaction: a day the CSV has replaces that
     * day's row, a day it lacks keeps its row, so running a window twice adds nothing and a partial CSV deletes nothing.
     */
    @Task(retries = 2, retryDelay = "PT10S")
    public long appendCurrent(TaskContext context, CurrentWindow current) throws IOException {
        long appended = bikes.inTransaction(handle -> {
            handle.execute("CREATE TEMPORARY TABLE incoming_window (LIKE current) ON COMMIT DROP");
            try (InputStream csv = s3.open(current.csv())) {
                bikes.copyIn(handle, "incoming_window", csv, CsvOptions.defaults().withColumns(
                        BikeRides.COLUMNS.toArray(String[]::new)));
            }
            int replaced = handle.execute("DELETE FROM current c USING incoming_window i WHERE c.dteday = i.dteday");
            if (replaced > 0) {
                context.log().info("replacing {} rows of current dated {} to {}", replaced, current.startDate(),
                        current.endDate());
            }
            return (long) handle.execute("INSERT INTO current SELECT * FROM incoming_window");
        });
        context.log().info("appended {} rows to current", appended);
        return appended;
    }

    @Task(shortCircuit = true)
    public boolean driftDetected(DriftSummary drift) {
        return drift.datasetDrift();
    }

    @Task(after = "drift_detected")
    public void notifyDrift(DriftSummary drift, CurrentWindow current) {
        Map<String, String> fields = new LinkedHashMap<>();
        drift.drifted().forEach(c -> fields.put(c, String.format(Locale.ROOT, "%.4g", drift.scores().get(c))));
        slack.send(SlackMessage.of("Data drift detected in the bike-sharing data from " + current.startDate() + " to "
                        + current.endDate())
                .withHeader("Data drift detected")
                .withSection(String.format(Locale.ROOT, "*%d of %d* columns drifted (share %.2f) in %d rows from %s to %s",
                        drift.driftedColumns(), drift.columns(), drift.driftShare(), current.rows(),
                        current.startDate(), current.endDate()))
                .withFields(fields)
                .withContext("Report: " + drift.htmlReport()));
    }
}
