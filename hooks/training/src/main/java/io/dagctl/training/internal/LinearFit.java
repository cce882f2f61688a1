package io.dagctl.training.internal;

/** Coefficients and intercept of a fitted linear model. */
public final class LinearFit {
    private final double[] coefficients;
    private final double intercept;

    public LinearFit(double[] coefficients, double intercept) {
        this.coefficients = coefficients.clone();
        this.intercept = intercept;
    }

    public double[] coefficients() {
        return coefficients.clone();
    }

    public double intercept() {
        return intercept;
    }

    public double predict(double[] features) {
        if (features.length != coefficients.length) {
            throw new IllegalArgumentException("LinearFit.predict: expected " + coefficients.length
                    + " features, got " + features.length);
        }
        double sum = intercept;
        for (int j = 0; j < coefficients.length; j++) {
            sum += coefficients[j] * features[j];
        }
        return sum;
    }
}
