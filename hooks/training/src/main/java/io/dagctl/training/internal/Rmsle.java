package io.dagctl.training.internal;

/**
 * Root mean squared logarithmic error, RMSLE = sqrt(mean((log1p(y) − log1p(ŷ))²)), in the two places training
 * uses it.
 */
public final class Rmsle {
    private Rmsle() {
    }

    /**
     * The cross-validation scorer, applied as scikit-learn's {@code make_scorer} applies it: to the targets the
     * estimator was fitted on and its raw predictions, both on the log1p scale. Nothing is back-transformed or
     * clipped; a prediction at or below −1 makes the score NaN, which ranks last as GridSearchCV ranks a NaN score.
     */
    public static double of(double[] actual, double[] predicted) {
        requireSameLength("Rmsle.of", actual.length, predicted.length);
        double sumOfSquares = 0;
        for (int i = 0; i < actual.length; i++) {
            double difference = Math.log1p(actual[i]) - Math.log1p(predicted[i]);
            sumOfSquares += difference * difference;
        }
        return Math.sqrt(sumOfSquares / actual.length);
    }

    /**
     * The reported test metric, on the count scale: {@code log1p(y)} with y the raw count against
     * {@code log1p(ŷ)} with ŷ = {@code max(0, expm1(p))} and p the model's log1p-scale prediction. A negative ŷ is
     * clipped to 0 because a count cannot be negative, as {@link io.dagctl.training.RidgeModel#predict} clips it.
     */
    public static double ofCounts(double[] actualCounts, double[] log1pPredictions) {
        requireSameLength("Rmsle.ofCounts", actualCounts.length, log1pPredictions.length);
        double[] predictedCounts = new double[log1pPredictions.length];
        for (int i = 0; i < predictedCounts.length; i++) {
            predictedCounts[i] = Math.max(0, Math.expm1(log1pPredictions[i]));
        }
        return of(actualCounts, predictedCounts);
    }

    private static void requireSameLength(String method, int actual, int predicted) {
        if (actual == 0 || actual != predicted) {
            throw new IllegalArgumentException(method + ": need as many predictions as actual values and at least one, got "
                    + actual + " actual values and " + predicted + " predictions");
        }
    }
}
