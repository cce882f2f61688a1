package io.dagctl.training.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class RidgeRegressionTest {

    @Test
    void shrinksTheSlopeByTheClosedForm() {
        // centred x = (-1, 0, 1): XcᵀXc = 2, Xcᵀyc = 2, so β = 2 / (2 + α) = 0.5 and intercept = 1 − 1·0.5
        LinearFit fit = RidgeRegression.fit(new double[][] {{0}, {1}, {2}}, new double[] {0, 1, 2}, 2);

        assertThat(fit.coefficients()).containsExactly(new double[] {0.5}, within(1e-12));
        assertThat(fit.intercept()).isCloseTo(0.5, within(1e-12));
        assertThat(fit.predict(new double[] {4})).isCloseTo(2.5, within(1e-12));
    }

    @Test
    void doesNotPenaliseTheIntercept() {
        LinearFit fit = RidgeRegression.fit(new double[][] {{0}, {1}, {2}}, new double[] {10, 11, 12}, 1e9);

        assertThat(fit.coefficients()[0]).isCloseTo(0, within(1e-8));
        assertThat(fit.intercept()).isCloseTo(11, within(1e-6));
    }

    @Test
    void givesAConstantFeatureAZeroCoefficient() {
        LinearFit fit = RidgeRegression.fit(new double[][] {{0, 7}, {1, 7}, {2, 7}}, new double[] {1, 3, 5}, 0.1);

        assertThat(fit.coefficients()[1]).isEqualTo(0);
        assertThat(fit.coefficients()[0]).isCloseTo(4 / 2.1, within(1e-12));
    }

    @Test
    void refusesANonPositiveAlpha() {
        assertThatThrownBy(() -> RidgeRegression.fit(new double[][] {{0}}, new double[] {0}, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("RidgeRegression.fit: alpha must be positive and finite, got 0.0");
    }
}
