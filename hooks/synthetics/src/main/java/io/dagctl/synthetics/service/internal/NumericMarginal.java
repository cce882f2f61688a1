package io.dagctl.synthetics.service.internal;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * An empirical quantile marginal for a numeric or date column. Nulls take the bottom of the unit interval, so the
 * null rate is preserved and whether a value is missing can correlate with the other columns. A quantile is
 * interpolated between its two neighbouring training values only when they are close, i.e. no farther apart than
 * the Freedman–Diaconis bin width {@code 2·IQR·n^(-1/3)}; across a wider gap it is the nearer training value. So
 * generated values stay within the training range, and a sparse region (an age of 105 next to one of 2014) yields
 * only the values training has there instead of being filled in.
 */
final class NumericMarginal implements Marginal {
    private final ColumnProfile profile;
    private final double nullRate;
    private final double[] sorted;
    private final double closeGap;

    NumericMarginal(ColumnProfile profile, String[] values) {
        this.profile = profile;
        this.sorted = Arrays.stream(values).filter(v -> v != null).mapToDouble(profile::toNumber).sorted().toArray();
        this.nullRate = values.length == 0 ? 0 : (double) (values.length - sorted.length) / values.length;
        this.closeGap = sorted.length == 0 ? 0
                : 2 * (quantile(0.75) - quantile(0.25)) / Math.cbrt(sorted.length);
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
        double gap = sorted[above] - sorted[below];
        if (gap > closeGap) {
            return profile.format(fraction < 0.5 ? sorted[below] : sorted[above]);
        }
        return profile.format(sorted[below] + fraction * gap);
    }

    /** The training quantile at {@code q}, interpolated linearly (numpy's default). */
    private double quantile(double q) {
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(sorted.length - 1, below + 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
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
