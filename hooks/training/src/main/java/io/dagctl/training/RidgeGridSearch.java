package io.dagctl.training;

import java.util.List;

/**
 * How {@link TrainingHook#trainRidge} chooses and evaluates the ridge penalty.
 *
 * @param alphas       candidate penalties, each positive
 * @param folds        number of unshuffled cross-validation folds over the training part
 * @param testFraction share of rows, taken from the end, held out for the test score; the test part
 *                     has {@code ceil(testFraction × rows)} rows, as scikit-learn's {@code train_test_split}
 */
public record RidgeGridSearch(List<Double> alphas, int folds, double testFraction) {

    /** The original pipeline's search: α ∈ {0.1, 1, 2, 3, 4, 10, 100}, 3 folds, the last 10% for testing. */
    public static RidgeGridSearch defaults() {
        return new RidgeGridSearch(List.of(0.1, 1.0, 2.0, 3.0, 4.0, 10.0, 100.0), 3, 0.1);
    }

    public RidgeGridSearch {
        alphas = List.copyOf(alphas);
        if (alphas.isEmpty()) {
            throw new IllegalArgumentException("RidgeGridSearch: no alphas to search");
        }
        for (double alpha : alphas) {
            if (!(alpha > 0) || Double.isInfinite(alpha)) {
                throw new IllegalArgumentException("RidgeGridSearch: alpha must be positive and finite, got " + alpha);
            }
        }
        if (folds < 2) {
            throw new IllegalArgumentException("RidgeGridSearch: need at least 2 folds, got " + folds);
        }
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("RidgeGridSearch: testFraction must be between 0 and 1 (exclusive), got "
                    + testFraction);
        }
    }
}
