package io.dagctl.training.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class RmsleTest {

    @Test
    void comparesLog1pOfCountsWithLog1pPredictions() {
        double[] counts = {100, 1000};
        double[] predictions = {Math.log1p(100) + 0.3, Math.log1p(1000) - 0.4};

        assertThat(Rmsle.of(counts, predictions)).isCloseTo(Math.sqrt((0.09 + 0.16) / 2), within(1e-12));
    }

    @Test
    void isZeroForExactPredictions() {
        assertThat(Rmsle.of(new double[] {0, 5, 985}, new double[] {0, Math.log1p(5), Math.log1p(985)}))
                .isCloseTo(0, within(1e-12));
    }

    @Test
    void clipsNegativePredictedCountsToZero() {
        // expm1(-0.5) is a count of about -0.39; clipped to 0, the error is log1p(3) − log1p(0)
        assertThat(Rmsle.of(new double[] {3}, new double[] {-0.5})).isCloseTo(Math.log1p(3), within(1e-12));
    }

    @Test
    void refusesMismatchedLengths() {
        assertThatThrownBy(() -> Rmsle.of(new double[] {1, 2}, new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Rmsle.of: need as many predictions as counts and at least one, got 2 counts and 1 predictions");
    }
}
