package io.dagctl.training.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KFoldTest {

    @Test
    void firstFoldsTakeTheRemainderRowsLikeScikitLearnsKFold() {
        assertThat(KFold.split(11, 3)).containsExactly(
                new KFold.Fold(0, 4), new KFold.Fold(4, 8), new KFold.Fold(8, 11));
        assertThat(KFold.split(10, 3)).containsExactly(
                new KFold.Fold(0, 4), new KFold.Fold(4, 7), new KFold.Fold(7, 10));
    }

    @Test
    void evenlyDivisibleRowsGiveEqualContiguousFolds() {
        assertThat(KFold.split(657, 3)).containsExactly(
                new KFold.Fold(0, 219), new KFold.Fold(219, 438), new KFold.Fold(438, 657));
    }

    @Test
    void aFoldKnowsItsTestRows() {
        KFold.Fold fold = new KFold.Fold(4, 7);
        assertThat(fold.testRows()).isEqualTo(3);
        assertThat(fold.isTestRow(3)).isFalse();
        assertThat(fold.isTestRow(4)).isTrue();
        assertThat(fold.isTestRow(6)).isTrue();
        assertThat(fold.isTestRow(7)).isFalse();
    }

    @Test
    void refusesMoreFoldsThanRows() {
        assertThatThrownBy(() -> KFold.split(2, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("KFold.split: need at least 2 folds and no more folds than rows, got 3 folds for 2 rows");
    }
}
