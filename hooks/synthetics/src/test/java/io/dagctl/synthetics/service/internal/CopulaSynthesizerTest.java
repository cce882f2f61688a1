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
        report = QualityEvaluator.evaluate(training, synthetic, model.profiles(), model.constraints());
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
    void samplesNumbersWithinTheTrainingRangeWithoutFillingTheGapsAroundOutliers() {
        StringBuilder csv = new StringBuilder("age,nights\n");
        java.util.Random random = new java.util.Random(5);
        for (int i = 0; i < 1000; i++) {
            csv.append(18 + random.nextInt(53)).append(',').append(1 + random.nextInt(14)).append('\n');
        }
        // A birth year typed as the age, and a typo: values no other row comes near.
        csv.append("105,3\n105,4\n105,5\n2014,2\n2014,6\n");
        Table ages = Table.readCsv(new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)));

        Table generated = CopulaSynthesizer.train(ages, 1).generate(20_000, 2);

        List<Integer> synthetic = Arrays.stream(generated.column(0)).map(Integer::valueOf).toList();
        assertThat(synthetic).allMatch(age -> age >= 18 && age <= 2014)
                .filteredOn(age -> age > 70).isNotEmpty().allMatch(age -> age == 105 || age == 2014);
    }

    @Test
    void findsTheRulesEveryTrainingRowKeeps() {
        assertThat(model.constraints().descriptions()).containsExactly(
                "min_session_time_seconds ≤ avg_session_time_seconds ≤ max_session_time_seconds",
                "number_of_unique_actions ≤ number_of_actions_taken");
    }

    @Test
    void leavesOutAnInequalityThatTheColumnsScalesAloneExplain() {
        StringBuilder csv = new StringBuilder("actions,seconds,actions_plus_retries\n");
        java.util.Random random = new java.util.Random(8);
        for (int i = 0; i < 1000; i++) {
            int actions = 1 + random.nextInt(50);
            // One short session in a thousand: independent columns would break actions ≤ seconds in 0.04% of pairs,
            // so 1000 rows keeping it say nothing (they would with probability 0.67).
            int seconds = i == 0 ? 30 : 60 + random.nextInt(940);
            csv.append(i == 0 ? 5 : actions).append(',').append(seconds).append(',')
                    .append(actions + random.nextInt(3)).append('\n');
        }
        Table table = Table.readCsv(new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)));

        CopulaSynthesizer trained = CopulaSynthesizer.train(table, 1);

        assertThat(trained.constraints().descriptions()).containsExactly("actions ≤ actions_plus_retries");
    }

    @Test
    void generatesRowsThatKeepTheTrainingRules() {
        for (String[] row : synthetic.rows()) {
            assertThat(Long.parseLong(row[7])).as("unique actions ≤ actions in %s", Arrays.toString(row))
                    .isLessThanOrEqualTo(Long.parseLong(row[6]));
            double avg = Double.parseDouble(row[8]);
            assertThat(avg).as("min ≤ avg ≤ max in %s", Arrays.toString(row))
                    .isBetween(Double.parseDouble(row[9]), Double.parseDouble(row[10]));
        }
        assertThat(report.rules()).extracting(QualityReport.Rule::rule, QualityReport.Rule::trainingShare,
                QualityReport.Rule::syntheticShare, QualityReport.Rule::syntheticRowsBreaking).containsExactly(
                org.assertj.core.groups.Tuple.tuple(
                        "min_session_time_seconds ≤ avg_session_time_seconds ≤ max_session_time_seconds", 1.0, 1.0,
                        0L),
                org.assertj.core.groups.Tuple.tuple("number_of_unique_actions ≤ number_of_actions_taken", 1.0, 1.0,
                        0L));
    }

    @Test
    void countsTheRowsThatBreakARuleInTheReport() {
        List<String[]> broken = new java.util.ArrayList<>(training.rows());
        String[] first = broken.get(0).clone();
        first[7] = Long.toString(Long.parseLong(first[6]) + 1);
        broken.set(0, first);

        QualityReport withBreach = QualityEvaluator.evaluate(training, new Table(training.columns(), broken),
                model.profiles(), model.constraints());

        QualityReport.Rule uniqueActions = withBreach.rules().get(1);
        assertThat(uniqueActions.syntheticRowsBreaking()).isEqualTo(1);
        assertThat(uniqueActions.syntheticShare()).isEqualTo(1999.0 / 2000);
    }

    @Test
    void givesTheSameRecordsAndScoreForTheSameSeedAndData() {
        Table again = CopulaSynthesizer.train(BookingFeatures.generate(2000, 11), 3).generate(2000, 4);
        CopulaSynthesizer retrained = CopulaSynthesizer.train(training, 3);
        QualityReport reportAgain = QualityEvaluator.evaluate(training, again, retrained.profiles(),
                retrained.constraints());

        assertThat(again.rows()).zipSatisfy(synthetic.rows(), (a, b) -> assertThat(a).containsExactly(b));
        assertThat(reportAgain.syntheticQualityScore()).isEqualTo(report.syntheticQualityScore());
        assertThat(ReportHtml.render("Quality", reportAgain)).isEqualTo(ReportHtml.render("Quality", report));
        Table otherSeed = CopulaSynthesizer.train(training, 3).generate(2000, 5);
        assertThat(otherSeed.rows().get(0)).isNotEqualTo(synthetic.rows().get(0));
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
                .hasMessage("generated 0 of 10 records in 1000 draws: 1000 repeated a training row, the training"
                        + " data has too few distinct rows to synthesize from");
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
