package io.dagctl.drift;

import io.dagctl.drift.internal.Binning;
import io.dagctl.drift.internal.Distances;
import io.dagctl.drift.internal.KolmogorovSmirnov;
import io.dagctl.drift.internal.Tests;
import io.dagctl.drift.internal.ValueCounts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Data drift between a reference and a current dataset with the statistics of Evidently 0.4's DataDriftPreset.
 *
 * <p>Per column, missing values (null, NaN, ±infinity) are dropped first. The default test depends on the
 * reference size and on the number of distinct values over both samples together:
 * <ul>
 *   <li>reference ≤ 1000 rows: numerical with more than 5 distinct values → Kolmogorov–Smirnov; 3 to 5 distinct
 *       values (or categorical with more than 2) → chi-square; at most 2 → two-proportion Z-test; all at 0.05;</li>
 *   <li>reference &gt; 1000 rows: numerical with more than 5 distinct values → Wasserstein distance normed by the
 *       reference's standard deviation; otherwise Jensen–Shannon distance; both at 0.1.</li>
 * </ul>
 */
public final class DriftDetector {
    private static final int SMALL_REFERENCE = 1000;
    private static final int FEW_VALUES = 5;
    private static final int BINARY = 2;
    /** Evidently bins numeric values for Jensen–Shannon once the reference has more distinct values than this. */
    private static final int MAX_UNBINNED_REFERENCE_VALUES = 20;
    private static final double MIN_WASSERSTEIN_NORM = 0.001;

    private DriftDetector() {
    }

    public static DriftReport detect(Dataset reference, Dataset current, ColumnMapping mapping) {
        return detect(reference, current, mapping, DriftOptions.defaults());
    }

    public static DriftReport detect(Dataset reference, Dataset current, ColumnMapping mapping, DriftOptions options) {
        List<ColumnDrift> columns = new ArrayList<>();
        for (String name : mapping.numerical()) {
            columns.add(numericalDrift(name, reference, current, options));
        }
        for (String name : mapping.categorical()) {
            columns.add(categoricalDrift(name, reference, current, options));
        }
        int drifted = (int) columns.stream().filter(ColumnDrift::driftDetected).count();
        double share = columns.isEmpty() ? 0.0 : drifted / (double) columns.size();
        return new DriftReport(options.driftShare(), columns.size(), drifted, share,
                !columns.isEmpty() && share >= options.driftShare(), reference.rowCount(), current.rowCount(), columns);
    }

    private static ColumnDrift numericalDrift(String name, Dataset reference, Dataset current, DriftOptions options) {
        double[] ref = sortedFiniteNumbers(name, "reference", reference);
        double[] cur = sortedFiniteNumbers(name, "current", current);
        int referenceUnique = distinct(ref);
        int unique = distinctInBoth(ref, cur);
        StatTest test = options.statTest(name).orElseGet(() -> ref.length <= SMALL_REFERENCE
                ? (unique > FEW_VALUES ? StatTest.KOLMOGOROV_SMIRNOV : pValueTestForCategories(unique))
                : (unique > FEW_VALUES ? StatTest.WASSERSTEIN : StatTest.JENSEN_SHANNON));
        // Evidently bins for Jensen–Shannon by the reference's distinct values; charts bin whenever bars would crowd
        boolean binnedForTest = referenceUnique > MAX_UNBINNED_REFERENCE_VALUES;
        boolean binnedForChart = unique > MAX_UNBINNED_REFERENCE_VALUES;
        double[] edges = binnedForTest || binnedForChart ? Binning.sturgesEdges(ref, cur) : null;
        long[] refBins = edges == null ? null : Binning.counts(ref, edges);
        long[] curBins = edges == null ? null : Binning.counts(cur, edges);
        ValueCounts counts = binnedForChart && !needsValueCounts(test, binnedForTest) ? null : ValueCounts.ofSorted(ref, cur);
        double score = switch (test) {
            case KOLMOGOROV_SMIRNOV -> KolmogorovSmirnov.pValue(ref, cur);
            case WASSERSTEIN -> Distances.wasserstein(ref, cur) / Math.max(Distances.populationStd(ref), MIN_WASSERSTEIN_NORM);
            case JENSEN_SHANNON -> binnedForTest
                    ? Distances.jensenShannon(shares(refBins, ref.length), shares(curBins, cur.length))
                    : Distances.jensenShannon(counts.referenceShares(), counts.currentShares());
            case CHI_SQUARE, Z_TEST -> pValueOnCounts(test, counts);
        };
        ColumnDistribution distribution = binnedForChart
                ? binnedDistribution(edges, refBins, curBins, ref.length, cur.length)
                : valueDistribution(counts);
        return verdict(name, ColumnType.NUMERICAL, test, score, options, ref.length, cur.length, unique, distribution);
    }

    private static ColumnDrift categoricalDrift(String name, Dataset reference, Dataset current, DriftOptions options) {
        String[] ref = presentCategories(name, "reference", reference);
        String[] cur = presentCategories(name, "current", current);
        ValueCounts counts = ValueCounts.ofCategories(ref, cur);
        int unique = counts.size();
        StatTest test = options.statTest(name).orElseGet(() -> ref.length <= SMALL_REFERENCE
                ? pValueTestForCategories(unique) : StatTest.JENSEN_SHANNON);
        double score = switch (test) {
            case JENSEN_SHANNON -> Distances.jensenShannon(counts.referenceShares(), counts.currentShares());
            case CHI_SQUARE, Z_TEST -> pValueOnCounts(test, counts);
            case KOLMOGOROV_SMIRNOV, WASSERSTEIN -> throw new IllegalArgumentException("Drift detection: test '"
                    + test.evidentlyName() + "' applies to numerical columns only, not to categorical column '" + name + "'");
        };
        return verdict(name, ColumnType.CATEGORICAL, test, score, options, ref.length, cur.length, unique,
                valueDistribution(counts));
    }

    private static boolean needsValueCounts(StatTest test, boolean binnedForTest) {
        return test == StatTest.CHI_SQUARE || test == StatTest.Z_TEST || (test == StatTest.JENSEN_SHANNON && !binnedForTest);
    }

    private static StatTest pValueTestForCategories(int unique) {
        return unique > BINARY ? StatTest.CHI_SQUARE : StatTest.Z_TEST;
    }

    private static double pValueOnCounts(StatTest test, ValueCounts counts) {
        if (test == StatTest.CHI_SQUARE) {
            return Tests.chiSquarePValue(counts.reference(), counts.current());
        }
        // both samples hold the same single value: nothing can have drifted
        return counts.size() == 1 ? 1.0 : Tests.twoProportionZPValue(counts.reference(), counts.current());
    }

    private static ColumnDrift verdict(String name, ColumnType type, StatTest test, double score, DriftOptions options,
                                       int referenceSize, int currentSize, int unique, ColumnDistribution distribution) {
        double threshold = options.threshold(name).orElse(test.defaultThreshold());
        return new ColumnDrift(name, type, test, threshold, score, test.drifted(score, threshold),
                referenceSize, currentSize, unique, distribution);
    }

    private static double[] sortedFiniteNumbers(String name, String side, Dataset dataset) {
        Column column = columnOf(name, side, dataset);
        if (!(column instanceof Column.Numbers numbers)) {
            throw new IllegalArgumentException("Drift detection: column '" + name + "' is mapped as numerical but the "
                    + side + " dataset holds text in it");
        }
        double[] values = numbers.values();
        double[] finite = new double[values.length];
        int size = 0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                finite[size++] = v;
            }
        }
        requireValues(name, side, size);
        double[] sorted = size == finite.length ? finite : Arrays.copyOf(finite, size);
        Arrays.sort(sorted);
        return sorted;
    }

    private static String[] presentCategories(String name, String side, Dataset dataset) {
        Column column = columnOf(name, side, dataset);
        String[] present = column instanceof Column.Texts texts
                ? Arrays.stream(texts.values()).filter(v -> v != null).toArray(String[]::new)
                : Arrays.stream(((Column.Numbers) column).values()).filter(Double::isFinite)
                        .mapToObj(ValueCounts::formatNumber).toArray(String[]::new);
        requireValues(name, side, present.length);
        return present;
    }

    private static Column columnOf(String name, String side, Dataset dataset) {
        if (!dataset.hasColumn(name)) {
            throw new IllegalArgumentException("Drift detection: the " + side + " dataset has no column '" + name
                    + "'; its columns are " + dataset.columnNames());
        }
        return dataset.column(name);
    }

    private static void requireValues(String name, String side, int size) {
        if (size == 0) {
            throw new IllegalArgumentException("Drift detection: column '" + name + "' has no values in the " + side
                    + " dataset once missing values are dropped");
        }
    }

    private static int distinct(double[] sorted) {
        int count = 1;
        for (int k = 1; k < sorted.length; k++) {
            if (sorted[k] != sorted[k - 1]) {
                count++;
            }
        }
        return count;
    }

    private static int distinctInBoth(double[] sortedA, double[] sortedB) {
        int i = 0;
        int j = 0;
        int count = 0;
        while (i < sortedA.length || j < sortedB.length) {
            double x = j == sortedB.length || (i < sortedA.length && sortedA[i] <= sortedB[j]) ? sortedA[i] : sortedB[j];
            while (i < sortedA.length && sortedA[i] == x) {
                i++;
            }
            while (j < sortedB.length && sortedB[j] == x) {
                j++;
            }
            count++;
        }
        return count;
    }

    private static double[] shares(long[] counts, int total) {
        double[] shares = new double[counts.length];
        for (int k = 0; k < counts.length; k++) {
            shares[k] = counts[k] / (double) total;
        }
        return shares;
    }

    private static ColumnDistribution binnedDistribution(double[] edges, long[] ref, long[] cur, int refSize, int curSize) {
        List<String> labels = new ArrayList<>();
        for (int k = 0; k + 1 < edges.length; k++) {
            labels.add(ValueCounts.formatNumber(edges[k]) + "–" + ValueCounts.formatNumber(edges[k + 1]));
        }
        return new ColumnDistribution(labels, boxed(edges), boxed(shares(ref, refSize)), boxed(shares(cur, curSize)));
    }

    private static ColumnDistribution valueDistribution(ValueCounts counts) {
        return new ColumnDistribution(counts.labels(), List.of(), boxed(counts.referenceShares()), boxed(counts.currentShares()));
    }

    private static List<Double> boxed(double[] values) {
        return Arrays.stream(values).boxed().toList();
    }
}
