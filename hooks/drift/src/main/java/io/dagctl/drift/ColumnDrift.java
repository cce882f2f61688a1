package io.dagctl.drift;

/**
 * The drift verdict for one column: which test ran, at which threshold, its score (a p-value or a distance, see
 * {@link StatTest#isPValue()}), and the sample sizes and distinct-value count after dropping missing values.
 */
public record ColumnDrift(
        String columnName,
        ColumnType columnType,
        StatTest statTest,
        double threshold,
        double driftScore,
        boolean driftDetected,
        int referenceSize,
        int currentSize,
        int uniqueValues,
        ColumnDistribution distribution) {
}
