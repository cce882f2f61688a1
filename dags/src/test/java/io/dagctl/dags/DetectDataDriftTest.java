package io.dagctl.dags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dagctl.ConnectionUri;
import io.dagctl.Connections;
import io.dagctl.RunState;
import io.dagctl.TaskState;
import io.dagctl.dags.DetectDataDrift.CurrentWindow;
import io.dagctl.dags.DetectDataDrift.DriftSummary;
import io.dagctl.dags.demo.DemoData;
import io.dagctl.drift.Datasets;
import io.dagctl.drift.DriftDetector;
import io.dagctl.drift.DriftReport;
import io.dagctl.embedded.testing.SharedLocalS3;
import io.dagctl.embedded.testing.SharedPostgres;
import io.dagctl.hooks.http.HttpHookModule;
import io.dagctl.hooks.postgres.PostgresHook;
import io.dagctl.hooks.postgres.PostgresHookModule;
import io.dagctl.hooks.s3.S3Hook;
import io.dagctl.hooks.s3.S3HookFactory;
import io.dagctl.hooks.s3.S3HookModule;
import io.dagctl.hooks.s3.S3Key;
import io.dagctl.hooks.slack.SlackHookModule;
import io.dagctl.internal.discovery.DagDiscovery;
import io.dagctl.spec.DagSpec;
import io.dagctl.testkit.DagRunResult;
import io.dagctl.testkit.DagTestKit;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * detect_data_drift run whole, in-process, against embedded PostgreSQL and local S3, with a MockWebServer standing
 * in for the Slack webhook and for the web servers the daily CSV is fetched from.
 */
class DetectDataDriftTest {
    private static final String BUCKET = "drift-runs";
    private static final String WEBHOOK_PATH = "/services/T0DAGCTL/B0DRIFT/driftWebhookToken";
    private static final S3Key PUBLISHED_MODEL = new S3Key("bike-sharing", "model.json");
    private static final List<String> TASKS = List.of("read_reference", "fetch_current", "detect_drift",
            "append_current", "drift_detected", "notify_drift");
    private static final String HEADER = String.join(",", BikeRides.COLUMNS);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Queue<String> slackPayloads = new ConcurrentLinkedQueue<>();
    private static final Map<String, String> servedCsv = new ConcurrentHashMap<>();
    private static MockWebServer web;
    private static PostgresHook bikes;
    private static S3Hook s3;
    private static Connections connections;

    @BeforeAll
    static void startServers() throws IOException {
        web = new MockWebServer();
        web.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (request.getMethod().equals("POST") && WEBHOOK_PATH.equals(request.getPath())) {
                    slackPayloads.add(request.getBody().readUtf8());
                    return new MockResponse().setBody("ok");
                }
                String csv = servedCsv.get(request.getPath());
                return csv == null ? new MockResponse().setResponseCode(404).setBody("no such file")
                        : new MockResponse().setBody(csv);
            }
        });
        web.start();
        String database = SharedPostgres.freshDatabase("bikes");
        bikes = new PostgresHook(ConnectionUri.parse("bike_db", database));
        String s3Uri = SharedLocalS3.connectionUri(BUCKET);
        s3 = new S3HookFactory().create(ConnectionUri.parse("s3_default", s3Uri));
        connections = TestServices.connections(Map.of("bike_db", database, "s3_default", s3Uri,
                "http_default", web.url("/").toString(), "slack_default", web.url(WEBHOOK_PATH).toString()));
    }

    @AfterAll
    static void stopWebServer() throws IOException {
        web.shutdown();
    }

    @BeforeEach
    void startFromTheReferenceAndAnEmptyCurrentTable() {
        DemoData.seedBikes(bikes);
        slackPayloads.clear();
        servedCsv.clear();
    }

    @Test
    void findsDriftInMarchAndTellsSlackLeavingTheRetrainingToTrainModel() throws IOException {
        s3.createBucketIfMissing(PUBLISHED_MODEL.bucket());
        s3.delete(PUBLISHED_MODEL);

        DagRunResult result = run(DagDiscovery.load(DetectDataDrift.class), Map.of());

        assertThat(result.runState()).as(result.toString()).isEqualTo(RunState.SUCCESS);
        assertThat(result.taskStates()).containsOnlyKeys(TASKS).allSatisfy((task, state) ->
                assertThat(state).as(task).isEqualTo(TaskState.SUCCESS));
        CurrentWindow window = result.xcom("fetch_current", CurrentWindow.class);
        assertThat(window).isEqualTo(new CurrentWindow(new S3Key(BUCKET, result.runId() + "/current.csv"),
                LocalDate.of(2011, 3, 1), LocalDate.of(2011, 3, 31), 31, List.of()));
        DriftSummary drift = result.xcom("detect_drift", DriftSummary.class);
        assertThat(drift.datasetDrift()).isTrue();
        assertThat(drift.columns()).isEqualTo(5);
        assertThat(drift.scores()).containsOnlyKeys(BikeRides.DRIFT_COLUMNS);
        assertThat(drift.drifted()).containsExactly("temp", "atemp", "windspeed");
        assertThat(drift.driftedColumns()).isEqualTo(3);
        assertThat(drift.driftShare()).isEqualTo(0.6);
        assertThat(text(drift.htmlReport())).contains("<html");
        assertThat(JSON.readTree(text(drift.jsonReport())).path("drift_by_columns").size()).isEqualTo(5);
        JsonNode evidently = JSON.readTree(text(drift.evidentlyJsonReport()));
        assertThat(evidently.at("/metrics/0/metric").asText()).isEqualTo("DatasetDriftMetric");
        assertThat(evidently.at("/metrics/0/result/dataset_drift").asBoolean()).isTrue();
        assertThat(evidently.at("/metrics/1/metric").asText()).isEqualTo("DataDriftTable");
        assertThat(evidently.at("/metrics/1/result/drift_by_columns/temp/drift_detected").asBoolean()).isTrue();
        assertThat(result.xcom("append_current", Long.class)).isEqualTo(31L);
        assertThat(currentDays()).isEqualTo(days("2011-03-01", "2011-03-31"));

        assertThat(slackPayloads).hasSize(1);
        JsonNode payload = JSON.readTree(slackPayloads.peek());
        assertThat(payload.path("text").asText())
                .isEqualTo("Data drift detected in the bike-sharing data from 2011-03-01 to 2011-03-31");
        JsonNode blocks = payload.path("blocks");
        assertThat(blocks.get(0).path("text").path("text").asText()).isEqualTo("Data drift detected");
        assertThat(blocks.get(1).path("text").path("text").asText()).isEqualTo(String.format(Locale.ROOT,
                "*%d of 5* columns drifted (share %.2f) in 31 rows from 2011-03-01 to 2011-03-31",
                drift.driftedColumns(), drift.driftShare()));
        List<String> fields = new ArrayList<>();
        blocks.get(2).path("fields").forEach(f -> fields.add(f.path("text").asText()));
        assertThat(fields).containsExactlyElementsOf(drift.drifted().stream()
                .map(c -> "*" + c + "*\n" + String.format(Locale.ROOT, "%.4g", drift.scores().get(c)))
                .toList());
        assertThat(blocks.get(3).path("elements").get(0).path("text").asText())
                .isEqualTo("Report: s3://" + BUCKET + "/" + result.runId() + "/drift_report.html");
        assertThat(s3.exists(PUBLISHED_MODEL)).as("train_model publishes the model, not this DAG").isFalse();
    }

    @Test
    void skipsSlackWhenTheDriftLibraryFindsNoDatasetDriftInFebruary() {
        DagRunResult result = run(DagDiscovery.load(DetectDataDrift.class),
                Map.of("startDate", "2011-02-01", "endDate", "2011-02-28"));

        DriftSummary drift = result.xcom("detect_drift", DriftSummary.class);
        assertThat(drift.datasetDrift()).as("dataset drift in February, share %s", drift.driftShare()).isFalse();
        assertThat(drift.drifted()).as("below the dataset share of 0.5").containsExactly("temp", "atemp");
        assertThat(result.runState()).isEqualTo(RunState.SUCCESS);
        assertThat(result.taskStates()).containsExactly(
                entry("read_reference", TaskState.SUCCESS), entry("fetch_current", TaskState.SUCCESS),
                entry("detect_drift", TaskState.SUCCESS), entry("append_current", TaskState.SUCCESS),
                entry("drift_detected", TaskState.SUCCESS), entry("notify_drift", TaskState.SKIPPED));
        assertThat(result.xcom("drift_detected", Boolean.class)).isFalse();
        assertThat(slackPayloads).isEmpty();
        assertThat(currentDays()).isEqualTo(days("2011-02-01", "2011-02-28"));
    }

    @Test
    void runningTheSameWindowTwiceLeavesItsRowsInCurrentOnce() {
        DagSpec dag = DagDiscovery.load(DetectDataDrift.class);
        Map<String, String> february = Map.of("startDate", "2011-02-01", "endDate", "2011-02-28");
        run(dag, Map.of());
        String marchAfterFirstRun = dump("2011-03-01", "2011-03-31");
        run(dag, february);
        DagRunResult again = run(dag, Map.of());

        assertThat(again.runState()).isEqualTo(RunState.SUCCESS);
        assertThat(again.log("append_current")).contains("replacing 31 rows of current dated 2011-03-01 to 2011-03-31");
        List<String> expected = days("2011-02-01", "2011-03-31");
        assertThat(currentDays()).isEqualTo(expected);
        assertThat(dump("2011-03-01", "2011-03-31")).isEqualTo(marchAfterFirstRun).contains(
                "74,2011-03-15,1,0,3,0,2,1,2,0.317391,0.318178,0.655652,0.184309,289,1767,2056");
    }

    @Test
    void aFailedAppendLeavesTheRowsOfAnEarlierRunInPlace() {
        DagSpec dag = TestServices.withoutRetries(DagDiscovery.load(DetectDataDrift.class));
        run(dag, Map.of());
        String march = dump("2011-03-01", "2011-03-31");
        List<String> lines = new ArrayList<>(Arrays.asList(march.split("\n")));
        String[] fields = lines.get(12).split(",");
        fields[BikeRides.COLUMNS.indexOf("cnt")] = "many";
        lines.set(12, String.join(",", fields));
        S3Key corrupted = new S3Key(BUCKET, "corrupted/current.csv");
        s3.upload(corrupted, out -> out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8)));

        DagRunResult result = DagTestKit.forDag(dag)
                .modules(new PostgresHookModule(), new S3HookModule(), new HttpHookModule(), new SlackHookModule())
                .connections(connections)
                .stub("fetch_current", new CurrentWindow(corrupted, LocalDate.of(2011, 3, 1), LocalDate.of(2011, 3, 31),
                        31, List.of()))
                .run();

        assertThat(result.taskState("append_current")).as(result.toString()).isEqualTo(TaskState.FAILED);
        assertThat(result.error("append_current")).hasValueSatisfying(error -> assertThat(error)
                .contains("invalid input syntax for type bigint: \"many\"").contains("line 13, column cnt"));
        assertThat(result.runState()).isEqualTo(RunState.FAILED);
        assertThat(dump("2011-03-01", "2011-03-31")).isEqualTo(march);
    }

    @Test
    void dropsMissingCellsInTheWindowPerColumnAndIgnoresRowsOutsideIt() throws IOException {
        List<String> lines = new ArrayList<>(bikeRides(0, 100));
        lines.set(10, withField(lines.get(10), "temp", ""));      // 2011-01-10, outside the window
        lines.set(20, withField(lines.get(20), "cnt", "lots"));   // 2011-01-20, outside the window
        lines.set(61, withField(lines.get(61), "hum", ""));       // 2011-03-02
        lines.set(62, withField(lines.get(62), "hum", "NA"));     // 2011-03-03
        lines.set(63, withField(lines.get(63), "weathersit", ""));
        String url = serve("/data/gaps.csv", lines);

        DagRunResult result = run(DagDiscovery.load(DetectDataDrift.class), Map.of("dataUrl", url));

        assertThat(result.runState()).as(result.toString()).isEqualTo(RunState.SUCCESS);
        DriftSummary drift = result.xcom("detect_drift", DriftSummary.class);
        JsonNode columns = JSON.readTree(text(drift.jsonReport())).path("drift_by_columns");
        assertThat(columns.at("/hum/current/missing").asInt()).isEqualTo(2);
        assertThat(columns.at("/hum/current/count").asInt()).isEqualTo(29);
        assertThat(columns.at("/weathersit/current/missing").asInt()).isEqualTo(1);
        assertThat(columns.at("/temp/current/missing").asInt()).isZero();
        assertThat(columns.at("/temp/reference/missing").asInt()).isZero();
        assertThat(text(drift.htmlReport())).contains("<td class=\"num\">0 / 2</td>");
        assertThat(currentDays()).isEqualTo(days("2011-03-01", "2011-03-31"));
        int missingHum = bikes.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM current WHERE hum IS NULL")
                .mapTo(Integer.class).one());
        assertThat(missingHum).isEqualTo(2);
    }

    @Test
    void aColumnWithoutValuesInTheWindowGetsTheVerdictNoValuesAndTheRunGoesOn() throws IOException {
        List<String> lines = new ArrayList<>(bikeRides(0, 100));
        for (int line = 60; line <= 90; line++) {
            lines.set(line, withField(lines.get(line), "windspeed", ""));
        }
        String url = serve("/data/no-wind.csv", lines);

        DagRunResult result = run(DagDiscovery.load(DetectDataDrift.class), Map.of("dataUrl", url));

        assertThat(result.runState()).as(result.toString()).isEqualTo(RunState.SUCCESS);
        DriftSummary drift = result.xcom("detect_drift", DriftSummary.class);
        assertThat(drift.columns()).isEqualTo(5);
        assertThat(drift.scores()).doesNotContainKey("windspeed");
        assertThat(drift.drifted()).containsExactly("temp", "atemp");
        JsonNode windspeed = JSON.readTree(text(drift.jsonReport())).at("/drift_by_columns/windspeed");
        assertThat(windspeed.path("verdict").asText()).isEqualTo("no values");
        assertThat(windspeed.path("drift_score").isNull()).isTrue();
        assertThat(windspeed.at("/current/missing").asInt()).isEqualTo(31);
        assertThat(text(drift.htmlReport())).contains("windspeed <span class=\"good\">no values</span>");
    }

    @Test
    void refusesADayThatRepeatsInTheWindowBeforeWritingAnything() {
        List<String> lines = new ArrayList<>(bikeRides(0, 100));
        lines.add(lines.get(70));
        String url = serve("/data/twice.csv", lines);

        DagRunResult result = assertRefused(Map.of("dataUrl", url), "CSV " + url + " line 101, column 'dteday': "
                + "2011-03-11 repeats the day of line 71; table 'current' holds one row per day");

        assertThat(s3.exists(new S3Key(BUCKET, result.runId() + "/current.csv"))).isFalse();
    }

    @Test
    void refusesADecimalInAnIntegerColumn() {
        List<String> lines = new ArrayList<>(bikeRides(0, 100));
        lines.set(75, withField(lines.get(75), "casual", "120.5"));
        String url = serve("/data/decimal.csv", lines);

        assertRefused(Map.of("dataUrl", url), "CSV " + url + " line 76, column 'casual': '120.5' is not a whole "
                + "number, which column 'casual' of table 'current' holds");
    }

    @Test
    void refusesAnExponentInAnIntegerColumn() {
        List<String> lines = new ArrayList<>(bikeRides(0, 100));
        lines.set(75, withField(lines.get(75), "cnt", "2e3"));
        String url = serve("/data/exponent.csv", lines);

        assertRefused(Map.of("dataUrl", url), "CSV " + url + " line 76, column 'cnt': '2e3' is not a whole "
                + "number, which column 'cnt' of table 'current' holds");
    }

    @Test
    void refusesAHexFloatBeforeCurrentIsTouched() {
        run(DagDiscovery.load(DetectDataDrift.class), Map.of());
        String march = dump("2011-03-01", "2011-03-31");
        List<String> lines = new ArrayList<>(bikeRides(0, 100));
        lines.set(75, withField(lines.get(75), "temp", "0x1p-2"));
        String url = serve("/data/hex.csv", lines);

        DagRunResult result = run(DagDiscovery.load(DetectDataDrift.class), Map.of("dataUrl", url));

        assertThat(result.runState()).isEqualTo(RunState.FAILED);
        assertThat(result.error("fetch_current")).hasValue("CSV " + url + " line 76, column 'temp': '0x1p-2' is not a "
                + "finite decimal number (digits, an optional point and exponent)");
        assertThat(result.tries("fetch_current")).isEqualTo(1);
        assertThat(slackPayloads).hasSize(1);
        assertThat(dump("2011-03-01", "2011-03-31")).isEqualTo(march);
    }

    @Test
    void refusesAWindowWithMissingDaysNamingThem() {
        List<String> lines = List.of(bikeRides(0, 1).get(0), bikeRides(60, 61).get(0), bikeRides(75, 76).get(0));
        String url = serve("/data/two-days.csv", lines);

        assertRefused(Map.of("dataUrl", url), "CSV " + url + " lacks 29 of the 31 days from 2011-03-01 to "
                + "2011-03-31: 2011-03-02..2011-03-15, 2011-03-17..2011-03-31; trigger with -p allowPartialWindow=true "
                + "to use the days it has (current keeps its rows for the others)");
    }

    @Test
    void aPartialWindowWhenAllowedReplacesOnlyTheDaysItHasAndWarnsOfTheOthers() {
        DagSpec dag = DagDiscovery.load(DetectDataDrift.class);
        run(dag, Map.of());
        String march = dump("2011-03-01", "2011-03-31");
        String changed = withField(bikeRides(60, 61).get(0), "cnt", "7");
        String url = serve("/data/two-days.csv", List.of(bikeRides(0, 1).get(0), changed, bikeRides(75, 76).get(0)));

        DagRunResult result = run(dag, Map.of("dataUrl", url, "allowPartialWindow", "true"));

        assertThat(result.runState()).as(result.toString()).isEqualTo(RunState.SUCCESS);
        assertThat(result.xcom("fetch_current", CurrentWindow.class).missingDays()).hasSize(29);
        assertThat(result.log("fetch_current")).contains("CSV " + url + " lacks 29 of the 31 days from 2011-03-01 to "
                + "2011-03-31: 2011-03-02..2011-03-15, 2011-03-17..2011-03-31; current keeps its rows for those days");
        assertThat(result.xcom("append_current", Long.class)).isEqualTo(2L);
        assertThat(currentDays()).isEqualTo(days("2011-03-01", "2011-03-31"));
        assertThat(dump("2011-03-01", "2011-03-31"))
                .isEqualTo(march.replace(bikeRides(60, 61).get(0), changed));
    }

    @Test
    void theHtmlReportShowsTheTrendOfTheEarlierRunsReadFromTheirReports() throws IOException {
        DagSpec dag = DagDiscovery.load(DetectDataDrift.class);
        for (S3Key old : s3.list(BUCKET, "")) {
            s3.delete(old);
        }
        DagRunResult february = run(dag, Map.of("startDate", "2011-02-01", "endDate", "2011-02-28"));
        s3.upload(new S3Key(BUCKET, "manual__1999-01-01T00:00:00+00:00/drift_report.json"),
                out -> out.write("not json".getBytes(StandardCharsets.UTF_8)));
        DagRunResult march = run(dag, Map.of());

        String html = text(march.xcom("detect_drift", DriftSummary.class).htmlReport());

        assertThat(html).contains("<h2>Across runs</h2>", "2 runs of this pipeline, oldest first",
                "<title>" + february.runId() + ": 40%</title>", "<title>" + march.runId() + ": 60%</title>");
        assertThat(html.split("<circle class=\"mark\"", -1)).as("2 points in 1 + 5 trend charts").hasSize(1 + 2 * 6);
        assertThat(march.log("detect_drift")).contains("the trend leaves out s3://" + BUCKET
                + "/manual__1999-01-01T00:00:00+00:00/drift_report.json: DriftRun: the report of run "
                + "manual__1999-01-01T00:00:00+00:00 is not JSON");
    }

    @Test
    void readsTheWindowFromAnS3Uri() {
        S3Key data = new S3Key(BUCKET, "inputs/day.csv");
        s3.upload(data, out -> DemoData.openBikeRides().transferTo(out));

        DagRunResult result = run(DagDiscovery.load(DetectDataDrift.class), Map.of("startDate", "2011-04-01",
                "endDate", "2011-04-30", "dataUrl", data.toString()));

        assertThat(result.taskState("fetch_current")).as(result.toString()).isEqualTo(TaskState.SUCCESS);
        assertThat(result.taskState("append_current")).isEqualTo(TaskState.SUCCESS);
        assertThat(currentDays()).isEqualTo(days("2011-04-01", "2011-04-30"));
    }

    @Test
    void refusesACsvWithoutARequiredColumn() {
        String url = serve("/data/no-hum.csv", bikeRides(0, 40).stream()
                .map(line -> dropField(line, BikeRides.COLUMNS.indexOf("hum"))).toList());

        assertRefused(Map.of("dataUrl", url), "CSV " + url
                + ": no column 'hum', which table 'current' needs; columns found are [instant, dteday, season, yr, mnth, holiday, weekday,"
                + " workingday, weathersit, temp, atemp, windspeed, casual, registered, cnt]");
    }

    @Test
    void refusesACsvWithARaggedRowNamingItsLine(@TempDir Path directory) throws IOException {
        List<String> lines = new ArrayList<>(bikeRides(0, 80));
        lines.set(70, dropField(lines.get(70), 15));
        Path file = Files.write(directory.resolve("day.csv"), lines);
        String url = file.toUri().toString();

        assertRefused(Map.of("dataUrl", url),
                "CSV " + url + " line 71: 15 fields but the header has 16");
    }

    @Test
    void refusesANonNumericValueInANumericalColumnNamingItsLineAndColumn() {
        List<String> lines = new ArrayList<>(bikeRides(0, 80));
        String[] fields = lines.get(65).split(",");
        fields[BikeRides.COLUMNS.indexOf("temp")] = "warm";
        lines.set(65, String.join(",", fields));
        String url = serve("/data/warm.csv", lines);

        assertRefused(Map.of("dataUrl", url), "CSV " + url
                + " line 66, column 'temp': 'warm' is not a finite decimal number (digits, an optional point and exponent)");
    }

    @Test
    void refusesAnEmptyFile() {
        String url = serve("/data/empty.csv", List.of());

        assertRefused(Map.of("dataUrl", url), "CSV " + url + ": empty, expected a header line naming the columns "
                + BikeRides.COLUMNS);
    }

    @Test
    void reportsAMissingLocalFileByItsPath(@TempDir Path directory) {
        Path absent = directory.resolve("absent.csv");

        assertFetchFails(Map.of("dataUrl", absent.toUri().toString()),
                "io.dagctl.hooks.http.MissingFileException: " + absent);
    }

    @Test
    void refusesAWindowWithNoRows() {
        assertRefused(Map.of("startDate", "2013-01-01", "endDate", "2013-01-31"),
                "CSV classpath:demo/bikeride.csv has 0 rows dated 2013-01-01"
                        + " to 2013-01-31, but drift detection needs at least 2");
    }

    @Test
    void reportsAMissingFileByItsUrlAndStatus() {
        String url = web.url("/data/missing.csv").toString();

        assertFetchFails(Map.of("dataUrl", url), "io.dagctl.hooks.http.HttpStatusException: GET " + url
                + " failed: HTTP 404 Client Error: no such file");
    }

    @Test
    void reportsAnUnreachableServerByItsUrl() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort + "/day.csv";

        assertFetchFails(Map.of("dataUrl", url), "java.io.IOException: GET " + url
                + " failed after 4 attempts: ConnectException: Failed to connect to /127.0.0.1:" + closedPort);
    }

    @Test
    void refusesAWindowOfOneDay() {
        assertRefused(Map.of("startDate", "2011-03-05", "endDate", "2011-03-05"),
                "CSV classpath:demo/bikeride.csv has 1 row dated 2011-03-05 to"
                        + " 2011-03-05, but drift detection needs at least 2");
    }

    /** Why the DAG refuses one-day windows: the library would answer, with a verdict one row cannot support. */
    @Test
    void theDriftLibraryGivesAVerdictOnASingleRowWithoutComplaint() {
        String referenceCsv = dump("2011-01-01", "2011-01-28", "reference");
        String oneDay = HEADER + "\n" + bikeRides(64, 65).get(0) + "\n";

        DriftReport report = DriftDetector.detect(
                Datasets.readCsv(utf8(referenceCsv), "reference", DetectDataDrift.MAPPING),
                Datasets.readCsv(utf8(oneDay), "one day", DetectDataDrift.MAPPING),
                DetectDataDrift.MAPPING);

        assertThat(report.currentRows()).isEqualTo(1);
        assertThat(report.numberOfColumns()).isEqualTo(5);
        assertThat(report.datasetDrift()).isFalse();
    }

    @Test
    void refusesParamsBeforeAnyRunIsCreated() {
        DagSpec dag = DagDiscovery.load(DetectDataDrift.class);

        assertThatThrownBy(() -> dag.params().bind(Map.of("startDate", "2011-04-01")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("params of DAG detect_data_drift: startDate 2011-04-01 is after endDate 2011-03-31");
        assertThatThrownBy(() -> dag.params().bind(Map.of("dataUrl", "ftp://example.com/day.csv")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("params of DAG detect_data_drift: dataUrl must be an http(s), file or s3 URI (or "
                        + "classpath:demo/bikeride.csv), not 'ftp://example.com/day.csv'");
        assertThatThrownBy(() -> run(dag, Map.of("startDate", "2011-04-01")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("params of DAG detect_data_drift: startDate 2011-04-01 is after endDate 2011-03-31");
        assertThat(slackPayloads).isEmpty();
        assertThat(currentDays()).isEmpty();
    }

    /**
     * The run fails at fetch_current's first try with {@code error}, though the task has retries left: data that is
     * wrong stays wrong. Nothing reaches {@code current}.
     */
    private DagRunResult assertRefused(Map<String, String> params, String error) {
        DagRunResult result = assertFails(run(DagDiscovery.load(DetectDataDrift.class), params), error);

        assertThat(result.tries("fetch_current")).isEqualTo(1);
        assertThat(result.log("fetch_current")).contains("failed, without retry: " + error);
        return result;
    }

    /** The run fails at fetch_current with {@code error}, and nothing reaches {@code current}. */
    private void assertFetchFails(Map<String, String> params, String error) {
        assertFails(run(TestServices.withoutRetries(DagDiscovery.load(DetectDataDrift.class)), params), error);
    }

    private DagRunResult assertFails(DagRunResult result, String error) {
        assertThat(result.runState()).as(result.toString()).isEqualTo(RunState.FAILED);
        assertThat(result.taskState("fetch_current")).isEqualTo(TaskState.FAILED);
        assertThat(result.error("fetch_current")).hasValue(error);
        assertThat(result.taskState("append_current")).isEqualTo(TaskState.UPSTREAM_FAILED);
        assertThat(result.taskState("detect_drift")).isEqualTo(TaskState.UPSTREAM_FAILED);
        assertThat(currentDays()).isEmpty();
        assertThat(slackPayloads).isEmpty();
        return result;
    }

    private static DagRunResult run(DagSpec dag, Map<String, String> params) {
        DagTestKit kit = DagTestKit.forDag(dag)
                .modules(new PostgresHookModule(), new S3HookModule(), new HttpHookModule(), new SlackHookModule())
                .connections(connections);
        params.forEach(kit::param);
        return kit.run();
    }

    private static String serve(String path, List<String> lines) {
        servedCsv.put(path, lines.stream().map(line -> line + "\n").collect(Collectors.joining()));
        return web.url(path).toString();
    }

    /** Lines {@code from} to {@code to} (exclusive) of the bundled CSV, the header being line 0. */
    private static List<String> bikeRides(int from, int to) {
        try (InputStream in = DemoData.openBikeRides()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList().subList(from, to);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String withField(String line, String column, String value) {
        String[] fields = line.split(",", -1);
        fields[BikeRides.COLUMNS.indexOf(column)] = value;
        return String.join(",", fields);
    }

    private static String dropField(String line, int index) {
        List<String> fields = new ArrayList<>(Arrays.asList(line.split(",", -1)));
        fields.remove(index);
        return String.join(",", fields);
    }

    private static List<String> currentDays() {
        return bikes.jdbi().withHandle(h -> h.createQuery("SELECT dteday::text FROM current ORDER BY dteday")
                .mapTo(String.class).list());
    }

    private static List<String> days(String first, String last) {
        LocalDate start = LocalDate.parse(first);
        return IntStream.rangeClosed(0, (int) (LocalDate.parse(last).toEpochDay() - start.toEpochDay()))
                .mapToObj(i -> start.plusDays(i).toString()).toList();
    }

    private static String dump(String first, String last) {
        return dump(first, last, "current");
    }

    private static String dump(String first, String last, String table) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        bikes.copyOut("SELECT " + HEADER + " FROM " + table + " WHERE dteday BETWEEN '" + first + "' AND '" + last
                + "' ORDER BY dteday", out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static InputStream utf8(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(S3Key key) {
        try (InputStream in = s3.open(key)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
