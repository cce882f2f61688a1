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
 * <p>Per column, missing values (null, NaN, ±infinity) are dropped first and counted; a column left without values
 * on either side gets the verdict "no values" (score NaN, not drifted, still counted among the columns). A test
 * chosen in {@link DriftOptions} must fit the column's type: chi-square and Z only for categorical columns, K-S and
 * Wasserstein only for numerical ones, as Evidently 0.4 refuses them. The default test depends on the
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
        options.statTest(name).filter(test -> !test.appliesToNumerical()).ifPresent(test -> {
            throw new IllegalArgumentException("Drift detection: test '" + test.evidentlyName()
                    + "' applies to categorical columns only, not to numerical column '" + name
                    + "'; tests for a numerical column are " + StatTest.namesFor(ColumnType.NUMERICAL));
        });
        double[] refAll = numbersOf(name, "reference", reference);
        double[] curAll = numbersOf(name, "current", current);
        double[] ref = sortedFinite(refAll);
        double[] cur = sortedFinite(curAll);
        int unique = distinctInBoth(ref, cur);
        StatTest test = options.statTest(name).orElseGet(() -> ref.length <= SMALL_REFERENCE
                ? (unique > FEW_VALUES ? StatTest.KOLMOGOROV_SMIRNOV : pValueTestForCategories(unique))
                : (unique > FEW_VALUES ? StatTest.WASSERSTEIN : StatTest.JENSEN_SHANNON));
        ColumnDrift.Sample refSample = numericalSample(ref, refAll.length);
        ColumnDrift.Sample curSample = numericalSample(cur, curAll.length);
        if (ref.length == 0 || cur.length == 0) {
            return noValues(name, ColumnType.NUMERICAL, test, options, refSample, curSample, unique);
        }
        // Evidently bins for Jensen–Shannon by the reference's distinct values; charts bin whenever bars would crowd
        boolean binnedForTest = refSample.unique() > MAX_UNBINNED_REFERENCE_VALUES;
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
        return verdict(name, ColumnType.NUMERICAL, test, score, options, refSample, curSample, unique, distribution);
    }

    private static ColumnDrift categoricalDrift(String name, Dataset reference, Dataset current, DriftOptions options) {
        options.statTest(name).filter(test -> !test.appliesToCategorical()).ifPresent(test -> {
            throw new IllegalArgumentException("Drift detection: test '" + test.evidentlyName()
                    + "' applies to numerical columns only, not to categorical column '" + name
                    + "'; tests for a categorical column are " + StatTest.namesFor(ColumnType.CATEGORICAL));
        });
        Column refColumn = columnOf(name, "reference", reference);
        Column curColumn = columnOf(name, "current", current);
        String[] ref = presentCategories(refColumn);
        String[] cur = presentCategories(curColumn);
        ValueCounts counts = ValueCounts.ofCategories(ref, cur);
        int unique = counts.size();
        StatTest test = options.statTest(name).orElseGet(() -> ref.length <= SMALL_REFERENCE
                ? pValueTestForCategories(unique) : StatTest.JENSEN_SHANNON);
        ColumnDrift.Sample refSample = new ColumnDrift.Sample(ref.length, refColumn.size() - ref.length,
                (int) Arrays.stream(ref).distinct().count(), List.of());
        ColumnDrift.Sample curSample = new ColumnDrift.Sample(cur.length, curColumn.size() - cur.length,
                (int) Arrays.stream(cur).distinct().count(), List.of());
        if (ref.length == 0 || cur.length == 0) {
            return noValues(name, ColumnType.CATEGORICAL, test, options, refSample, curSample, unique);
        }
        double score = switch (test) {
            case JENSEN_SHANNON -> Distances.jensenShannon(counts.referenceShares(), counts.currentShares());
            case CHI_SQUARE, Z_TEST -> pValueOnCounts(test, counts);
            case KOLMOGOROV_SMIRNOV, WASSERSTEIN -> throw new IllegalStateException("numerical test " + test);
        };
        return verdict(name, ColumnType.CATEGORICAL, test, score, options, refSample, curSample, unique,
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
                                       ColumnDrift.Sample reference, ColumnDrift.Sample current, int unique,
                                       ColumnDistribution distribution) {
        double threshold = options.threshold(name).orElse(test.defaultThreshold());
        return new ColumnDrift(name, type, test, threshold, score, test.drifted(score, threshold), reference, current,
                unique, distribution);
    }

    /** A column empty on one side after dropping missing values is reported as such rather than tested. */
    private static ColumnDrift noValues(String name, ColumnType type, StatTest test, DriftOptions options,
                                        ColumnDrift.Sample reference, ColumnDrift.Sample current, int unique) {
        return new ColumnDrift(name, type, test, options.threshold(name).orElse(test.defaultThreshold()), Double.NaN,
                false, reference, current, unique, new ColumnDistribution(List.of(), List.of(), List.of(), List.of()));
    }

    private static double[] numbersOf(String name, String side, Dataset dataset) {
        if (!(columnOf(name, side, dataset) instanceof Column.Numbers numbers)) {
            throw new IllegalArgumentException("Drift detection: column '" + name + "' is mapped as numerical but the "
                    + side + " dataset holds text in it");
        }
        return numbers.values();
    }

    private static double[] sortedFinite(double[] values) {
        double[] sorted = Arrays.stream(values).filter(Double::isFinite).toArray();
        Arrays.sort(sorted);
        return sorted;
    }

    private static ColumnDrift.Sample numericalSample(double[] sorted, int rows) {
        List<Double> quantiles = sorted.length == 0 ? List.of()
                : List.of(quantile(sorted, 0), quantile(sorted, 0.25), quantile(sorted, 0.5), quantile(sorted, 0.75),
                        quantile(sorted, 1));
        return new ColumnDrift.Sample(sorted.length, rows - sorted.length, sorted.length == 0 ? 0 : distinct(sorted),
                quantiles);
    }

    /** numpy's default (linear) quantile of sorted values. */
    private static double quantile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    private static String[] presentCategories(Column column) {
        return column instanceof Column.Texts texts
                ? Arrays.stream(texts.values()).filter(v -> v != null).toArray(String[]::new)
                : Arrays.stream(((Column.Numbers) column).values()).filter(Double::isFinite)
                        .mapToObj(ValueCounts::formatNumber).toArray(String[]::new);
    }

    private static Column columnOf(String name, String side, Dataset dataset) {
        if (!dataset.hasColumn(name)) {
            throw new IllegalArgumentException("Drift detection: the " + side + " dataset has no column '" + name
                    + "'; its columns are " + dataset.columnNames());
        }
        return dataset.column(name);
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
