package io.dagctl.synthetics.service.internal;

import java.util.List;

/** How closely synthetic data follows its training data, and how far it stays from copying it. */
public record QualityReport(
        int trainingRecords,
        int syntheticRecords,
        Score syntheticQualityScore,
        Score fieldCorrelationStability,
        Score principalComponentStability,
        Score fieldDistributionStability,
        double meanJensenShannonDistance,
        double meanCorrelationDifference,
        List<Field> fields,
        Correlations correlations,
        PrincipalComponents principalComponents,
        List<Rule> rules,
        Privacy privacy) {

    /** A score: raw on 0–10, shown on 0–100 with its grade. */
    public record Score(double raw, int score, String grade) {
        public static Score of(double raw) {
            int score = (int) Math.round(raw * 10);
            return new Score(raw, score, QualityScores.grade(score));
        }
    }

    /** One field's distributions side by side. */
    public record Field(String name, ColumnKind kind, double jensenShannonDistance, double trainingNullRate,
                        double syntheticNullRate, int trainingDistinct, int syntheticDistinct, Histogram histogram) {
    }

    /**
     * Shares of all rows per value (categories, a missing value among them) or per bin (numbers): equal-width bins
     * over the range both data sets cover, {@code edges} their bounds, missing values left out and shown by the
     * field's null rates. The Jensen–Shannon distance bins numbers at training quantiles instead, which resolve a
     * skewed field's bulk.
     */
    public record Histogram(List<String> labels, double[] training, double[] synthetic, List<String> edges) {
    }

    /** A rule every training row keeps ({@link Constraints}) and the share of synthetic rows keeping it too. */
    public record Rule(String rule, double trainingShare, double syntheticShare, long syntheticRowsBreaking) {
    }

    /** The association matrices over the fields (ids excluded), row field given column field. */
    public record Correlations(List<String> fields, double[][] training, double[][] synthetic) {
    }

    /**
     * The principal component structure of the standardized numeric fields and one-hot categories (training
     * standardization applied to both sets). {@code spectrumDistance} is the total variation distance between the
     * explained-variance ratio spectra; {@code subspaceSimilarity} is the mean squared cosine of the principal
     * angles between the subspaces spanned by the leading training and synthetic axes ({@code axesCompared} of them,
     * enough to explain 80% of the training variance). The distance fed to PCS is the mean of the spectrum distance
     * and one minus the subspace similarity.
     */
    public record PrincipalComponents(double[] trainingSpectrum, double[] syntheticSpectrum, double spectrumDistance,
                                      int axesCompared, double subspaceSimilarity, double distance,
                                      Projection projection) {
    }

    /**
     * Rows of both data sets (a sample of each) on the first two principal components of the training data:
     * {@code training[i]} and {@code synthetic[i]} are {PC1, PC2} coordinates. Empty when there are fewer than two
     * varying features.
     */
    public record Projection(double[] explainedVariance, double[][] training, double[][] synthetic) {
    }

    /**
     * Exact copies of training rows (ids ignored) and nearest-neighbour distances: from synthetic rows to the
     * training rows, and, as the yardstick, from training rows to the other training rows.
     */
    public record Privacy(long exactMatches, Distances syntheticToTraining, Distances trainingToTraining) {
    }

    public record Distances(double min, double percentile5, double median) {
    }
}
