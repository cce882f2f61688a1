package io.dagctl.training;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs {@code scripts/crosscheck/training_crosscheck.py} — scikit-learn's GridSearchCV, KFold, make_scorer and
 * Ridge semantics written in numpy from their documentation — and compares the hook with it on three windows.
 * Skipped, saying why, where {@code python3} with numpy is not installed.
 */
class RidgeCrosscheckTest {
    private static final Path SCRIPT = Path.of("../../scripts/crosscheck/training_crosscheck.py");
    private static final Path DATA = Path.of("src/test/resources/data/bikeride.csv");
    private static final double FOLD_SCORE_TOLERANCE = 1e-9;
    private static final double TOLERANCE = 1e-9;

    record Reference(List<String> features, Map<String, Window> windows) {
    }

    record Window(int rows, int trainingRows, int testRows, LocalDate firstDate, LocalDate lastDate,
                  List<CvResult> cvResults, double bestAlpha, List<Double> coefficients, double intercept,
                  double testRmsle, List<Double> testPredictions) {
    }

    /** GridSearchCV's view: scores are negated RMSLE, greater is better. */
    record CvResult(double alpha, @JsonProperty("split_test_scores") List<Double> splitTestScores,
                    @JsonProperty("mean_test_score") double meanTestScore) {
    }

    private static Reference reference;
    private static TrainingData bikes;

    @BeforeAll
    static void runTheReferenceScript() throws IOException, InterruptedException {
        assumeTrue(pythonWithNumpy(), "python3 with numpy is not installed: the scikit-learn cross-check is skipped");
        Path output = Files.createDirectories(Path.of("target/crosscheck")).resolve("training_crosscheck.json");
        Process script = new ProcessBuilder("python3", SCRIPT.toString(), DATA.toString(), output.toString())
                .redirectErrorStream(true).start();
        String printed = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(script.waitFor()).as("training_crosscheck.py exit code; it printed:%n%s", printed).isZero();
        reference = new ObjectMapper().findAndRegisterModules()
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                .readValue(output.toFile(), Reference.class);
        bikes = TrainingData.fromBikeCsv(DATA);
    }

    private static boolean pythonWithNumpy() {
        try {
            Process probe = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            return probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static TrainingData window(String name) {
        return switch (name) {
            case "2011-03" -> bikes.between(LocalDate.of(2011, 3, 1), LocalDate.of(2011, 3, 31));
            case "2011-02..2011-07" -> bikes.between(LocalDate.of(2011, 2, 1), LocalDate.of(2011, 7, 31));
            case "all" -> bikes;
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"2011-03", "2011-02..2011-07", "all"})
    void foldScoresOfEveryAlphaEqualGridSearchCvWithAnRmsleScorer(String name) {
        Window expected = reference.windows().get(name);

        RidgeModel model = new TrainingHook().trainRidge(window(name), RidgeGridSearch.defaults());

        assertThat(model.cvScores()).hasSameSizeAs(expected.cvResults());
        for (int a = 0; a < expected.cvResults().size(); a++) {
            CvResult sklearn = expected.cvResults().get(a);
            RidgeModel.CvScore ours = model.cvScores().get(a);
            assertThat(ours.alpha()).isEqualTo(sklearn.alpha());
            assertThat(ours.foldRmsle()).hasSameSizeAs(sklearn.splitTestScores());
            for (int fold = 0; fold < sklearn.splitTestScores().size(); fold++) {
                assertThat(ours.foldRmsle().get(fold)).as("%s: alpha %s fold %d", name, sklearn.alpha(), fold)
                        .isCloseTo(-sklearn.splitTestScores().get(fold), within(FOLD_SCORE_TOLERANCE));
            }
            assertThat(ours.meanRmsle()).as("%s: alpha %s mean", name, sklearn.alpha())
                    .isCloseTo(-sklearn.meanTestScore(), within(FOLD_SCORE_TOLERANCE));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2011-03", "2011-02..2011-07", "all"})
    void choosesRefitsAndTestsTheAlphaGridSearchCvChooses(String name) {
        Window expected = reference.windows().get(name);

        RidgeModel model = new TrainingHook().trainRidge(window(name), RidgeGridSearch.defaults());

        assertThat(model.alpha()).isEqualTo(expected.bestAlpha());
        assertThat(model.trainingRows()).isEqualTo(expected.trainingRows());
        assertThat(model.testRows()).isEqualTo(expected.testRows());
        assertThat(model.dataWindow()).isEqualTo(new RidgeModel.DataWindow(expected.firstDate(), expected.lastDate()));
        assertThat(model.featureNames()).isEqualTo(reference.features());
        for (int j = 0; j < expected.coefficients().size(); j++) {
            assertThat(model.coefficients().get(j)).as("%s: %s", name, reference.features().get(j))
                    .isCloseTo(expected.coefficients().get(j), within(TOLERANCE));
        }
        assertThat(model.intercept()).isCloseTo(expected.intercept(), within(TOLERANCE));
        assertThat(model.testRmsle()).isCloseTo(expected.testRmsle(), within(TOLERANCE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2011-03", "2011-02..2011-07", "all"})
    void loadedModelPredictsTheTestRowsAsTheRefittedSearchDoes(String name) {
        Window expected = reference.windows().get(name);
        RidgeModel trained = new TrainingHook().trainRidge(window(name), RidgeGridSearch.defaults());
        RidgeModel loaded = RidgeModel.load(new ByteArrayInputStream(trained.toJson().getBytes(StandardCharsets.UTF_8)));

        List<TrainingData.Row> testRows = window(name).rows().subList(expected.trainingRows(), expected.rows());
        for (int i = 0; i < testRows.size(); i++) {
            Map<String, Double> features = new HashMap<>();
            for (int j = 0; j < reference.features().size(); j++) {
                features.put(reference.features().get(j), testRows.get(i).features().get(j));
            }
            double sklearn = expected.testPredictions().get(i);
            assertThat(loaded.predict(features)).as("%s: test row dated %s", name, testRows.get(i).date())
                    .isCloseTo(sklearn, within(TOLERANCE * Math.max(1, sklearn)));
        }
    }
}
