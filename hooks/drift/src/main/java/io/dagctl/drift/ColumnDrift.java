package io.dagctl.drift;

import java.util.List;
import java.util.Objects;

/**
 * The drift verdict for one column: which test ran, at which threshold, its score (a p-value or a distance, see
 * {@link StatTest#isPValue()}), what each sample held once missing values were dropped, and the distinct-value
 * count over both samples. A column left without values on either side gets the verdict "no values": its score is
 * NaN and it does not count as drifted.
 */
public record ColumnDrift(
        String columnName,
        ColumnType columnType,
        StatTest statTest,
        double threshold,
        double driftScore,
        boolean driftDetected,
        Sample reference,
        Sample current,
        int uniqueValues,
        ColumnDistribution distribution) {

    public ColumnDrift {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(current, "current");
    }

    /**
     * One side of a column.
     *
     * @param count     values tested, after dropping missing ones
     * @param missing   missing values dropped (empty cells, NaN, ±infinity)
     * @param unique    distinct values among the tested ones
     * @param quantiles minimum, 25th, 50th, 75th percentile and maximum (linear interpolation, as numpy and pandas
     *                  by default) of a numerical column with values; empty otherwise
     */
    public record Sample(int count, int missing, int unique, List<Double> quantiles) {
        public Sample {
            quantiles = List.copyOf(quantiles);
        }
    }

    /** Whether both samples had values to test. */
    public boolean hasValues() {
        return reference.count() > 0 && current.count() > 0;
    }

    /** "drift detected", "no drift" or "no values". */
    public String verdict() {
        return !hasValues() ? "no values" : driftDetected ? "drift detected" : "no drift";
    }
}
