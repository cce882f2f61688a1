package io.dagctl.training.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class RmsleTest {

    @Test
    void scoresLog1pTargetsAgainstRawLog1pPredictionsAsMakeScorerPassesThem() {
        double[] log1pCounts = {Math.log1p(100), Math.log1p(1000)};
        double[] predictions = {Math.log1p(100) + 0.3, Math.log1p(1000) - 0.4};

        double first = Math.log1p(log1pCounts[0]) - Math.log1p(predictions[0]);
        double second = Math.log1p(log1pCounts[1]) - Math.log1p(predictions[1]);
        assertThat(Rmsle.of(log1pCounts, predictions))
                .isCloseTo(Math.sqrt((first * first + second * second) / 2), within(1e-12));
    }

    @Test
    void scorerGivesNaNForAPredictionWhereLog1pIsUndefined() {
        assertThat(Rmsle.of(new double[] {1, 2}, new double[] {1, -1.5})).isNaN();
    }

    @Test
    void testMetricComparesLog1pOfCountsWithLog1pPredictions() {
        double[] counts = {100, 1000};
        double[] predictions = {Math.log1p(100) + 0.3, Math.log1p(1000) - 0.4};

        assertThat(Rmsle.ofCounts(counts, predictions)).isCloseTo(Math.sqrt((0.09 + 0.16) / 2), within(1e-12));
    }

    @Test
    void testMetricIsZeroForExactPredictions() {
        assertThat(Rmsle.ofCounts(new double[] {0, 5, 985}, new double[] {0, Math.log1p(5), Math.log1p(985)}))
                .isCloseTo(0, within(1e-12));
    }

    @Test
    void testMetricClipsNegativePredictedCountsToZero() {
        // expm1(-0.5) is a count of about -0.39; clipped to 0, the error is log1p(3) − log1p(0)
        assertThat(Rmsle.ofCounts(new double[] {3}, new double[] {-0.5})).isCloseTo(Math.log1p(3), within(1e-12));
    }

    @Test
    void refusesMismatchedLengths() {
        assertThatThrownBy(() -> Rmsle.ofCounts(new double[] {1, 2}, new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Rmsle.ofCounts: need as many predictions as actual values and at least one, "
                        + "got 2 actual values and 1 predictions");
    }
}
