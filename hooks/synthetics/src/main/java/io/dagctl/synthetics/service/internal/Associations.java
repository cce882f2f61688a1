package io.dagctl.synthetics.service.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * Measures of association between two columns, each in [-1, 1] or [0, 1]. Numbers are given as doubles where
 * {@code NaN} marks a missing value (skipped); categories as strings where {@code null} is a category of its own.
 */
final class Associations {
    private static final String NULL_KEY = "\u0000";

    private Associations() {
    }

    /** Pearson's r over the rows where both values are present; 0 when either side is constant. */
    static double pearson(double[] x, double[] y) {
        double n = 0;
        double sx = 0;
        double sy = 0;
        for (int i = 0; i < x.length; i++) {
            if (!Double.isNaN(x[i]) && !Double.isNaN(y[i])) {
                n++;
                sx += x[i];
                sy += y[i];
            }
        }
        if (n < 2) {
            return 0;
        }
        double mx = sx / n;
        double my = sy / n;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            if (!Double.isNaN(x[i]) && !Double.isNaN(y[i])) {
                double dx = x[i] - mx;
                double dy = y[i] - my;
                sxy += dx * dy;
                sxx += dx * dx;
                syy += dy * dy;
            }
        }
        return sxx == 0 || syy == 0 ? 0 : sxy / Math.sqrt(sxx * syy);
    }

    /**
     * The correlation ratio η of a number given a category: the square root of the share of the number's variance
     * that lies between the categories' means. 0 when the number is constant.
     */
    static double correlationRatio(String[] categories, double[] values) {
        Map<String, double[]> groups = new HashMap<>(); // {count, sum}
        double n = 0;
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            if (Double.isNaN(values[i])) {
                continue;
            }
            double[] g = groups.computeIfAbsent(key(categories[i]), k -> new double[2]);
            g[0]++;
            g[1] += values[i];
            n++;
            sum += values[i];
        }
        if (n == 0) {
            return 0;
        }
        double mean = sum / n;
        double total = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                total += (v - mean) * (v - mean);
            }
        }
        if (total == 0) {
            return 0;
        }
        double between = 0;
        for (double[] g : groups.values()) {
            double groupMean = g[1] / g[0];
            between += g[0] * (groupMean - mean) * (groupMean - mean);
        }
        return Math.sqrt(Math.min(1, between / total));
    }

    /**
     * Theil's uncertainty coefficient U(x | y) = (H(x) − H(x | y)) / H(x): the share of x's entropy that knowing y
     * removes. 1 when x is constant (nothing is left to explain), as in the common implementations.
     */
    static double theilsU(String[] x, String[] y) {
        Map<String, Integer> xCounts = new HashMap<>();
        Map<String, Integer> yCounts = new HashMap<>();
        Map<String, Integer> joint = new HashMap<>();
        for (int i = 0; i < x.length; i++) {
            String kx = key(x[i]);
            String ky = key(y[i]);
            xCounts.merge(kx, 1, Integer::sum);
            yCounts.merge(ky, 1, Integer::sum);
            joint.merge(kx + '\u0001' + ky, 1, Integer::sum);
        }
        double n = x.length;
        double hx = entropy(xCounts, n);
        if (hx == 0) {
            return 1;
        }
        // H(x|y) = H(x,y) − H(y)
        double hxGivenY = entropy(joint, n) - entropy(yCounts, n);
        return Math.max(0, Math.min(1, (hx - hxGivenY) / hx));
    }

    private static double entropy(Map<String, Integer> counts, double n) {
        double h = 0;
        for (int c : counts.values()) {
            double p = c / n;
            h -= p * Math.log(p);
        }
        return h;
    }

    private static String key(String category) {
        return category == null ? NULL_KEY : category;
    }
}
