package io.dagctl.training;

import io.dagctl.training.internal.ModelJson;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A trained ridge model and how it was chosen; stored as JSON ({@link #writeTo}, {@link #load}).
 *
 * <p>The model predicts {@code log1p(target)} as {@code intercept + Σ coefficients[j] × features[j]};
 * {@link #predict} returns the target on its original scale.
 *
 * @param featureNames          the features, in coefficient order
 * @param coefficients          one per feature, fitted on the log1p scale
 * @param intercept             unpenalised intercept on the log1p scale
 * @param alpha                 the penalty chosen by cross-validation (lowest mean fold score)
 * @param targetTransform       how the target was transformed before fitting; always {@value #LOG1P}
 * @param cvScores              the fold scores and their mean for every candidate alpha, in search order: RMSLE of
 *                              the log1p targets against the log1p predictions, as scikit-learn's scorer sees them
 * @param testRmsle             RMSLE on the count scale of the held-out last rows, after refitting on all
 *                              training rows
 * @param trainingRows          rows in the training part (cross-validated, then refitted on)
 * @param testRows              rows in the held-out test part
 * @param duplicateDatesDropped rows dropped because an earlier row had the same date
 * @param dataWindow            first and last date of the rows used (training and test)
 * @param trainedAt             when training finished
 */
public record RidgeModel(
        List<String> featureNames,
        List<Double> coefficients,
        double intercept,
        double alpha,
        String targetTransform,
        List<CvScore> cvScores,
        double testRmsle,
        int trainingRows,
        int testRows,
        int duplicateDatesDropped,
        DataWindow dataWindow,
        Instant trainedAt) {

    public static final String LOG1P = "log1p";

    /** Cross-validation scores (log1p scale) of one candidate alpha; the mean is the unweighted mean of the folds. */
    public record CvScore(double alpha, List<Double> foldRmsle, double meanRmsle) {
        public CvScore {
            foldRmsle = List.copyOf(foldRmsle);
        }
    }

    public record DataWindow(LocalDate first, LocalDate last) {
        public DataWindow {
            Objects.requireNonNull(first, "DataWindow: first is null");
            Objects.requireNonNull(last, "DataWindow: last is null");
        }
    }

    public RidgeModel {
        featureNames = List.copyOf(featureNames);
        coefficients = List.copyOf(coefficients);
        cvScores = List.copyOf(cvScores);
        Objects.requireNonNull(dataWindow, "RidgeModel: dataWindow is null");
        Objects.requireNonNull(trainedAt, "RidgeModel: trainedAt is null");
        if (featureNames.size() != coefficients.size()) {
            throw new IllegalArgumentException("RidgeModel: " + featureNames.size() + " feature names but "
                    + coefficients.size() + " coefficients");
        }
        if (!LOG1P.equals(targetTransform)) {
            throw new IllegalArgumentException("RidgeModel: unsupported targetTransform '" + targetTransform
                    + "'; only '" + LOG1P + "' is supported");
        }
    }

    /**
     * Predicts the target on its original scale: {@code max(0, expm1(intercept + Σ βⱼxⱼ))}, clipped at 0
     * as the test RMSLE was, because the target is a count.
     *
     * @param features a value for every one of {@link #featureNames()}; other keys are ignored
     */
    public double predict(Map<String, Double> features) {
        double log1pPrediction = intercept;
        for (int j = 0; j < featureNames.size(); j++) {
            String name = featureNames.get(j);
            Double value = features.get(name);
            if (value == null) {
                throw new IllegalArgumentException("RidgeModel.predict: missing feature '" + name + "'; the model needs "
                        + featureNames);
            }
            log1pPrediction += coefficients.get(j) * value;
        }
        return Math.max(0, Math.expm1(log1pPrediction));
    }

    public static RidgeModel load(InputStream json) {
        return ModelJson.read(json, "stream");
    }

    public static RidgeModel load(Path json) {
        try (InputStream in = Files.newInputStream(json)) {
            return ModelJson.read(in, json.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("RidgeModel: cannot read " + json, e);
        }
    }

    /** Writes the model as indented JSON; the stream is left open. */
    public void writeTo(OutputStream json) {
        ModelJson.write(this, json);
    }

    public void save(Path json) {
        try (OutputStream out = Files.newOutputStream(json)) {
            writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException("RidgeModel: cannot write " + json, e);
        }
    }

    public String toJson() {
        return ModelJson.toString(this);
    }
}
