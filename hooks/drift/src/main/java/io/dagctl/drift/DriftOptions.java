package io.dagctl.drift;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How drift is decided: the share of drifted columns at which the dataset counts as drifted (Evidently's
 * {@code drift_share}, default 0.5), and per-column choices of test and threshold overriding the defaults.
 */
public record DriftOptions(double driftShare, Map<String, StatTest> statTests, Map<String, Double> thresholds) {

    public DriftOptions {
        if (!(driftShare > 0 && driftShare <= 1)) {
            throw new IllegalArgumentException("DriftOptions: drift share must be in (0, 1], was " + driftShare);
        }
        statTests = Map.copyOf(statTests);
        thresholds = Map.copyOf(thresholds);
    }

    /** Evidently's DataDriftPreset defaults. */
    public static DriftOptions defaults() {
        return new DriftOptions(0.5, Map.of(), Map.of());
    }

    public DriftOptions withDriftShare(double share) {
        return new DriftOptions(share, statTests, thresholds);
    }

    public DriftOptions withStatTest(String column, StatTest test) {
        Map<String, StatTest> tests = new HashMap<>(statTests);
        tests.put(column, test);
        return new DriftOptions(driftShare, tests, thresholds);
    }

    public DriftOptions withThreshold(String column, double threshold) {
        Map<String, Double> all = new HashMap<>(thresholds);
        all.put(column, threshold);
        return new DriftOptions(driftShare, statTests, all);
    }

    Optional<StatTest> statTest(String column) {
        return Optional.ofNullable(statTests.get(column));
    }

    Optional<Double> threshold(String column) {
        return Optional.ofNullable(thresholds.get(column));
    }
}
