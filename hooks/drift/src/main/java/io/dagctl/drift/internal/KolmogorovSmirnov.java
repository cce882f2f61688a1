package io.dagctl.drift.internal;

import org.hipparchus.stat.inference.KolmogorovSmirnovTest;

/**
 * Two-sided two-sample Kolmogorov–Smirnov test, computed as scipy's {@code ks_2samp(method='auto')}: the exact
 * distribution when both samples have at most {@value #MAX_EXACT_SIZE} values, Smirnov's asymptotic one otherwise.
 *
 * <p>Hipparchus' {@code exactP} divides a path count by {@code binomial(n + m, n)}, which overflows a double
 * once {@code n + m} passes about 1030, and it jitters ties away; so the exact branch follows Hodges' "inside
 * method" as scipy does, on the integer statistic. The asymptotic branch follows scipy's {@code kstwo.sf}: the
 * one-sided Smirnov tail where scipy takes it, Hipparchus' one-sample distribution elsewhere.
 */
public final class KolmogorovSmirnov {
    static final int MAX_EXACT_SIZE = 10_000;

    private KolmogorovSmirnov() {
    }

    /** p-value for two samples, both sorted ascending, without NaN, each non-empty. */
    public static double pValue(double[] sortedA, double[] sortedB) {
        int n1 = sortedA.length;
        int n2 = sortedB.length;
        long g = gcd(n1, n2);
        // |i/n1 - j/n2| scaled by lcm(n1, n2) is the integer |i*n2 - j*n1| / g.
        long h = maxScaledDistance(sortedA, sortedB) / g;
        long lcm = (n1 / g) * n2;
        if (Math.max(n1, n2) <= MAX_EXACT_SIZE) {
            if (h == 0) {
                return 1.0;
            }
            double p = n1 == n2 ? outsideSquare(n1, (int) h) : outsideBand(n1, n2, (int) g, h);
            if (p >= 0 && p <= 1) {
                return p;
            }
        }
        double d = (double) h / lcm;
        double m = Math.max(n1, n2);
        double n = Math.min(n1, n2);
        int effectiveN = (int) Math.rint(m * n / (m + n));
        return Math.min(1.0, Math.max(0.0, twoSidedTail(effectiveN, d)));
    }

    /**
     * P(D_n ≥ d) for the one-sample two-sided statistic, as scipy's {@code kstwo.sf} chooses its method: twice the
     * one-sided Smirnov tail where that is exact or the tail is small (subtracting the cdf from 1 would lose the
     * digits of a p-value below a few percent), otherwise 1 − cdf.
     */
    static double twoSidedTail(int n, double d) {
        if (d >= 1.0) {
            return 0.0;
        }
        double t = n * d;
        if (t >= n - 1) {
            return 2 * Math.pow(1 - d, n);
        }
        double nSquared = t * d;
        boolean smallTail = d >= 0.5 || (n <= 140 ? nSquared > 4 : nSquared >= 2.2);
        if (n > 140 && nSquared >= 370) {
            return 0.0;
        }
        if (t > 1.0 && smallTail) {
            return 2 * smirnov(n, d);
        }
        return 1.0 - new KolmogorovSmirnovTest().cdf(d, n);
    }

    /**
     * P(D_n⁺ ≥ d), the one-sided tail, by Birnbaum and Tingey's sum
     * d · Σ_{j ≤ n(1−d)} C(n, j) (1 − d − j/n)^(n−j) (d + j/n)^(j−1), each term in logarithms.
     */
    static double smirnov(int n, double d) {
        double sum = 0.0;
        double logBinomial = 0.0; // log C(n, j), updated term by term: n may be in the hundreds of thousands
        int last = (int) Math.floor(n * (1 - d));
        for (int j = 0; j <= last; j++) {
            double below = 1 - d - (double) j / n;
            if (below <= 0) {
                break;
            }
            sum += Math.exp(logBinomial + (n - j) * Math.log(below) + (j - 1) * Math.log(d + (double) j / n));
            logBinomial += Math.log((double) (n - j) / (j + 1));
        }
        return d * sum;
    }

    /** max over the pooled values x of |#{a ≤ x}·n2 − #{b ≤ x}·n1|. */
    static long maxScaledDistance(double[] a, double[] b) {
        long n1 = a.length;
        long n2 = b.length;
        int i = 0;
        int j = 0;
        long max = 0;
        while (i < a.length || j < b.length) {
            double x = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i] : b[j];
            while (i < a.length && a[i] <= x) {
                i++;
            }
            while (j < b.length && b[j] <= x) {
                j++;
            }
            max = Math.max(max, Math.abs(i * n2 - j * n1));
        }
        return max;
    }

    /** P(D ≥ h/n) for equal sample sizes n, by the alternating series evaluated Horner-wise. */
    static double outsideSquare(int n, int h) {
        double p = 0.0;
        for (int k = n / h; k >= 0; k--) {
            double term = 1.0;
            for (int j = 0; j < h; j++) {
                term = (n - (double) k * h - j) * term / (n + (double) k * h + j + 1);
            }
            p = term * (1.0 - p);
        }
        return 2 * p;
    }

    /**
     * P(D ≥ h/lcm) by walking lattice paths column by column and carrying, for each point inside the band
     * |x/m − y/n| < h/lcm, the probability that a path reaching it has already left the band.
     */
    static double outsideBand(int sizeA, int sizeB, int g, long h) {
        int m = Math.max(sizeA, sizeB);
        int n = Math.min(sizeA, sizeB);
        long mg = m / g;
        long ng = n / g;
        int minj = 0;
        int maxj = (int) Math.min(ceilDiv(h, mg), n + 1);
        int curlen = maxj - minj;
        int lenA = Math.min(2 * maxj + 2, n + 1);
        double[] column = new double[lenA];
        java.util.Arrays.fill(column, maxj, lenA, 1.0);
        for (int i = 1; i <= m; i++) {
            int lastminj = minj;
            int lastlen = curlen;
            minj = (int) Math.min(Math.max(Math.floorDiv(ng * i - h, mg) + 1, 0), n);
            maxj = (int) Math.min(ceilDiv(ng * i + h, mg), n + 1);
            if (maxj <= minj) {
                return 1.0;
            }
            double val = minj == 0 ? 0.0 : 1.0;
            for (int jj = 0; jj < maxj - minj; jj++) {
                int j = jj + minj;
                val = (column[jj + minj - lastminj] * i + val * j) / (i + j);
                column[jj] = val;
            }
            curlen = maxj - minj;
            if (lastlen > curlen) {
                java.util.Arrays.fill(column, curlen, Math.min(curlen + lastlen - curlen, lenA), 1.0);
            }
        }
        return column[maxj - minj - 1];
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
