package io.dagctl.drift.internal;

import org.hipparchus.distribution.continuous.NormalDistribution;
import org.hipparchus.special.Gamma;

/** The p-value tests on value counts, computed as scipy and Evidently compute them. */
public final class Tests {
    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(0, 1);

    private Tests() {
    }

    /**
     * Pearson's chi-square goodness of fit of the current counts against the reference counts scaled to the
     * current total (scipy's {@code chisquare(f_obs, f_exp)} with k − 1 degrees of freedom).
     */
    public static double chiSquarePValue(long[] referenceCounts, long[] currentCounts) {
        double referenceTotal = total(referenceCounts);
        double currentTotal = total(currentCounts);
        double scale = currentTotal / referenceTotal;
        double statistic = 0.0;
        for (int k = 0; k < referenceCounts.length; k++) {
            double expected = referenceCounts[k] * scale;
            double difference = currentCounts[k] - expected;
            statistic += difference * difference / expected;
        }
        if (Double.isInfinite(statistic)) {
            return 0.0;
        }
        return Gamma.regularizedGammaQ((referenceCounts.length - 1) / 2.0, statistic / 2.0);
    }

    /**
     * Two-sided pooled two-proportion Z-test, where the first category is coded 0 and all others 1
     * (Evidently's {@code z_stat_test}, {@code 2 * (1 - Φ(|z|))}).
     */
    public static double twoProportionZPValue(long[] referenceCounts, long[] currentCounts) {
        double n1 = total(referenceCounts);
        double n2 = total(currentCounts);
        double p1 = (n1 - referenceCounts[0]) / n1;
        double p2 = (n2 - currentCounts[0]) / n2;
        double pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
        double z = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2));
        return 2 * (1 - STANDARD_NORMAL.cumulativeProbability(Math.abs(z)));
    }

    private static double total(long[] counts) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        return total;
    }
}
