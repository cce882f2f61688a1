package io.dagctl.synthetics.service.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CopulaSynthesizerTest {
    private static Table training;
    private static CopulaSynthesizer model;
    private static Table synthetic;
    private static QualityReport report;

    @BeforeAll
    static void trainOnBookingFeatures() {
        training = BookingFeatures.generate(2000, 11);
        model = CopulaSynthesizer.train(training, 3);
        synthetic = model.generate(2000, 4);
        report = QualityEvaluator.evaluate(training, synthetic, model.profiles());
    }

    @Test
    void infersEachColumnsKind() {
        assertThat(model.profiles()).extracting(ColumnProfile::kind).containsExactly(ColumnKind.ID,
                ColumnKind.CATEGORICAL, ColumnKind.INTEGER, ColumnKind.CATEGORICAL, ColumnKind.CATEGORICAL,
                ColumnKind.DATE, ColumnKind.INTEGER, ColumnKind.INTEGER, ColumnKind.FLOAT, ColumnKind.FLOAT,
                ColumnKind.FLOAT);
        assertThat(model.profiles().get(8).decimals()).isEqualTo(1);
    }

    @Test
    void scoresExcellentAndCopiesNoTrainingRow() {
        assertThat(report.syntheticQualityScore().score()).isGreaterThanOrEqualTo(80);
        assertThat(report.syntheticQualityScore().grade()).isEqualTo("Excellent");
        assertThat(report.privacy().exactMatches()).isZero();
    }

    @Test
    void regeneratesIdsInTheirShapeWithoutReusingAny() {
        Set<String> trainingIds = new HashSet<>(Arrays.asList(training.column(0)));
        String[] ids = synthetic.column(0);
        assertThat(new HashSet<>(Arrays.asList(ids))).hasSize(ids.length).doesNotContainAnyElementsOf(trainingIds);
        assertThat(ids).allMatch(id -> id.matches("[a-z0-9]{10}"));
    }

    @Test
    void preservesTheNullRateOfANullableColumn() {
        QualityReport.Field age = report.fields().stream().filter(f -> f.name().equals("age")).findFirst().orElseThrow();
        assertThat(age.syntheticNullRate()).isCloseTo(age.trainingNullRate(), org.assertj.core.api.Assertions.within(0.03));
    }

    @Test
    void keepsTheCorrelationBetweenActionsAndUniqueActions() {
        List<String> names = report.correlations().fields();
        int actions = names.indexOf("number_of_actions_taken");
        int unique = names.indexOf("number_of_unique_actions");
        double real = report.correlations().training()[actions][unique];
        assertThat(real).isGreaterThan(0.5);
        assertThat(report.correlations().synthetic()[actions][unique]).isBetween(real - 0.1, real + 0.1);
    }

    @Test
    void neverEmitsARowThatRepeatsATrainingRowEvenWhenFewCombinationsExist() {
        StringBuilder csv = new StringBuilder("user_id,colour,size\n");
        String[] colours = {"red", "green", "blue"};
        for (int i = 0; i < 300; i++) {
            csv.append("u").append(1000 + i).append(',').append(colours[i % 3]).append(',').append(i % 2 == 0 ? "S" : "L")
                    .append('\n');
        }
        // Only 6 distinct rows exist, all in training: nothing new can be drawn, and the synthesizer says so.
        Table tiny = Table.readCsv(new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)));
        CopulaSynthesizer copies = CopulaSynthesizer.train(tiny, 1);
        assertThatThrownBy(() -> copies.generate(10, 2)).isInstanceOf(IllegalStateException.class)
                .hasMessage("generated 0 of 10 records in 1000 draws: nearly every draw repeated a training row,"
                        + " the training data has too few distinct rows to synthesize from");
    }

    @Test
    void writesCsvThatReadsBackTheSame() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        synthetic.writeCsv(out);
        Table back = Table.readCsv(new ByteArrayInputStream(out.toByteArray()));
        assertThat(back.columns()).isEqualTo(synthetic.columns());
        assertThat(back.rows()).hasSize(synthetic.size());
        assertThat(back.rows().get(7)).containsExactly(synthetic.rows().get(7));
    }

    @Test
    void rendersASelfContainedHtmlReport() {
        String html = ReportHtml.render("Quality", report);
        assertThat(html).contains("Synthetic Quality Score", "<svg", "number_of_actions_taken", "Privacy")
                .doesNotContain("<script", "http://", "https://", "@import");
    }
}
