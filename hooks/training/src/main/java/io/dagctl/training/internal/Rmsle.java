package io.dagctl.training.internal;

/**
 * Root mean squared logarithmic error of count predictions made on the log1p scale.
 *
 * <p>Compared, per row: {@code log1p(y)} with y the raw target (a count, e.g. cnt), against
 * {@code log1p(ŷ)} with ŷ = {@code max(0, expm1(p))} and p the model's prediction on the log1p scale.
 * RMSLE = sqrt(mean((log1p(y) − log1p(ŷ))²)). A negative ŷ is clipped to 0 because a count cannot be
 * negative and scikit-learn's {@code mean_squared_log_error} rejects negative predictions; without the
 * clip, log1p(expm1(p)) would reward a model for predicting impossible negative counts.
 */
public final class Rmsle {
    private Rmsle() {
    }

    public static double of(double[] actualCounts, double[] log1pPredictions) {
        if (actualCounts.length == 0 || actualCounts.length != log1pPredictions.length) {
            throw new IllegalArgumentException("Rmsle.of: need as many predictions as counts and at least one, got "
                    + actualCounts.length + " counts and " + log1pPredictions.length + " predictions");
        }
        double sumOfSquares = 0;
        for (int i = 0; i < actualCounts.length; i++) {
            double predictedCount = Math.max(0, Math.expm1(log1pPredictions[i]));
            double difference = Math.log1p(actualCounts[i]) - Math.log1p(predictedCount);
            sumOfSquares += difference * difference;
        }
        return Math.sqrt(sumOfSquares / actualCounts.length);
    }
}
