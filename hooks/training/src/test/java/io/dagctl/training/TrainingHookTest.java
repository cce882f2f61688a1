package io.dagctl.training;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TrainingHookTest {
    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
    private final TrainingHook hook = new TrainingHook(Clock.fixed(NOW, ZoneOffset.UTC));

    /** cnt = exp(1 + 0.5·x) − 1 exactly, so a lightly penalised fit recovers it. */
    private static TrainingData exponentialCounts(int days) {
        List<TrainingData.Row> rows = new ArrayList<>();
        for (int day = 0; day < days; day++) {
            double x = (day * 7 % 11) / 2.0;
            rows.add(new TrainingData.Row(LocalDate.of(2011, 1, 1).plusDays(day), List.of(x),
                    Math.expm1(1 + 0.5 * x)));
        }
        return new TrainingData(List.of("x"), rows);
    }

    @Test
    void recoversAnExactLog1pLinearRelation() {
        RidgeModel model = hook.trainRidge(exponentialCounts(40),
                new RidgeGridSearch(List.of(1e-6, 10.0), 3, 0.1));

        assertThat(model.alpha()).isEqualTo(1e-6);
        assertThat(model.coefficients().get(0)).isCloseTo(0.5, within(1e-6));
        assertThat(model.intercept()).isCloseTo(1, within(1e-6));
        assertThat(model.testRmsle()).isCloseTo(0, within(1e-6));
        assertThat(model.predict(Map.of("x", 2.0))).isCloseTo(Math.expm1(2), within(1e-5));
        assertThat(model.trainingRows()).isEqualTo(36);
        assertThat(model.testRows()).isEqualTo(4);
        assertThat(model.dataWindow()).isEqualTo(
                new RidgeModel.DataWindow(LocalDate.of(2011, 1, 1), LocalDate.of(2011, 2, 9)));
        assertThat(model.trainedAt()).isEqualTo(NOW);
    }

    @Test
    void dropsLaterRowsWithARepeatedDateBeforeSplitting() {
        TrainingData data = exponentialCounts(10);
        List<TrainingData.Row> rows = new ArrayList<>(data.rows());
        rows.add(3, new TrainingData.Row(rows.get(0).date(), List.of(100.0), 1));

        RidgeModel model = hook.trainRidge(new TrainingData(List.of("x"), rows), RidgeGridSearch.defaults());

        assertThat(model.duplicateDatesDropped()).isEqualTo(1);
        assertThat(model.trainingRows() + model.testRows()).isEqualTo(10);
        assertThat(model).usingRecursiveComparison().ignoringFields("duplicateDatesDropped")
                .isEqualTo(hook.trainRidge(data, RidgeGridSearch.defaults()));
    }

    @Test
    void namesTheRowCountWhenTooFewRowsRemainForCrossValidation() {
        TrainingData data = exponentialCounts(3);

        assertThatThrownBy(() -> hook.trainRidge(data, RidgeGridSearch.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TrainingHook.trainRidge: too few rows for 3-fold cross-validation: "
                        + "3 rows with distinct dates leave 2 for training, need at least 3");
    }

    @Test
    void refusesAnEmptyDataSet() {
        assertThatThrownBy(() -> hook.trainRidge(new TrainingData(List.of("x"), List.of()), RidgeGridSearch.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TrainingHook.trainRidge: too few rows for 3-fold cross-validation: "
                        + "0 rows with distinct dates leave 0 for training, need at least 3");
    }

    @Test
    void refusesANegativeCount() {
        List<TrainingData.Row> rows = new ArrayList<>(exponentialCounts(10).rows());
        rows.set(5, new TrainingData.Row(LocalDate.of(2011, 1, 6), List.of(1.0), -2));

        assertThatThrownBy(() -> hook.trainRidge(new TrainingData(List.of("x"), rows), RidgeGridSearch.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TrainingHook.trainRidge: row dated 2011-01-06 has target -2.0; "
                        + "RMSLE on log1p needs counts of at least 0");
    }

    @Test
    void modelSurvivesAJsonRoundTripThroughAFile(@TempDir Path dir) {
        RidgeModel model = hook.trainRidge(exponentialCounts(20), RidgeGridSearch.defaults());
        Path file = dir.resolve("model.json");

        model.save(file);

        assertThat(RidgeModel.load(file)).isEqualTo(model);
    }

    @Test
    void writesTheArtifactFieldsAsReadableJson() throws Exception {
        String json = hook.trainRidge(exponentialCounts(20), RidgeGridSearch.defaults()).toJson();

        assertThat(json).contains("\"featureNames\" : [ \"x\" ]", "\"targetTransform\" : \"log1p\"",
                "\"trainedAt\" : \"2024-05-01T12:00:00Z\"", "\"first\" : \"2011-01-01\"", "\"last\" : \"2011-01-20\"",
                "\"foldRmsle\"", "\"meanRmsle\"", "\"testRmsle\"", "\"trainingRows\" : 18");
    }

    @Test
    void refusesToLoadAModelWithAnotherTargetTransform() {
        String json = hook.trainRidge(exponentialCounts(20), RidgeGridSearch.defaults()).toJson()
                .replace("\"log1p\"", "\"log\"");

        assertThatThrownBy(() -> RidgeModel.load(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("RidgeModel: unsupported targetTransform 'log'; only 'log1p' is supported (in stream)");
    }

    @Test
    void refusesToLoadAModelMissingItsIntercept(@TempDir Path dir) throws Exception {
        String json = hook.trainRidge(exponentialCounts(20), RidgeGridSearch.defaults()).toJson()
                .replaceAll("\"intercept\" : [^,]*,", "");
        Path file = Files.writeString(dir.resolve("model.json"), json);

        assertThatThrownBy(() -> RidgeModel.load(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("RidgeModel: invalid JSON in " + file
                        + ": Missing creator property 'intercept'");
    }

    @Test
    void namesAFeatureMissingFromAPrediction() {
        RidgeModel model = hook.trainRidge(exponentialCounts(20), RidgeGridSearch.defaults());

        assertThatThrownBy(() -> model.predict(Map.of("y", 1.0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("RidgeModel.predict: missing feature 'x'; the model needs [x]");
    }
}
