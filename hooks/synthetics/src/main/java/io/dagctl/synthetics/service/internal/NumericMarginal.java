package io.dagctl.synthetics.service.internal;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * An empirical quantile marginal for a numeric or date column. Nulls take the bottom of the unit interval, so the
 * null rate is preserved and whether a value is missing can correlate with the other columns. Quantiles are
 * interpolated between neighbouring training values, so generated values are new but stay within the observed range.
 */
final class NumericMarginal implements Marginal {
    private final ColumnProfile profile;
    private final double nullRate;
    private final double[] sorted;

    NumericMarginal(ColumnProfile profile, String[] values) {
        this.profile = profile;
        this.sorted = Arrays.stream(values).filter(v -> v != null).mapToDouble(profile::toNumber).sorted().toArray();
        this.nullRate = values.length == 0 ? 0 : (double) (values.length - sorted.length) / values.length;
    }

    @Override
    public double[] uniformScores(String[] values, SplittableRandom random) {
        double[] scores = new double[values.length];
        int m = sorted.length;
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                scores[i] = Marginal.clamp(nullRate * random.nextDouble());
                continue;
            }
            double x = profile.toNumber(values[i]);
            int lo = lowerBound(x);
            int hi = upperBound(x);
            double rank = lo + random.nextDouble() * (hi - lo);
            scores[i] = Marginal.clamp(nullRate + (1 - nullRate) * rank / m);
        }
        return scores;
    }

    @Override
    public String valueAt(double u) {
        if (u < nullRate || sorted.length == 0) {
            return null;
        }
        double q = (u - nullRate) / (1 - nullRate);
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(sorted.length - 1, below + 1);
        double fraction = position - below;
        return profile.format(sorted[below] + fraction * (sorted[above] - sorted[below]));
    }

    private int lowerBound(double x) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private int upperBound(double x) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
