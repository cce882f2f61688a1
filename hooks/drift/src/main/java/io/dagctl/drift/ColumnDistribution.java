package io.dagctl.drift;

import java.util.List;

/**
 * The reference and current distributions of one column as shares of its non-missing values, for charts: either
 * equal-width bins ({@code edges} has one more entry than the shares) or one bar per value ({@code labels}).
 */
public record ColumnDistribution(List<String> labels, List<Double> edges, List<Double> reference, List<Double> current) {

    public ColumnDistribution {
        labels = List.copyOf(labels);
        edges = List.copyOf(edges);
        reference = List.copyOf(reference);
        current = List.copyOf(current);
        if (reference.size() != current.size()) {
            throw new IllegalArgumentException("ColumnDistribution: " + reference.size() + " reference shares but "
                    + current.size() + " current shares");
        }
    }

    /** Whether the shares are of numeric bins (rather than of individual values). */
    public boolean binned() {
        return !edges.isEmpty();
    }
}
