package io.dagctl.synthetics.service.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class QualityScoresTest {

    @Test
    void fieldDistributionStabilityFollowsGretelsQuadraticBetweenItsCutOffs() {
        // 7.44·0.1² − 16.646·0.1 + 10.305 = 0.0744 − 1.6646 + 10.305
        assertThat(QualityScores.fieldDistributionStability(0.1)).isCloseTo(8.7148, within(1e-9));
        // 7.44·0.5² − 16.646·0.5 + 10.305 = 1.86 − 8.323 + 10.305
        assertThat(QualityScores.fieldDistributionStability(0.5)).isCloseTo(3.842, within(1e-9));
        assertThat(QualityScores.fieldDistributionStability(0.019)).isEqualTo(10);
        assertThat(QualityScores.fieldDistributionStability(0.991)).isZero();
    }

    @Test
    void fieldCorrelationStabilityFollowsGretelsQuadraticBetweenItsCutOffs() {
        // 37.562·0.1² − 35.643·0.1 + 10.056 = 0.37562 − 3.5643 + 10.056
        assertThat(QualityScores.fieldCorrelationStability(0.1)).isCloseTo(6.86732, within(1e-9));
        // 37.562·0.3² − 35.643·0.3 + 10.056 = 3.38058 − 10.6929 + 10.056
        assertThat(QualityScores.fieldCorrelationStability(0.3)).isCloseTo(2.74368, within(1e-9));
        assertThat(QualityScores.fieldCorrelationStability(0.009)).isEqualTo(10);
        assertThat(QualityScores.fieldCorrelationStability(0.47)).isZero();
    }

    @Test
    void syntheticQualityScoreWeighsTheThreeParts() {
        // (9 + 0.84·8 + 0.86·7) / 2.7 = (9 + 6.72 + 6.02) / 2.7
        assertThat(QualityScores.syntheticQualityScore(9, 8, 7)).isCloseTo(21.74 / 2.7, within(1e-9));
        assertThat(QualityScores.syntheticQualityScore(10, 10, 10)).isCloseTo(10, within(1e-9));
    }

    @Test
    void principalComponentStabilityFallsLinearlyToZeroAtHalfDistance() {
        assertThat(QualityScores.principalComponentStability(0)).isEqualTo(10);
        assertThat(QualityScores.principalComponentStability(0.1)).isCloseTo(8, within(1e-9));
        assertThat(QualityScores.principalComponentStability(0.6)).isZero();
    }

    @Test
    void gradesFollowTheHundredPointScale() {
        assertThat(QualityScores.grade(80)).isEqualTo("Excellent");
        assertThat(QualityScores.grade(79.9)).isEqualTo("Good");
        assertThat(QualityScores.grade(60)).isEqualTo("Good");
        assertThat(QualityScores.grade(40)).isEqualTo("Moderate");
        assertThat(QualityScores.grade(20)).isEqualTo("Poor");
        assertThat(QualityScores.grade(19)).isEqualTo("Very Poor");
    }

    @Test
    void jensenShannonDistanceMatchesAHandComputedValue() {
        // P = (1, 0), Q = (1/2, 1/2): M = (3/4, 1/4).
        // KL(P‖M) = log2(4/3); KL(Q‖M) = ½·log2(2/3) + ½·log2(2); JSD = ½(KL(P‖M) + KL(Q‖M)).
        double kl1 = Math.log(4.0 / 3) / Math.log(2);
        double kl2 = 0.5 * Math.log(2.0 / 3) / Math.log(2) + 0.5;
        double expected = Math.sqrt(0.5 * (kl1 + kl2));
        assertThat(QualityScores.jensenShannonDistance(new double[] {1, 0}, new double[] {0.5, 0.5}))
                .isCloseTo(expected, within(1e-12)).isCloseTo(0.5579, within(1e-4));
        assertThat(QualityScores.jensenShannonDistance(new double[] {1, 0}, new double[] {0, 1})).isEqualTo(1);
        assertThat(QualityScores.jensenShannonDistance(new double[] {0.3, 0.7}, new double[] {0.3, 0.7})).isZero();
    }

    @Test
    void theilsUIsOneWhenTheOtherColumnDeterminesItAndZeroWhenIndependent() {
        String[] x = {"a", "a", "b", "b"};
        assertThat(Associations.theilsU(x, new String[] {"p", "p", "q", "q"})).isCloseTo(1, within(1e-12));
        assertThat(Associations.theilsU(x, new String[] {"p", "q", "p", "q"})).isCloseTo(0, within(1e-12));
        // x has 3 values, y splits them {a,a | b,c}: H(x) = 1.5 bits, H(x|y) = ½·0 + ½·1 = 0.5 → U = 2/3.
        assertThat(Associations.theilsU(new String[] {"a", "a", "b", "c"}, new String[] {"p", "p", "q", "q"}))
                .isCloseTo(2.0 / 3, within(1e-12));
    }

    @Test
    void correlationRatioIsTheShareOfVarianceBetweenCategories() {
        // Groups {1, 3} and {5, 7}: mean 4, total SS = 9+1+1+9 = 20, between SS = 2·(2−4)² + 2·(6−4)² = 16.
        assertThat(Associations.correlationRatio(new String[] {"a", "a", "b", "b"}, new double[] {1, 3, 5, 7}))
                .isCloseTo(Math.sqrt(16.0 / 20), within(1e-12));
    }
}
