package io.dagctl.drift;

/**
 * The drift tests Evidently's DataDriftPreset chooses between, with Evidently's names and default thresholds.
 * A p-value test reports drift when the p-value falls below its threshold (K-S: at or below); a distance reports
 * drift when the distance reaches its threshold.
 */
public enum StatTest {
    KOLMOGOROV_SMIRNOV("ks", "K-S p_value", 0.05, true),
    CHI_SQUARE("chisquare", "chi-square p_value", 0.05, true),
    Z_TEST("z", "Z-test p_value", 0.05, true),
    WASSERSTEIN("wasserstein", "Wasserstein distance (normed)", 0.1, false),
    JENSEN_SHANNON("jensenshannon", "Jensen-Shannon distance", 0.1, false);

    private final String evidentlyName;
    private final String displayName;
    private final double defaultThreshold;
    private final boolean pValue;

    StatTest(String evidentlyName, String displayName, double defaultThreshold, boolean pValue) {
        this.evidentlyName = evidentlyName;
        this.displayName = displayName;
        this.defaultThreshold = defaultThreshold;
        this.pValue = pValue;
    }

    /** Evidently's registry name, e.g. {@code "ks"}, as a user passes it in {@code stattest=}. */
    public String evidentlyName() {
        return evidentlyName;
    }

    /** Evidently's {@code stattest_name} in reports, e.g. {@code "K-S p_value"}. */
    public String displayName() {
        return displayName;
    }

    public double defaultThreshold() {
        return defaultThreshold;
    }

    /** Whether the score is a p-value (small means drift) rather than a distance (large means drift). */
    public boolean isPValue() {
        return pValue;
    }

    /** Evidently's verdict for a score against a threshold. */
    public boolean drifted(double score, double threshold) {
        return switch (this) {
            case KOLMOGOROV_SMIRNOV -> score <= threshold;
            case CHI_SQUARE, Z_TEST -> score < threshold;
            case WASSERSTEIN, JENSEN_SHANNON -> score >= threshold;
        };
    }

    /** Whether a user may choose the test for a numerical column (Evidently's {@code allowed_feature_types}). */
    public boolean appliesToNumerical() {
        return this != CHI_SQUARE && this != Z_TEST;
    }

    /** Whether a user may choose the test for a categorical column. */
    public boolean appliesToCategorical() {
        return this != KOLMOGOROV_SMIRNOV && this != WASSERSTEIN;
    }

    /** The registry names of the tests that fit a column type, e.g. {@code "ks, wasserstein, jensenshannon"}. */
    public static String namesFor(ColumnType type) {
        return java.util.Arrays.stream(values())
                .filter(test -> type == ColumnType.NUMERICAL ? test.appliesToNumerical() : test.appliesToCategorical())
                .map(StatTest::evidentlyName).collect(java.util.stream.Collectors.joining(", "));
    }

    /** The test for an Evidently registry name such as {@code "wasserstein"}. */
    public static StatTest byEvidentlyName(String name) {
        for (StatTest test : values()) {
            if (test.evidentlyName.equals(name)) {
                return test;
            }
        }
        throw new IllegalArgumentException("StatTest: no test named '" + name + "'; known tests are "
                + java.util.Arrays.stream(values()).map(StatTest::evidentlyName).toList());
    }
}
