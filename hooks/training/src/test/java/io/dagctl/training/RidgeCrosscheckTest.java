package io.dagctl.training;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dagctl.training.internal.LinearFit;
import io.dagctl.training.internal.RidgeRegression;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Compares the Java results to {@code scripts/crosscheck/training_crosscheck.py} (numpy, LU solve). */
class RidgeCrosscheckTest {
    private static final double TOLERANCE = 1e-6;

    record Fixture(List<String> features, Map<String, Window> windows) {
    }

    record Window(int rows, int trainingRows, int testRows, LocalDate firstDate, LocalDate lastDate,
                  List<AlphaResult> alphas, double bestAlpha, double testRmsle, List<Double> testPredictions) {
    }

    record AlphaResult(double alpha, List<Double> coefficients, double intercept, List<Double> foldRmsle,
                       double meanRmsle) {
    }

    private static Fixture fixture;
    private static TrainingData bikes;

    @BeforeAll
    static void readFixtureAndData() throws IOException {
        ObjectMapper mapper = new ObjectMapper().findAndRegisterModules()
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);
        try (InputStream in = RidgeCrosscheckTest.class.getResourceAsStream("/crosscheck/training_crosscheck.json")) {
            fixture = mapper.readValue(in, Fixture.class);
        }
        try (Reader csv = new InputStreamReader(
                RidgeCrosscheckTest.class.getResourceAsStream("/data/bikeride.csv"), StandardCharsets.UTF_8)) {
            bikes = TrainingData.fromBikeCsv(csv);
        }
    }

    private static TrainingData window(String name) {
        return name.equals("full") ? bikes : bikes.between(LocalDate.of(2011, 3, 1), LocalDate.of(2011, 3, 31));
    }

    @ParameterizedTest
    @ValueSource(strings = {"full", "2011-03"})
    void ridgeCoefficientsForEveryAlphaEqualTheNumpyClosedForm(String name) {
        Window expected = fixture.windows().get(name);
        TrainingData data = window(name);
        double[][] x = data.rows().stream().limit(expected.trainingRows())
                .map(row -> row.features().stream().mapToDouble(Double::doubleValue).toArray())
                .toArray(double[][]::new);
        double[] y = data.rows().stream().limit(expected.trainingRows())
                .mapToDouble(row -> Math.log1p(row.target())).toArray();

        for (AlphaResult alpha : expected.alphas()) {
            LinearFit fit = RidgeRegression.fit(x, y, alpha.alpha());
            double[] coefficients = fit.coefficients();
            for (int j = 0; j < coefficients.length; j++) {
                assertThat(coefficients[j]).as("alpha %s, %s", alpha.alpha(), fixture.features().get(j))
                        .isCloseTo(alpha.coefficients().get(j), within(TOLERANCE));
            }
            assertThat(fit.intercept()).as("alpha %s, intercept", alpha.alpha())
                    .isCloseTo(alpha.intercept(), within(TOLERANCE));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"full", "2011-03"})
    void gridSearchScoresPicksAndTestsTheAlphaTheNumpyReferenceDoes(String name) {
        Window expected = fixture.windows().get(name);
        Instant now = Instant.parse("2024-05-01T12:00:00Z");

        RidgeModel model = new TrainingHook(Clock.fixed(now, ZoneOffset.UTC))
                .trainRidge(window(name), RidgeGridSearch.defaults());

        assertThat(expected.rows()).isEqualTo(model.trainingRows() + model.testRows());
        assertThat(model.trainingRows()).isEqualTo(expected.trainingRows());
        assertThat(model.testRows()).isEqualTo(expected.testRows());
        assertThat(model.dataWindow()).isEqualTo(new RidgeModel.DataWindow(expected.firstDate(), expected.lastDate()));
        assertThat(model.cvScores()).hasSameSizeAs(expected.alphas());
        for (int a = 0; a < expected.alphas().size(); a++) {
            AlphaResult reference = expected.alphas().get(a);
            RidgeModel.CvScore score = model.cvScores().get(a);
            assertThat(score.alpha()).isEqualTo(reference.alpha());
            assertThat(score.foldRmsle()).hasSize(3);
            for (int fold = 0; fold < 3; fold++) {
                assertThat(score.foldRmsle().get(fold)).as("alpha %s fold %d", reference.alpha(), fold)
                        .isCloseTo(reference.foldRmsle().get(fold), within(TOLERANCE));
            }
            assertThat(score.meanRmsle()).isCloseTo(reference.meanRmsle(), within(TOLERANCE));
        }
        double lowestMean = model.cvScores().stream().mapToDouble(RidgeModel.CvScore::meanRmsle).min().orElseThrow();
        assertThat(model.cvScores()).filteredOn(score -> score.alpha() == model.alpha())
                .singleElement().extracting(RidgeModel.CvScore::meanRmsle).isEqualTo(lowestMean);
        assertThat(model.alpha()).isEqualTo(expected.bestAlpha());

        AlphaResult best = expected.alphas().stream().filter(a -> a.alpha() == expected.bestAlpha()).findFirst()
                .orElseThrow();
        for (int j = 0; j < best.coefficients().size(); j++) {
            assertThat(model.coefficients().get(j)).isCloseTo(best.coefficients().get(j), within(TOLERANCE));
        }
        assertThat(model.intercept()).isCloseTo(best.intercept(), within(TOLERANCE));
        assertThat(model.testRmsle()).isCloseTo(expected.testRmsle(), within(TOLERANCE));
        assertThat(model.featureNames()).isEqualTo(fixture.features());
        assertThat(model.targetTransform()).isEqualTo("log1p");
        assertThat(model.trainedAt()).isEqualTo(now);
    }

    @ParameterizedTest
    @ValueSource(strings = {"full", "2011-03"})
    void loadedModelPredictsTheTestRowsAsTheNumpyReferenceDoes(String name) {
        Window expected = fixture.windows().get(name);
        RidgeModel trained = new TrainingHook().trainRidge(window(name), RidgeGridSearch.defaults());
        RidgeModel loaded = RidgeModel.load(new java.io.ByteArrayInputStream(
                trained.toJson().getBytes(StandardCharsets.UTF_8)));

        List<TrainingData.Row> testRows = window(name).rows().subList(expected.trainingRows(), expected.rows());
        for (int i = 0; i < testRows.size(); i++) {
            Map<String, Double> features = new HashMap<>();
            for (int j = 0; j < fixture.features().size(); j++) {
                features.put(fixture.features().get(j), testRows.get(i).features().get(j));
            }
            double reference = expected.testPredictions().get(i);
            assertThat(loaded.predict(features)).as("test row dated %s", testRows.get(i).date())
                    .isCloseTo(reference, within(TOLERANCE * Math.max(1, reference)));
        }
    }
}
