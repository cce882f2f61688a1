package io.dagctl.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the drift report in headless Chromium (Debian's {@code chromium}), offline: checks that every chart lays out
 * with the marks it should have, and leaves a screenshot in {@code target/drift-report/}. Skipped, saying why, where
 * Chromium is not installed.
 */
class HtmlReportInBrowserTest {
    private static final Path OUT = Path.of("target", "drift-report");
    private static final ColumnMapping MAPPING = ColumnMapping.of("dteday",
            List.of("weathersit", "temp", "atemp", "hum", "windspeed"), List.of("season"));
    /** Appended to a copy of the report only: the report itself has no script. */
    private static final String PROBE = """
            <script>
            window.addEventListener('load', () => {
              const charts = [...document.querySelectorAll('svg')].map(svg => {
                const box = svg.getBoundingClientRect();
                const marks = [...svg.querySelectorAll('.mark')];
                const drawn = marks.filter(m => { const b = m.getBBox(); return b.width > 0 || b.height > 0; });
                return {kind: svg.getAttribute('class'), width: box.width, height: box.height,
                        marks: marks.length, drawn: drawn.length};
              });
              const pre = document.createElement('pre');
              pre.id = 'render-check';
              pre.textContent = JSON.stringify(charts);
              document.body.appendChild(pre);
            });
            </script>
            """;
    private static Path chromium;

    @BeforeAll
    static void findChromium() {
        chromium = Stream.of("chromium", "chromium-browser", "google-chrome")
                .flatMap(name -> Stream.of(System.getenv("PATH").split(File.pathSeparator)).map(dir -> Path.of(dir, name)))
                .filter(Files::isExecutable).findFirst().orElse(null);
        assumeTrue(chromium != null, "chromium is not installed (apt-get install chromium): the drift report is not "
                + "checked in a browser");
    }

    private static Dataset rides() throws IOException {
        try (InputStream in = HtmlReportInBrowserTest.class.getResourceAsStream("/bikeride.csv")) {
            return Datasets.readCsv(in, "bikeride.csv", MAPPING);
        }
    }

    private static DriftReport monthAgainstJanuary(Dataset rides, int month) {
        LocalDate first = LocalDate.of(2011, month, 1);
        return DriftDetector.detect(rides.betweenDates("dteday", LocalDate.of(2011, 1, 1), LocalDate.of(2011, 1, 28)),
                rides.betweenDates("dteday", first, first.plusMonths(1).minusDays(1)), MAPPING);
    }

    @Test
    void everyChartRendersWithItsMarksAndTheTrendHasAPointPerRun(@TempDir Path scratch) throws Exception {
        Dataset rides = rides();
        List<DriftRun> earlier = new ArrayList<>();
        for (int month = 2; month <= 4; month++) {
            earlier.add(DriftRun.fromJson("scheduled__2011-0" + (month + 1) + "-07T11:00:00+00:00",
                    monthAgainstJanuary(rides, month).toJson()));
        }
        DriftReport report = monthAgainstJanuary(rides, 5);
        String html = report.toHtml("scheduled__2011-06-06T11:00:00+00:00", earlier);
        Files.createDirectories(OUT);
        Path page = Files.writeString(OUT.resolve("drift-report.html"), html);
        Path probe = Files.writeString(OUT.resolve("drift-report-probe.html"), html.replace("</body>", PROBE + "</body>"));

        JsonNode charts = renderedCharts(probe, scratch.resolve("dump"));

        List<Integer> expected = new ArrayList<>();
        int runs = earlier.size() + 1;
        expected.add(runs);                                   // share of drifted columns
        report.columns().forEach(c -> expected.add(runs));    // each column's score
        for (ColumnDrift column : report.columns()) {         // reference and current bars
            int bars = column.distribution().reference().size();
            expected.add(bars);
            expected.add(bars);
        }
        List<Integer> marks = new ArrayList<>();
        charts.forEach(chart -> {
            assertThat(chart.get("width").asDouble()).as("chart width").isPositive();
            assertThat(chart.get("height").asDouble()).as("chart height").isPositive();
            assertThat(chart.get("drawn").asInt()).as("marks laid out with a size").isEqualTo(chart.get("marks").asInt());
            marks.add(chart.get("marks").asInt());
        });
        assertThat(marks).isEqualTo(expected);
        assertThat(charts.get(0).get("kind").asText()).isEqualTo("trend-chart");

        Path screenshot = OUT.resolve("drift-report.png").toAbsolutePath();
        Files.deleteIfExists(screenshot);
        chromium(scratch.resolve("screenshot"), "--screenshot=" + screenshot, "--window-size=1280,2600",
                page.toUri().toString());
        assertThat(screenshot).isNotEmptyFile();
        assertThat(Files.readAllBytes(screenshot)).startsWith(0x89, 'P', 'N', 'G');
    }

    /** The probe's JSON, read from the DOM Chromium dumps after the page loaded. */
    private static JsonNode renderedCharts(Path probe, Path scratch) throws Exception {
        String dom = chromium(scratch, "--dump-dom", "--virtual-time-budget=5000", probe.toUri().toString());
        Matcher check = Pattern.compile("<pre id=\"render-check\">(.*?)</pre>", Pattern.DOTALL).matcher(dom);
        assertThat(check.find()).as("the probe ran; Chromium printed:%n%s", dom).isTrue();
        return new ObjectMapper().readTree(check.group(1).replace("&quot;", "\"").replace("&amp;", "&"));
    }

    /** Runs Chromium with a fresh profile under {@code scratch}; returns what it printed. */
    private static String chromium(Path scratch, String... arguments) throws Exception {
        Path profile = Files.createDirectories(scratch.resolve("profile"));
        List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--hide-scrollbars", "--user-data-dir=" + profile));
        command.addAll(List.of(arguments));
        Path stderr = scratch.resolve("chromium.log");
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        assertThat(process.exitValue()).as("chromium exit code; it logged:%n%s", Files.readString(stderr)).isZero();
        return out;
    }
}
