package io.dagctl.synthetics.service.internal;

import io.dagctl.synthetics.service.internal.QualityReport.Correlations;
import io.dagctl.synthetics.service.internal.QualityReport.Distances;
import io.dagctl.synthetics.service.internal.QualityReport.Field;
import io.dagctl.synthetics.service.internal.QualityReport.Histogram;
import io.dagctl.synthetics.service.internal.QualityReport.PrincipalComponents;
import io.dagctl.synthetics.service.internal.QualityReport.Privacy;
import io.dagctl.synthetics.service.internal.QualityReport.Score;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.EigenDecompositionSymmetric;
import org.hipparchus.linear.RealMatrix;

/** Compares synthetic data with its training data: the quality scores and the privacy measures. */
public final class QualityEvaluator {
    /** Numeric fields are binned at these many training quantiles, shared by both data sets. */
    private static final int BINS = 20;
    /** Charts show numeric fields in at most these many equal-width bins. */
    private static final int CHART_BINS = 20;
    /** Rows of each data set shown in the principal component scatter. */
    private static final int SCATTER_ROWS = 400;
    /** Charts and the JSON list this many categories; the distance uses them all. */
    private static final int SHOWN_CATEGORIES = 30;
    /** Each one-hot encoded field contributes its most frequent categories to the principal components. */
    private static final int ONE_HOT_CATEGORIES = 10;
    private static final double EXPLAINED_VARIANCE_COMPARED = 0.8;
    /** Rows sampled for nearest-neighbour distances; each is compared with every training row. */
    private static final int PRIVACY_SAMPLE = 1000;
    private static final String NULL_LABEL = "(null)";
    /** Samples are seeded, so that the same data gives the same report. */
    private static final long PRIVACY_SEED = 17;
    private static final long SCATTER_SEED = 23;

    private QualityEvaluator() {
    }

    public static QualityReport evaluate(Table training, Table synthetic, List<ColumnProfile> profiles,
                                         Constraints constraints) {
        if (!training.columns().equals(synthetic.columns())) {
            throw new IllegalArgumentException("synthetic columns " + synthetic.columns()
                    + " differ from training columns " + training.columns());
        }
        List<Integer> fieldIndexes = new ArrayList<>();
        for (int c = 0; c < profiles.size(); c++) {
            if (profiles.get(c).kind() != ColumnKind.ID) {
                fieldIndexes.add(c);
            }
        }
        int f = fieldIndexes.size();
        ColumnProfile[] p = new ColumnProfile[f];
        String[][] trainText = new String[f][];
        String[][] synthText = new String[f][];
        double[][] trainNum = new double[f][];
        double[][] synthNum = new double[f][];
        for (int i = 0; i < f; i++) {
            int c = fieldIndexes.get(i);
            p[i] = profiles.get(c);
            trainText[i] = training.column(c);
            synthText[i] = synthetic.column(c);
            if (p[i].kind().isNumeric()) {
                trainNum[i] = p[i].toNumbers(trainText[i]);
                synthNum[i] = p[i].toNumbers(synthText[i]);
            }
        }

        List<Field> fields = new ArrayList<>();
        double distanceSum = 0;
        for (int i = 0; i < f; i++) {
            Field field = p[i].kind().isNumeric()
                    ? numericField(p[i], trainText[i], synthText[i], trainNum[i], synthNum[i])
                    : categoricalField(p[i], trainText[i], synthText[i]);
            fields.add(field);
            distanceSum += field.jensenShannonDistance();
        }
        double meanDistance = f == 0 ? 0 : distanceSum / f;

        double[][] trainAssoc = associations(p, trainText, trainNum);
        double[][] synthAssoc = associations(p, synthText, synthNum);
        double diffSum = 0;
        for (int a = 0; a < f; a++) {
            for (int b = 0; b < f; b++) {
                if (a != b) {
                    diffSum += Math.abs(trainAssoc[a][b] - synthAssoc[a][b]);
                }
            }
        }
        double meanDifference = f < 2 ? 0 : diffSum / (f * (f - 1));

        PrincipalComponents components = principalComponents(p, trainText, synthText, trainNum, synthNum);

        double fds = QualityScores.fieldDistributionStability(meanDistance);
        double fcs = QualityScores.fieldCorrelationStability(meanDifference);
        double pcs = QualityScores.principalComponentStability(components.distance());
        double sqs = QualityScores.syntheticQualityScore(fcs, pcs, fds);
        return new QualityReport(training.size(), synthetic.size(), Score.of(sqs), Score.of(fcs), Score.of(pcs),
                Score.of(fds), meanDistance, meanDifference, fields,
                new Correlations(Arrays.stream(p).map(ColumnProfile::name).toList(), trainAssoc, synthAssoc),
                components, rules(constraints, training, synthetic),
                privacy(training, synthetic, profiles, p, trainText, synthText, trainNum, synthNum));
    }

    private static List<QualityReport.Rule> rules(Constraints constraints, Table training, Table synthetic) {
        List<String> descriptions = constraints.descriptions();
        long[] trainingKeeping = constraints.rowsKeeping(training);
        long[] syntheticKeeping = constraints.rowsKeeping(synthetic);
        List<QualityReport.Rule> rules = new ArrayList<>();
        for (int r = 0; r < descriptions.size(); r++) {
            rules.add(new QualityReport.Rule(descriptions.get(r), share(trainingKeeping[r], training.size()),
                    share(syntheticKeeping[r], synthetic.size()), synthetic.size() - syntheticKeeping[r]));
        }
        return rules;
    }

    private static double share(long count, int of) {
        return of == 0 ? 1 : (double) count / of;
    }

    private static Field numericField(ColumnProfile profile, String[] trainText, String[] synthText,
                                      double[] train, double[] synth) {
        double[] sorted = Arrays.stream(train).filter(v -> !Double.isNaN(v)).sorted().toArray();
        TreeSet<Double> edgeSet = new TreeSet<>();
        for (int k = 1; k < BINS && sorted.length > 0; k++) {
            edgeSet.add(sorted[(int) Math.min(sorted.length - 1, Math.floor((double) k * sorted.length / BINS))]);
        }
        double[] edges = edgeSet.stream().mapToDouble(Double::doubleValue).toArray();
        boolean anyNull = hasNaN(train) || hasNaN(synth);
        int bins = edges.length + 1 + (anyNull ? 1 : 0);
        double[] pt = binProportions(train, edges, bins);
        double[] ps = binProportions(synth, edges, bins);
        return new Field(profile.name(), profile.kind(), QualityScores.jensenShannonDistance(pt, ps),
                nullRate(trainText), nullRate(synthText), distinct(trainText), distinct(synthText),
                equalWidthHistogram(profile, train, synth));
    }

    /**
     * Equal-width bins over the range of both data sets' present values. Integers and dates get whole-number
     * widths with bins centred on their values, so that no bin holds one more value than its neighbour.
     */
    private static Histogram equalWidthHistogram(ColumnProfile profile, double[] train, double[] synth) {
        double min = Math.min(min(train), min(synth));
        double max = Math.max(max(train), max(synth));
        if (Double.isInfinite(min)) {
            return new Histogram(List.of(), new double[0], new double[0], List.of());
        }
        boolean whole = profile.kind() != ColumnKind.FLOAT;
        double width = whole ? Math.ceil((max - min + 1) / CHART_BINS) : (max - min) / CHART_BINS;
        double start = whole ? min - 0.5 : min;
        int bins = width == 0 ? 1 : whole ? (int) Math.ceil((max - min + 1) / width) : CHART_BINS;
        double[] pt = new double[bins];
        double[] ps = new double[bins];
        countInto(pt, train, start, width);
        countInto(ps, synth, start, width);
        List<String> labels = new ArrayList<>();
        List<String> edges = new ArrayList<>();
        for (int b = 0; b <= bins; b++) {
            double edge = start + b * width;
            edges.add(whole ? profile.format(edge + 0.5) : label(profile, edge));
            if (b < bins) {
                labels.add(whole && width == 1 ? profile.format(edge + 0.5)
                        : whole ? profile.format(edge + 0.5) + "–" + profile.format(edge + width - 0.5)
                        : "[" + label(profile, edge) + ", " + label(profile, edge + width)
                                + (b == bins - 1 ? "]" : ")"));
            }
        }
        return new Histogram(labels, pt, ps, edges);
    }

    /** Adds each present value's share of all rows to its bin; the maximum falls in the last bin. */
    private static void countInto(double[] shares, double[] values, double start, double width) {
        for (double v : values) {
            if (!Double.isNaN(v)) {
                int bin = width == 0 ? 0 : (int) Math.min(shares.length - 1, Math.floor((v - start) / width));
                shares[bin] += 1.0 / values.length;
            }
        }
    }

    private static double min(double[] values) {
        return Arrays.stream(values).filter(v -> !Double.isNaN(v)).min().orElse(Double.POSITIVE_INFINITY);
    }

    private static double max(double[] values) {
        return Arrays.stream(values).filter(v -> !Double.isNaN(v)).max().orElse(Double.NEGATIVE_INFINITY);
    }

    private static double[] binProportions(double[] values, double[] edges, int bins) {
        double[] counts = new double[bins];
        for (double v : values) {
            if (Double.isNaN(v)) {
                counts[bins - 1]++;
                continue;
            }
            int found = Arrays.binarySearch(edges, v);
            counts[found >= 0 ? found : -found - 1]++;
        }
        for (int b = 0; b < bins; b++) {
            counts[b] /= Math.max(1, values.length);
        }
        return counts;
    }

    private static String label(ColumnProfile profile, double edge) {
        if (profile.kind() != ColumnKind.FLOAT) {
            return profile.format(edge);
        }
        return String.format(Locale.ROOT, Math.abs(edge) >= 1000 ? "%.0f" : "%.4g", edge);
    }

    private static Field categoricalField(ColumnProfile profile, String[] train, String[] synth) {
        Map<String, double[]> counts = new LinkedHashMap<>();
        for (String v : train) {
            counts.computeIfAbsent(v == null ? NULL_LABEL : v, k -> new double[2])[0]++;
        }
        for (String v : synth) {
            counts.computeIfAbsent(v == null ? NULL_LABEL : v, k -> new double[2])[1]++;
        }
        List<Map.Entry<String, double[]>> entries = new ArrayList<>(counts.entrySet());
        entries.sort((a, b) -> Double.compare(b.getValue()[0] + b.getValue()[1], a.getValue()[0] + a.getValue()[1]));
        double[] pt = new double[entries.size()];
        double[] ps = new double[entries.size()];
        for (int k = 0; k < entries.size(); k++) {
            pt[k] = entries.get(k).getValue()[0] / Math.max(1, train.length);
            ps[k] = entries.get(k).getValue()[1] / Math.max(1, synth.length);
        }
        double distance = QualityScores.jensenShannonDistance(pt, ps);
        int shown = Math.min(entries.size(), SHOWN_CATEGORIES);
        List<String> labels = new ArrayList<>(entries.subList(0, shown).stream().map(Map.Entry::getKey).toList());
        double[] st = Arrays.copyOf(pt, shown + (entries.size() > shown ? 1 : 0));
        double[] ss = Arrays.copyOf(ps, st.length);
        if (entries.size() > shown) {
            labels.add("(" + (entries.size() - shown) + " others)");
            for (int k = shown; k < entries.size(); k++) {
                st[shown] += pt[k];
                ss[shown] += ps[k];
            }
        }
        return new Field(profile.name(), profile.kind(), distance, nullRate(train), nullRate(synth),
                distinct(train), distinct(synth), new Histogram(labels, st, ss, List.of()));
    }

    /** Pearson for two numbers, Theil's U for two categories, the correlation ratio for a number and a category. */
    static double[][] associations(ColumnProfile[] p, String[][] text, double[][] numbers) {
        int f = p.length;
        double[][] m = new double[f][f];
        for (int a = 0; a < f; a++) {
            m[a][a] = 1;
            for (int b = 0; b < f; b++) {
                if (a == b) {
                    continue;
                }
                boolean na = p[a].kind().isNumeric();
                boolean nb = p[b].kind().isNumeric();
                if (na && nb) {
                    m[a][b] = b < a ? m[b][a] : Associations.pearson(numbers[a], numbers[b]);
                } else if (!na && !nb) {
                    m[a][b] = Associations.theilsU(text[a], text[b]);
                } else {
                    m[a][b] = na ? Associations.correlationRatio(text[b], numbers[a])
                            : Associations.correlationRatio(text[a], numbers[b]);
                }
            }
        }
        return m;
    }

    private static PrincipalComponents principalComponents(ColumnProfile[] p, String[][] trainText,
                                                           String[][] synthText, double[][] trainNum,
                                                           double[][] synthNum) {
        List<double[]> trainFeatures = new ArrayList<>();
        List<double[]> synthFeatures = new ArrayList<>();
        for (int i = 0; i < p.length; i++) {
            if (p[i].kind().isNumeric()) {
                trainFeatures.add(trainNum[i]);
                synthFeatures.add(synthNum[i]);
            } else {
                for (String category : topCategories(trainText[i])) {
                    trainFeatures.add(oneHot(trainText[i], category));
                    synthFeatures.add(oneHot(synthText[i], category));
                }
            }
        }
        List<double[]> trainStd = new ArrayList<>();
        List<double[]> synthStd = new ArrayList<>();
        for (int k = 0; k < trainFeatures.size(); k++) {
            double[] t = trainFeatures.get(k);
            double mean = Arrays.stream(t).filter(v -> !Double.isNaN(v)).average().orElse(0);
            double sd = Math.sqrt(Arrays.stream(t).filter(v -> !Double.isNaN(v))
                    .map(v -> (v - mean) * (v - mean)).average().orElse(0));
            if (sd > 0) {
                trainStd.add(standardize(t, mean, sd));
                synthStd.add(standardize(synthFeatures.get(k), mean, sd));
            }
        }
        int d = trainStd.size();
        if (d < 2) {
            return new PrincipalComponents(new double[] {1}, new double[] {1}, 0, d, 1, 0,
                    new QualityReport.Projection(new double[0], new double[0][], new double[0][]));
        }
        EigenDecompositionSymmetric te = new EigenDecompositionSymmetric(covariance(trainStd));
        EigenDecompositionSymmetric se = new EigenDecompositionSymmetric(covariance(synthStd));
        int[] tOrder = descending(te.getEigenvalues());
        int[] sOrder = descending(se.getEigenvalues());
        double[] tSpectrum = spectrum(te.getEigenvalues(), tOrder);
        double[] sSpectrum = spectrum(se.getEigenvalues(), sOrder);
        double spectrumDistance = 0;
        for (int k = 0; k < d; k++) {
            spectrumDistance += Math.abs(tSpectrum[k] - sSpectrum[k]) / 2;
        }
        int axes = 0;
        double explained = 0;
        while (axes < d && explained < EXPLAINED_VARIANCE_COMPARED) {
            explained += tSpectrum[axes++];
        }
        double similarity = 0;
        for (int a = 0; a < axes; a++) {
            double[] ta = te.getEigenvector(tOrder[a]).toArray();
            for (int b = 0; b < axes; b++) {
                double[] sb = se.getEigenvector(sOrder[b]).toArray();
                double dot = 0;
                for (int k = 0; k < d; k++) {
                    dot += ta[k] * sb[k];
                }
                similarity += dot * dot;
            }
        }
        similarity = Math.min(1, similarity / axes);
        double distance = (spectrumDistance + (1 - similarity)) / 2;
        double[][] firstTwo = {te.getEigenvector(tOrder[0]).toArray(), te.getEigenvector(tOrder[1]).toArray()};
        SplittableRandom random = new SplittableRandom(SCATTER_SEED);
        QualityReport.Projection projection = new QualityReport.Projection(
                new double[] {tSpectrum[0], tSpectrum[1]},
                project(trainStd, firstTwo, sample(trainStd.get(0).length, SCATTER_ROWS, random)),
                project(synthStd, firstTwo, sample(synthStd.get(0).length, SCATTER_ROWS, random)));
        return new PrincipalComponents(tSpectrum, sSpectrum, spectrumDistance, axes, similarity, distance,
                projection);
    }

    /** The coordinates of the sampled rows on the given axes. */
    private static double[][] project(List<double[]> standardized, double[][] axes, int[] rows) {
        double[][] points = new double[rows.length][axes.length];
        for (int k = 0; k < rows.length; k++) {
            for (int a = 0; a < axes.length; a++) {
                for (int i = 0; i < standardized.size(); i++) {
                    points[k][a] += standardized.get(i)[rows[k]] * axes[a][i];
                }
            }
        }
        return points;
    }

    private static List<String> topCategories(String[] values) {
        Map<String, Integer> counts = new HashMap<>();
        for (String v : values) {
            counts.merge(v == null ? NULL_LABEL : v, 1, Integer::sum);
        }
        return counts.entrySet().stream()
                .sorted((a, b) -> a.getValue().equals(b.getValue()) ? a.getKey().compareTo(b.getKey())
                        : b.getValue() - a.getValue())
                .limit(ONE_HOT_CATEGORIES).map(Map.Entry::getKey).toList();
    }

    private static double[] oneHot(String[] values, String category) {
        double[] x = new double[values.length];
        for (int r = 0; r < values.length; r++) {
            x[r] = category.equals(values[r] == null ? NULL_LABEL : values[r]) ? 1 : 0;
        }
        return x;
    }

    /** Missing numbers become the training mean, i.e. 0. */
    private static double[] standardize(double[] x, double mean, double sd) {
        double[] z = new double[x.length];
        for (int r = 0; r < x.length; r++) {
            z[r] = Double.isNaN(x[r]) ? 0 : (x[r] - mean) / sd;
        }
        return z;
    }

    private static RealMatrix covariance(List<double[]> columns) {
        int d = columns.size();
        int n = columns.get(0).length;
        double[] means = new double[d];
        for (int a = 0; a < d; a++) {
            means[a] = Arrays.stream(columns.get(a)).average().orElse(0);
        }
        RealMatrix cov = new Array2DRowRealMatrix(d, d);
        for (int a = 0; a < d; a++) {
            double[] x = columns.get(a);
            for (int b = a; b < d; b++) {
                double[] y = columns.get(b);
                double s = 0;
                for (int r = 0; r < n; r++) {
                    s += (x[r] - means[a]) * (y[r] - means[b]);
                }
                cov.setEntry(a, b, s / Math.max(1, n - 1));
                cov.setEntry(b, a, s / Math.max(1, n - 1));
            }
        }
        return cov;
    }

    private static int[] descending(double[] values) {
        return IntStream.range(0, values.length).boxed()
                .sorted((a, b) -> Double.compare(values[b], values[a])).mapToInt(Integer::intValue).toArray();
    }

    private static double[] spectrum(double[] eigenvalues, int[] order) {
        double total = Arrays.stream(eigenvalues).map(v -> Math.max(0, v)).sum();
        double[] s = new double[order.length];
        for (int k = 0; k < order.length; k++) {
            s[k] = total == 0 ? 0 : Math.max(0, eigenvalues[order[k]]) / total;
        }
        return s;
    }

    private static Privacy privacy(Table training, Table synthetic, List<ColumnProfile> profiles, ColumnProfile[] p,
                                   String[][] trainText, String[][] synthText, double[][] trainNum,
                                   double[][] synthNum) {
        Set<String> trainingRows = new HashSet<>();
        for (String[] row : training.rows()) {
            trainingRows.add(CopulaSynthesizer.rowKey(row, profiles));
        }
        long exactMatches = synthetic.rows().stream()
                .filter(row -> trainingRows.contains(CopulaSynthesizer.rowKey(row, profiles))).count();

        int f = p.length;
        double[][] trainStd = new double[f][];
        double[][] synthStd = new double[f][];
        int[][] trainCodes = new int[f][];
        int[][] synthCodes = new int[f][];
        for (int i = 0; i < f; i++) {
            if (p[i].kind().isNumeric()) {
                double[] t = trainNum[i];
                double mean = Arrays.stream(t).filter(v -> !Double.isNaN(v)).average().orElse(0);
                double sd = Math.sqrt(Arrays.stream(t).filter(v -> !Double.isNaN(v))
                        .map(v -> (v - mean) * (v - mean)).average().orElse(0));
                double scale = sd > 0 ? sd : 1;
                trainStd[i] = Arrays.stream(t).map(v -> (v - mean) / scale).toArray();
                synthStd[i] = Arrays.stream(synthNum[i]).map(v -> (v - mean) / scale).toArray();
            } else {
                Map<String, Integer> codes = new HashMap<>();
                trainCodes[i] = encode(trainText[i], codes);
                synthCodes[i] = encode(synthText[i], codes);
            }
        }
        SplittableRandom random = new SplittableRandom(PRIVACY_SEED);
        double[] toTraining = nearest(sample(synthetic.size(), PRIVACY_SAMPLE, random), synthStd, synthCodes, trainStd, trainCodes,
                false);
        double[] withinTraining = nearest(sample(training.size(), PRIVACY_SAMPLE, random), trainStd, trainCodes, trainStd, trainCodes,
                true);
        return new Privacy(exactMatches, summary(toTraining), summary(withinTraining));
    }

    private static int[] encode(String[] values, Map<String, Integer> codes) {
        int[] x = new int[values.length];
        for (int r = 0; r < values.length; r++) {
            x[r] = codes.computeIfAbsent(values[r] == null ? NULL_LABEL : values[r], k -> codes.size());
        }
        return x;
    }

    /** Up to {@code limit} distinct row indexes, all of them when there are no more. */
    private static int[] sample(int size, int limit, SplittableRandom random) {
        if (size <= limit) {
            return IntStream.range(0, size).toArray();
        }
        return random.ints(0, size).distinct().limit(limit).toArray();
    }

    /**
     * For each query row, the distance to its nearest reference row: Euclidean over standardized numbers, where a
     * category mismatch or a value missing on one side only counts as a difference of 1.
     */
    private static double[] nearest(int[] queries, double[][] qNum, int[][] qCode, double[][] refNum,
                                    int[][] refCode, boolean skipSelf) {
        int f = qNum.length;
        int refSize = f == 0 ? 0 : (refNum[0] != null ? refNum[0].length : refCode[0].length);
        double[] result = new double[queries.length];
        for (int k = 0; k < queries.length; k++) {
            int q = queries[k];
            double best = Double.POSITIVE_INFINITY;
            for (int r = 0; r < refSize; r++) {
                if (skipSelf && r == q) {
                    continue;
                }
                double s = 0;
                for (int i = 0; i < f && s < best; i++) {
                    if (qNum[i] != null) {
                        double a = qNum[i][q];
                        double b = refNum[i][r];
                        boolean na = Double.isNaN(a);
                        boolean nb = Double.isNaN(b);
                        s += na && nb ? 0 : na || nb ? 1 : (a - b) * (a - b);
                    } else if (qCode[i][q] != refCode[i][r]) {
                        s += 1;
                    }
                }
                best = Math.min(best, s);
            }
            result[k] = Math.sqrt(best);
        }
        return result;
    }

    private static Distances summary(double[] distances) {
        if (distances.length == 0) {
            return new Distances(0, 0, 0);
        }
        double[] sorted = distances.clone();
        Arrays.sort(sorted);
        return new Distances(sorted[0], sorted[(int) Math.floor(0.05 * (sorted.length - 1))],
                sorted[(sorted.length - 1) / 2]);
    }

    private static boolean hasNaN(double[] values) {
        for (double v : values) {
            if (Double.isNaN(v)) {
                return true;
            }
        }
        return false;
    }

    private static double nullRate(String[] values) {
        return values.length == 0 ? 0 : Arrays.stream(values).filter(v -> v == null).count() / (double) values.length;
    }

    private static int distinct(String[] values) {
        return (int) Arrays.stream(values).filter(v -> v != null).distinct().count();
    }
}
