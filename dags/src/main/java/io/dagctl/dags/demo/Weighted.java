package io.dagctl.dags.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** A categorical distribution: values with integer weights. */
final class Weighted<T> {
    private final List<T> values;
    private final int[] cumulative;

    private Weighted(List<T> values, int[] cumulative) {
        this.values = values;
        this.cumulative = cumulative;
    }

    /** {@code of(value1, weight1, value2, weight2, ...)}. */
    @SuppressWarnings("unchecked")
    static <T> Weighted<T> of(Object... valuesAndWeights) {
        List<T> values = new ArrayList<>();
        int[] cumulative = new int[valuesAndWeights.length / 2];
        int total = 0;
        for (int i = 0; i < valuesAndWeights.length; i += 2) {
            values.add((T) valuesAndWeights[i]);
            total += (Integer) valuesAndWeights[i + 1];
            cumulative[i / 2] = total;
        }
        return new Weighted<>(List.copyOf(values), cumulative);
    }

    T pick(SplittableRandom random) {
        int draw = random.nextInt(cumulative[cumulative.length - 1]);
        for (int i = 0; i < cumulative.length; i++) {
            if (draw < cumulative[i]) {
                return values.get(i);
            }
        }
        throw new IllegalStateException("unreachable: draw " + draw + " beyond the total weight");
    }
}
