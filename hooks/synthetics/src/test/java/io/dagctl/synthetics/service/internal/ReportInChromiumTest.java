package io.dagctl.synthetics.service.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Opens the synthetic quality report in headless Chromium, as a reader would, without network access: counts the
 * marks of every chart in the DOM the browser built and checks that a screenshot shows the charts' colours. The
 * screenshot, whole and cut into pages, stays in {@code target/report-screenshots/} to be looked at.
 */
class ReportInChromiumTest {
    private static final Path OUT = Path.of("target", "report-screenshots");
    private static final Pattern SVG = Pattern.compile("<svg id=\"([^\"]+)\"(.*?)</svg>", Pattern.DOTALL);
    private static final Pattern MARK = Pattern.compile("class=\"mark\"");
    private static final Pattern HEIGHT = Pattern.compile("class=\"mark\" x=\"[^\"]+\" y=\"[^\"]+\" width=\"[^\"]+\""
            + " height=\"([^\"]+)\"");

    private static Path chromium;
    private static QualityReport report;
    private static Path page;

    @BeforeAll
    static void renderTheReport() throws IOException {
        chromium = onPath("chromium").orElse(null);
        Table training = BookingFeatures.generate(2000, 11);
        CopulaSynthesizer model = CopulaSynthesizer.train(training, 3);
        report = QualityEvaluator.evaluate(training, model.generate(2000, 4), model.profiles(), model.constraints());
        Files.createDirectories(OUT);
        page = OUT.resolve("quality-report.html").toAbsolutePath();
        Files.writeString(page, ReportHtml.render("Synthetic data quality", report));
    }

    /** Here rather than before all, so that each test is reported as skipped, with the reason. */
    @BeforeEach
    void needsChromium() {
        assumeTrue(chromium != null, "chromium is not on the PATH: install Debian's chromium package to check the"
                + " quality report in a browser");
    }

    @Test
    void drawsEveryChartWithOneMarkPerValue() throws Exception {
        String dom = run("--dump-dom", page.toUri().toString());

        List<String> expected = new ArrayList<>();
        for (QualityReport.Field f : report.fields()) {
            int bars = 2 * f.histogram().labels().size() + (f.kind().isNumeric() ? 2 : 0);
            expected.add("hist-" + f.name() + "=" + bars);
        }
        int cells = report.correlations().fields().size() * report.correlations().fields().size();
        expected.addAll(List.of("corr-training=" + cells, "corr-synthetic=" + cells, "corr-difference=" + cells));
        QualityReport.Projection projection = report.principalComponents().projection();
        expected.add("pca=" + (projection.training().length + projection.synthetic().length));

        List<String> drawn = new ArrayList<>();
        Matcher svg = SVG.matcher(dom);
        while (svg.find()) {
            drawn.add(svg.group(1) + "=" + MARK.matcher(svg.group(2)).results().count());
        }
        assertThat(drawn).containsExactlyElementsOf(expected);
        assertThat(projection.training().length).isEqualTo(400);
        assertThat(dom).contains("share of rows", "age (value)", "gender (category)", "PC1 (", "% of the training"
                + " variance)", "min_session_time_seconds ≤ avg_session_time_seconds ≤ max_session_time_seconds");
        Matcher age = SVG.matcher(dom);
        while (age.find()) {
            if (age.group(1).equals("hist-age")) {
                assertThat(HEIGHT.matcher(age.group(2)).results().mapToDouble(m -> Double.parseDouble(m.group(1))))
                        .as("bar heights of the age histogram").anyMatch(height -> height > 50);
            }
        }
    }

    @Test
    void showsTheChartsInTheirColoursInAScreenshot() throws Exception {
        Path png = OUT.resolve("quality-report.png").toAbsolutePath();
        Files.deleteIfExists(png);

        run("--screenshot=" + png, "--window-size=1200,6000", page.toUri().toString());

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1200);
        // Bars, heatmap cells and points; a page whose SVG failed to render would show the tables only.
        assertThat(pixels(image, 0x4c78a8)).as("training-coloured pixels").isGreaterThan(20_000);
        assertThat(pixels(image, 0xf58518)).as("synthetic-coloured pixels").isGreaterThan(20_000);
        // Pages of a screen's height, small enough to look at one by one.
        for (int top = 0, page = 1; top < image.getHeight(); top += 1500, page++) {
            BufferedImage part = image.getSubimage(0, top, 1200, Math.min(1500, image.getHeight() - top));
            ImageIO.write(part, "png", OUT.resolve("quality-report-" + page + ".png").toFile());
        }
    }

    private static long pixels(BufferedImage image, int rgb) {
        long count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y);
                if (close(p >> 16, rgb >> 16) && close(p >> 8, rgb >> 8) && close(p, rgb)) {
                    count++;
                }
            }
        }
        return count;
    }

    /** Within a few steps of one colour channel: anti-aliasing and half-transparent points blend a little. */
    private static boolean close(int a, int b) {
        return Math.abs((a & 0xff) - (b & 0xff)) <= 24;
    }

    /** Runs headless Chromium without network, profile or sandbox (CI runs as root), and returns its output. */
    private static String run(String... args) throws Exception {
        Path profile = Files.createTempDirectory("chromium-profile");
        try {
            List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox",
                    "--disable-gpu", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                    "--user-data-dir=" + profile));
            command.addAll(List.of(args));
            Path output = Files.createTempFile("chromium", ".out");
            Process process = new ProcessBuilder(command)
                    .redirectOutput(output.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            boolean finished = process.waitFor(120, TimeUnit.SECONDS);
            if (!finished) {
                process.destroyForcibly();
            }
            assertThat(finished).as("chromium finished within 120 s: %s", command).isTrue();
            assertThat(process.exitValue()).as("exit code of %s", command).isZero();
            String out = Files.readString(output, StandardCharsets.UTF_8);
            Files.delete(output);
            return out;
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    private static Optional<Path> onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, program)).filter(Files::isExecutable)
                .findFirst();
    }
}
