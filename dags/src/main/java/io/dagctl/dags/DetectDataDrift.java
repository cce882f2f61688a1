package io.dagctl.dags;

import io.dagctl.Connection;
import io.dagctl.Dag;
import io.dagctl.FailWithoutRetryException;
import io.dagctl.From;
import io.dagctl.Param;
import io.dagctl.Task;
import io.dagctl.TaskContext;
import io.dagctl.dags.demo.DemoData;
import io.dagctl.drift.ColumnDrift;
import io.dagctl.drift.ColumnMapping;
import io.dagctl.drift.Dataset;
import io.dagctl.drift.Datasets;
import io.dagctl.drift.DriftDetector;
import io.dagctl.drift.DriftReport;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Compares a window of bike-sharing data with the reference data for drift (the statistics of Evidently's
 * DataDriftPreset), appends the window to the {@code current} table, and when drift is found tells Slack. A run that
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
            @Param(defaultValue = BUNDLED_DATA, description = "The daily CSV: an http(s), file or s3 URI") URI dataUrl) {

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

    /** The current window as checked CSV in S3. */
    public record CurrentWindow(S3Key csv, LocalDate startDate, LocalDate endDate, int rows) {
    }

    /** The verdict, the drift score of each column, and where the full reports are. */
    public record DriftSummary(boolean datasetDrift, int driftedColumns, int columns, double driftShare,
                               Map<String, Double> scores, List<String> drifted, S3Key htmlReport, S3Key jsonReport) {
    }

    @Task
    public S3Key readReference(TaskContext context) {
        S3Key key = s3.key(context.runId() + "/reference.csv");
        s3.upload(key, out -> bikes.copyOut("SELECT " + COLUMN_LIST + " FROM reference ORDER BY dteday", out));
        return key;
    }

    @Task(retries = 2, retryDelay = "PT10S", retryExponentialBackoff = true)
    public CurrentWindow fetchCurrent(TaskContext context, DriftWindow window) throws IOException {
        S3Key key = s3.key(context.runId() + "/current.csv");
        String source = window.dataUrl().toString();
        int[] rows = new int[1];
        try (InputStream data = open(window.dataUrl())) {
            s3.upload(key, out -> {
                rows[0] = BikeRides.copyWindow(data, source, window.startDate(), window.endDate(), out);
                if (rows[0] < MIN_WINDOW_ROWS) {
                    throw new IllegalArgumentException("CSV " + source + " has " + rows[0] + " row dated "
                            + window.startDate() + " to " + window.endDate() + ", but drift detection needs at least "
                            + MIN_WINDOW_ROWS);
                }
            });
        } catch (IllegalArgumentException wrongData) {
            // Another try would read the same data; only a network failure is worth retrying.
            throw new FailWithoutRetryException(wrongData.getMessage(), wrongData);
        }
        context.log().info("{} rows of {} dated {} to {}", rows[0], source, window.startDate(), window.endDate());
        return new CurrentWindow(key, window.startDate(), window.endDate(), rows[0]);
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
        S3Key json = s3.key(context.runId() + "/drift_report.json");
        s3.upload(html, out -> out.write(report.toHtml().getBytes(StandardCharsets.UTF_8)));
        s3.upload(json, out -> out.write(report.toJson().getBytes(StandardCharsets.UTF_8)));
        Map<String, Double> scores = new LinkedHashMap<>();
        report.columns().forEach(c -> scores.put(c.columnName(), c.driftScore()));
        List<String> drifted = report.columns().stream().filter(ColumnDrift::driftDetected).map(ColumnDrift::columnName)
                .toList();
        context.log().info("dataset drift: {}; drifted columns: {}; report: {}", report.datasetDrift(), drifted, html);
        return new DriftSummary(report.datasetDrift(), report.numberOfDriftedColumns(), report.numberOfColumns(),
                report.shareOfDriftedColumns(), scores, drifted, html, json);
    }

    /** Replaces the window's days in {@code current} in one transaction, so running a window twice adds nothing. */
    @Task(retries = 2, retryDelay = "PT10S")
    public long appendCurrent(TaskContext context, CurrentWindow current) throws IOException {
        long appended = bikes.inTransaction(handle -> {
            int replaced = handle.createUpdate("DELETE FROM current WHERE dteday BETWEEN :start AND :end")
                    .bind("start", current.startDate()).bind("end", current.endDate()).execute();
            if (replaced > 0) {
                context.log().info("replacing {} rows of current dated {} to {}", replaced, current.startDate(),
                        current.endDate());
            }
            try (InputStream csv = s3.open(current.csv())) {
                return bikes.copyIn(handle, "current", csv, CsvOptions.defaults().withColumns(
                        BikeRides.COLUMNS.toArray(String[]::new)));
            }
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
