package io.dagctl.drift;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HtmlReportTest {

    private static DriftReport bikeReport() throws IOException {
        ColumnMapping mapping = ColumnMapping.of("dteday", List.of("weathersit", "temp", "atemp", "hum", "windspeed"),
                List.of("season"));
        Dataset rides;
        try (InputStream in = HtmlReportTest.class.getResourceAsStream("/bikeride.csv")) {
            rides = Datasets.readCsv(in, "bikeride.csv", mapping);
        }
        return DriftDetector.detect(rides.betweenDates("dteday", LocalDate.of(2011, 1, 1), LocalDate.of(2011, 1, 28)),
                rides.betweenDates("dteday", LocalDate.of(2011, 3, 1), LocalDate.of(2011, 3, 31)), mapping);
    }

    @Test
    void isSelfContainedWithAChartPerColumn() throws IOException {
        String html = bikeReport().toHtml();
        String withoutSvgNamespace = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");

        assertThat(withoutSvgNamespace).doesNotContain("<script", "<link", "http:", "https:", "@import", "url(");
        assertThat(html.split("<svg ", -1)).as("reference and current side by side per column").hasSize(1 + 2 * 6);
        assertThat(html).contains("Dataset drift detected", "K-S p_value", "chi-square p_value");
        writeForInspection(html);
    }

    @Test
    void showsEachSidesCountsQuantilesAndTheValuesThatMovedMostInExpandableDetails() {
        Dataset reference = Dataset.of(Map.of("x", Column.numbers(1, 2, 3, 4, Double.NaN),
                "c", Column.texts("a", "a", "b", "c", null)));
        Dataset current = Dataset.of(Map.of("x", Column.numbers(2, 4, 6, Double.NaN, Double.NaN),
                "c", Column.texts("c", "c", "c", "a", "b")));

        String html = DriftDetector.detect(reference, current, ColumnMapping.of(null, List.of("x"), List.of("c"))).toHtml();

        assertThat(html).contains("<details><summary>Details</summary>",
                "<tr><th>reference</th><td class=\"num\">4</td><td class=\"num\">1</td><td class=\"num\">4</td>"
                        + "<td class=\"num\">1</td><td class=\"num\">1.75</td><td class=\"num\">2.5</td>"
                        + "<td class=\"num\">3.25</td><td class=\"num\">4</td></tr>",
                "<tr><th>current</th><td class=\"num\">3</td><td class=\"num\">2</td><td class=\"num\">3</td>",
                "<tr><td>c</td><td class=\"num\">25%</td><td class=\"num\">60%</td><td class=\"num\">+35%</td></tr>\n"
                        + "<tr><td>a</td><td class=\"num\">50%</td><td class=\"num\">20%</td><td class=\"num\">-30%</td></tr>",
                "reference: 4 values, 1 missing dropped", "current: 3 values, 2 missing dropped",
                "drift when the p-value is below it");
        assertThat(html).doesNotContain("Across runs");
    }

    @Test
    void escapesColumnNamesAndCategories() {
        Dataset reference = Dataset.of(Map.of("<b>", Column.texts("x&y", "x&y", "<i>")));
        Dataset current = Dataset.of(Map.of("<b>", Column.texts("x&y", "<i>", "<i>")));

        String html = DriftDetector.detect(reference, current, ColumnMapping.of(null, List.of(), List.of("<b>"))).toHtml();

        assertThat(html).contains("&lt;b&gt;", "x&amp;y", "&lt;i&gt;").doesNotContain("<b>", "<i>");
    }

    /** Leaves the page where a person (or a headless browser) can look at it. */
    private static void writeForInspection(String html) throws IOException {
        Path out = Path.of("target", "drift-report-bikeride.html");
        Files.createDirectories(out.getParent());
        Files.writeString(out, html);
    }
}
