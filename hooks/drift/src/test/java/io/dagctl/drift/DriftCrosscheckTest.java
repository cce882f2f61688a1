package io.dagctl.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compares the detector with the figures scipy/numpy give when computed the way Evidently does
 * ({@code scripts/crosscheck/drift_crosscheck.py} writes {@code drift_crosscheck.json}): 6 significant digits.
 */
class DriftCrosscheckTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final double RELATIVE_TOLERANCE = 1e-6;
    private static final JsonNode FIXTURE = readFixture();
    private static final ColumnMapping BIKE_MAPPING = ColumnMapping.of("dteday",
            List.of("weathersit", "temp", "atemp", "hum", "windspeed"), List.of());

    static Stream<String> columnCases() {
        List<String> names = new ArrayList<>();
        FIXTURE.get("columns").forEach(c -> names.add(c.get("name").asText()));
        return names.stream();
    }

    @ParameterizedTest(name = "{0} agrees with scipy")
    @MethodSource("columnCases")
    void columnVerdictAgreesWithScipy(String name) {
        JsonNode testCase = caseNamed(name);
        boolean numerical = testCase.get("column_type").asText().equals("num");
        DriftOptions options = DriftOptions.defaults();
        if (!testCase.get("stattest").isNull()) {
            options = options.withStatTest(name, StatTest.byEvidentlyName(testCase.get("stattest").asText()));
        }
        if (!testCase.get("threshold").isNull()) {
            options = options.withThreshold(name, testCase.get("threshold").asDouble());
        }
        ColumnMapping mapping = numerical ? ColumnMapping.of(null, List.of(name), List.of())
                : ColumnMapping.of(null, List.of(), List.of(name));

        DriftReport report = DriftDetector.detect(dataset(name, testCase.get("reference"), numerical),
                dataset(name, testCase.get("current"), numerical), mapping, options);

        JsonNode expected = testCase.get("expected");
        ColumnDrift drift = report.column(name);
        assertThat(drift.statTest().displayName()).isEqualTo(expected.get("stattest_name").asText());
        assertThat(drift.threshold()).isEqualTo(expected.get("stattest_threshold").asDouble());
        assertAgrees(drift.driftScore(), expected.get("drift_score").asDouble());
        assertThat(drift.driftDetected()).isEqualTo(expected.get("drift_detected").asBoolean());
    }

    @Test
    void theCommittedFiguresAreWhatTheReferenceScriptComputesToday() throws Exception {
        assumeTrue(pythonWith("numpy", "scipy"), "python3 with numpy and scipy is not installed: the committed "
                + "drift_crosscheck.json is used without re-running scripts/crosscheck/drift_crosscheck.py");
        Path fresh = Files.createDirectories(Path.of("target", "crosscheck")).resolve("drift_crosscheck.json");
        Process script = new ProcessBuilder("python3", "../../scripts/crosscheck/drift_crosscheck.py", fresh.toString())
                .redirectErrorStream(true).start();
        String printed = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(script.waitFor()).as("drift_crosscheck.py exit code; it printed:%n%s", printed).isZero();

        JsonNode computed = MAPPER.copy().enable(com.fasterxml.jackson.core.JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS)
                .readTree(fresh.toFile());
        assertSameShapeAndValues(computed, FIXTURE, "$");
        assertSameShapeAndValues(FIXTURE, computed, "$");
    }

    private static boolean pythonWith(String... modules) {
        try {
            Process probe = new ProcessBuilder("python3", "-c", "import " + String.join(", ", modules))
                    .redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            return probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void marchAgainstJanuaryBikeRidesIsDatasetDriftAsEvidentlySays() throws IOException {
        DriftReport report = bikeWindow(1);

        assertThat(report.datasetDrift()).isTrue();
        assertMatchesEvidently(report, FIXTURE.get("bike").get(0).get("expected"));
    }

    @Test
    void februaryAgainstJanuaryBikeRidesIsNoDatasetDriftWithTwoDriftedColumns() throws IOException {
        DriftReport report = bikeWindow(2);

        assertThat(report.datasetDrift()).isFalse();
        assertThat(report.numberOfDriftedColumns()).isEqualTo(2);
        assertThat(report.columns()).filteredOn(ColumnDrift::driftDetected).extracting(ColumnDrift::columnName)
                .containsExactly("temp", "atemp");
        assertMatchesEvidently(report, FIXTURE.get("bike").get(1).get("expected"));
    }

    private static DriftReport bikeWindow(int currentIndex) throws IOException {
        JsonNode window = FIXTURE.get("bike").get(currentIndex - 1);
        Dataset rides;
        try (InputStream in = DriftCrosscheckTest.class.getResourceAsStream("/bikeride.csv")) {
            rides = Datasets.readCsv(in, "bikeride.csv", BIKE_MAPPING);
        }
        Dataset reference = rides.betweenDates("dteday", date(window.get("reference").get(0)), date(window.get("reference").get(1)));
        Dataset current = rides.betweenDates("dteday", date(window.get("current").get(0)), date(window.get("current").get(1)));
        return DriftDetector.detect(reference, current, BIKE_MAPPING);
    }

    /** The report's JSON carries every key and value of the expected as_dict(), numbers to 6 digits, and may add its own. */
    private static void assertMatchesEvidently(DriftReport report, JsonNode expected) throws IOException {
        JsonNode actual = MAPPER.readTree(report.toJson());
        assertSameShapeAndValues(actual, expected, "$");
    }

    private static void assertSameShapeAndValues(JsonNode actual, JsonNode expected, String path) {
        if (expected.isObject()) {
            List<String> expectedKeys = new ArrayList<>();
            expected.fieldNames().forEachRemaining(expectedKeys::add);
            List<String> actualKeys = new ArrayList<>();
            actual.fieldNames().forEachRemaining(actualKeys::add);
            assertThat(actualKeys).as(path).containsAll(expectedKeys);
            for (String key : expectedKeys) {
                assertSameShapeAndValues(actual.get(key), expected.get(key), path + "." + key);
            }
        } else if (expected.isArray()) {
            assertThat(actual.size()).as(path + " size").isEqualTo(expected.size());
            for (int k = 0; k < expected.size(); k++) {
                assertSameShapeAndValues(actual.get(k), expected.get(k), path + "[" + k + "]");
            }
        } else if (expected.isNumber()) {
            assertThat(actual.isNumber()).as(path + " is a number").isTrue();
            if (!Double.isFinite(expected.asDouble())) {
                assertThat(Double.valueOf(actual.asDouble())).as(path).isEqualTo(Double.valueOf(expected.asDouble()));
                return;
            }
            assertAgrees(actual.asDouble(), expected.asDouble());
        } else {
            assertThat(actual).as(path).isEqualTo(expected);
        }
    }

    private static void assertAgrees(double actual, double expected) {
        double tolerance = expected == 0 ? 1e-300 : Math.abs(expected) * RELATIVE_TOLERANCE;
        assertThat(actual).isCloseTo(expected, org.assertj.core.data.Offset.offset(tolerance));
    }

    private static Dataset dataset(String name, JsonNode values, boolean numerical) {
        if (numerical) {
            double[] numbers = new double[values.size()];
            for (int k = 0; k < numbers.length; k++) {
                JsonNode v = values.get(k);
                numbers[k] = v.isNull() ? Double.NaN : v.asDouble();
            }
            return Dataset.of(Map.of(name, Column.numbers(numbers)));
        }
        String[] texts = new String[values.size()];
        for (int k = 0; k < texts.length; k++) {
            texts[k] = values.get(k).isNull() ? null : values.get(k).asText();
        }
        return Dataset.of(Map.of(name, Column.texts(texts)));
    }

    private static JsonNode caseNamed(String name) {
        for (JsonNode c : FIXTURE.get("columns")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no fixture case " + name);
    }

    private static LocalDate date(JsonNode text) {
        return LocalDate.parse(text.asText());
    }

    private static JsonNode readFixture() {
        try (InputStream in = DriftCrosscheckTest.class.getResourceAsStream("/drift_crosscheck.json")) {
            return new ObjectMapper().enable(com.fasterxml.jackson.core.JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS)
                    .readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
