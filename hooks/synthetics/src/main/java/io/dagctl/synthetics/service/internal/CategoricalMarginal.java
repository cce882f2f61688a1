package io.dagctl.synthetics.service.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A categorical marginal: categories (null among them) take consecutive slices of the unit interval, as wide as
 * their frequency; a training value's score is drawn uniformly within its slice. The order of the slices matters
 * for a Gaussian copula, which only captures monotone dependence: categories are ordered by the mean normal score
 * of their rows on the column's most associated numeric neighbour when the caller supplies one, else by frequency.
 */
final class CategoricalMarginal implements Marginal {
    private final List<String> categories;
    private final double[] cumulative;
    private final Map<String, Integer> indexOf = new HashMap<>();

    private CategoricalMarginal(List<String> categories, double[] cumulative) {
        this.categories = categories;
        this.cumulative = cumulative;
        for (int i = 0; i < categories.size(); i++) {
            indexOf.put(key(categories.get(i)), i);
        }
    }

    /**
     * @param orderingScore for each row a number whose per-category mean orders the categories, or null to order
     *                      by frequency
     */
    static CategoricalMarginal fit(String[] values, double[] orderingScore) {
        Map<String, double[]> stats = new HashMap<>(); // key -> {count, sum of ordering score}
        Map<String, String> valueOfKey = new HashMap<>();
        for (int i = 0; i < values.length; i++) {
            String k = key(values[i]);
            valueOfKey.putIfAbsent(k, values[i]);
            double[] s = stats.computeIfAbsent(k, x -> new double[2]);
            s[0]++;
            s[1] += orderingScore == null ? 0 : orderingScore[i];
        }
        List<String> keys = new ArrayList<>(stats.keySet());
        if (orderingScore == null) {
            keys.sort((a, b) -> stats.get(a)[0] != stats.get(b)[0]
                    ? Double.compare(stats.get(b)[0], stats.get(a)[0]) : a.compareTo(b));
        } else {
            keys.sort((a, b) -> {
                double ma = stats.get(a)[1] / stats.get(a)[0];
                double mb = stats.get(b)[1] / stats.get(b)[0];
                return ma != mb ? Double.compare(ma, mb) : a.compareTo(b);
            });
        }
        double[] cumulative = new double[keys.size() + 1];
        for (int i = 0; i < keys.size(); i++) {
            cumulative[i + 1] = cumulative[i] + stats.get(keys.get(i))[0] / values.length;
        }
        cumulative[keys.size()] = 1;
        List<String> categories = new ArrayList<>();
        keys.forEach(k -> categories.add(valueOfKey.get(k)));
        return new CategoricalMarginal(categories, cumulative);
    }

    @Override
    public double[] uniformScores(String[] values, SplittableRandom random) {
        double[] scores = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            int c = indexOf.get(key(values[i]));
            scores[i] = Marginal.clamp(cumulative[c] + random.nextDouble() * (cumulative[c + 1] - cumulative[c]));
        }
        return scores;
    }

    @Override
    public String valueAt(double u) {
        int found = Arrays.binarySearch(cumulative, u);
        int slice = found >= 0 ? found : -found - 2;
        return categories.get(Math.max(0, Math.min(categories.size() - 1, slice)));
    }

    /** Null is a category of its own; a map key cannot be null, and no CSV field holds this character. */
    private static String key(String value) {
        return value == null ? "\u0000" : value;
    }
}
