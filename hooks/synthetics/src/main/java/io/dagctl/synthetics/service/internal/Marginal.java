package io.dagctl.synthetics.service.internal;

import java.util.SplittableRandom;

/**
 * One column's distribution in a Gaussian copula: it maps values to uniform scores (their cumulative probability,
 * randomised within ties so that discrete columns get continuous scores) and back.
 */
interface Marginal {
    /** Smallest distance from 0 and 1 a uniform score keeps, so that its normal score stays finite. */
    double EDGE = 1e-6;

    /** The uniform score of each training value, in the value's order. */
    double[] uniformScores(String[] values, SplittableRandom random);

    /** The value whose cumulative probability is {@code u}. */
    String valueAt(double u);

    static double clamp(double u) {
        return Math.min(1 - EDGE, Math.max(EDGE, u));
    }
}
