package io.dagctl.synthetics.service.internal;

/**
 * The Synthetic Quality Score and its parts, as Gretel defines them; every score is on a 0–10 scale (shown ×10).
 */
public final class QualityScores {
    private QualityScores() {
    }

    /** Field Distribution Stability from the mean Jensen–Shannon distance d (base 2) over the fields. */
    public static double fieldDistributionStability(double d) {
        if (d < 0.02) {
            return 10;
        }
        if (d > 0.99) {
            return 0;
        }
        return clamp(7.44 * d * d - 16.646 * d + 10.305);
    }

    /** Field Correlation Stability from the mean absolute difference r between the two correlation matrices. */
    public static double fieldCorrelationStability(double r) {
        if (r < 0.01) {
            return 10;
        }
        if (r > 0.46) {
            return 0;
        }
        return clamp(37.562 * r * r - 35.643 * r + 10.056);
    }

    /**
     * Principal Component Stability from the distance d in [0, 1] between the principal component structures
     * (see {@link PrincipalComponents}): 10 when identical, falling linearly to 0 at d = 0.5, the distance of
     * structures that share nothing but half their variance profile.
     */
    public static double principalComponentStability(double d) {
        return clamp(10 * (1 - 2 * d));
    }

    /** SQS = (FCS + 0.84·PCS + 0.86·FDS) / 2.7. */
    public static double syntheticQualityScore(double fcs, double pcs, double fds) {
        return clamp((fcs + 0.84 * pcs + 0.86 * fds) / 2.7);
    }

    /** The grade of a score on the 0–100 scale. */
    public static String grade(double score100) {
        if (score100 >= 80) {
            return "Excellent";
        }
        if (score100 >= 60) {
            return "Good";
        }
        if (score100 >= 40) {
            return "Moderate";
        }
        if (score100 >= 20) {
            return "Poor";
        }
        return "Very Poor";
    }

    /** The Jensen–Shannon distance (the square root of the divergence, base 2) between two distributions. */
    public static double jensenShannonDistance(double[] p, double[] q) {
        if (p.length != q.length) {
            throw new IllegalArgumentException("distributions over " + p.length + " and " + q.length + " bins");
        }
        double divergence = 0;
        for (int i = 0; i < p.length; i++) {
            double m = (p[i] + q[i]) / 2;
            if (p[i] > 0) {
                divergence += 0.5 * p[i] * log2(p[i] / m);
            }
            if (q[i] > 0) {
                divergence += 0.5 * q[i] * log2(q[i] / m);
            }
        }
        return Math.sqrt(Math.max(0, Math.min(1, divergence)));
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    private static double clamp(double score) {
        return Math.max(0, Math.min(10, score));
    }
}
