package io.dagctl.synthetics.service.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Inequalities between numeric columns that every training row keeps, such as {@code number_of_unique_actions ≤
 * number_of_actions_taken} or {@code min ≤ avg ≤ max}. A row with a missing value keeps a rule on it, as SQL's
 * {@code CHECK} does. Only columns of the same unit are compared (dates with dates, numbers with numbers). An
 * inequality is a rule only when it says something about the rows, tested as a statistician would: were the two
 * columns independent, with p the share of pairs of their values that break it, all n rows holding both would keep
 * it with probability (1 − p)^n; the inequality is a rule when that is below 1%. Counts of actions stay below
 * session times in seconds by their scales alone, not by any link between them, and make no rule; neither does a
 * range that already implies the inequality ({@code max(a) ≤ min(b)}, p = 0), nor two columns equal in every row.
 */
public final class Constraints {
    /** How unlikely an inequality holding in every row must be were its columns independent. */
    private static final double SIGNIFICANCE = 0.01;

    private final List<ColumnProfile> profiles;
    /** Every inequality found, {lower, upper}: transitive ones too, since a missing middle value breaks a chain. */
    private final List<int[]> inequalities;
    /** What the report lists: chains of two or three columns, the transitive inequalities folded into them. */
    private final List<int[]> rules;

    private Constraints(List<ColumnProfile> profiles, List<int[]> inequalities, List<int[]> rules) {
        this.profiles = profiles;
        this.inequalities = inequalities;
        this.rules = rules;
    }

    public static Constraints detect(Table training, List<ColumnProfile> profiles) {
        int width = profiles.size();
        double[][] numbers = new double[width][];
        double[][] sorted = new double[width][];
        for (int c = 0; c < width; c++) {
            if (profiles.get(c).kind().isNumeric()) {
                numbers[c] = profiles.get(c).toNumbers(training.column(c));
                sorted[c] = Arrays.stream(numbers[c]).filter(v -> !Double.isNaN(v)).sorted().toArray();
            }
        }
        List<int[]> inequalities = new ArrayList<>();
        for (int a = 0; a < width; a++) {
            for (int b = 0; b < width; b++) {
                if (a != b && numbers[a] != null && numbers[b] != null && sameUnit(profiles.get(a), profiles.get(b))
                        && holdsStrictlySomewhere(numbers[a], numbers[b])
                        && bothPresent(numbers[a], numbers[b]) * Math.log1p(-independentBreaks(sorted[a], sorted[b]))
                        < Math.log(SIGNIFICANCE)) {
                    inequalities.add(new int[] {a, b});
                }
            }
        }
        return new Constraints(List.copyOf(profiles), inequalities, rules(inequalities));
    }

    /** Whether the row (fields as written in the CSV) keeps every rule. */
    public boolean keptBy(String[] row) {
        for (int[] pair : inequalities) {
            if (!keeps(row, pair[0], pair[1])) {
                return false;
            }
        }
        return true;
    }

    /** The rules as a reader writes them, e.g. {@code min_session ≤ avg_session ≤ max_session}. */
    public List<String> descriptions() {
        return rules.stream().map(rule -> Arrays.stream(rule).mapToObj(c -> profiles.get(c).name())
                .collect(Collectors.joining(" ≤ "))).toList();
    }

    /** For each rule of {@link #descriptions()}, how many of the table's rows keep it. */
    public long[] rowsKeeping(Table table) {
        long[] kept = new long[rules.size()];
        for (String[] row : table.rows()) {
            for (int r = 0; r < rules.size(); r++) {
                int[] chain = rules.get(r);
                boolean keeps = true;
                for (int i = 0; i < chain.length && keeps; i++) {
                    for (int j = i + 1; j < chain.length && keeps; j++) {
                        keeps = keeps(row, chain[i], chain[j]);
                    }
                }
                kept[r] += keeps ? 1 : 0;
            }
        }
        return kept;
    }

    private boolean keeps(String[] row, int lower, int upper) {
        return row[lower] == null || row[upper] == null
                || profiles.get(lower).toNumber(row[lower]) <= profiles.get(upper).toNumber(row[upper]);
    }

    /** a ≤ b in every row where both are present, and a < b in at least one (else the columns are equal). */
    private static boolean holdsStrictlySomewhere(double[] a, double[] b) {
        boolean strict = false;
        for (int r = 0; r < a.length; r++) {
            if (a[r] > b[r]) {
                return false;
            }
            strict |= a[r] < b[r];
        }
        return strict;
    }

    private static int bothPresent(double[] a, double[] b) {
        int n = 0;
        for (int r = 0; r < a.length; r++) {
            n += Double.isNaN(a[r]) || Double.isNaN(b[r]) ? 0 : 1;
        }
        return n;
    }

    /** The share of pairs (x from a, y from b) with x > y, both sorted: what a ≤ b would break by chance. */
    private static double independentBreaks(double[] a, double[] b) {
        if (a.length == 0 || b.length == 0) {
            return 0;
        }
        double breaks = 0;
        int below = 0;
        for (double x : a) {
            while (below < b.length && b[below] < x) {
                below++;
            }
            breaks += below;
        }
        return breaks / ((double) a.length * b.length);
    }

    private static boolean sameUnit(ColumnProfile a, ColumnProfile b) {
        return (a.kind() == ColumnKind.DATE) == (b.kind() == ColumnKind.DATE);
    }

    /**
     * Drops the inequalities that follow from two others, then joins {@code a ≤ b} and {@code b ≤ c} into the
     * triple {@code a ≤ b ≤ c}; what joins nothing stays a pair.
     */
    private static List<int[]> rules(List<int[]> inequalities) {
        Set<Long> all = new HashSet<>();
        inequalities.forEach(p -> all.add(key(p[0], p[1])));
        List<int[]> direct = inequalities.stream().filter(p -> inequalities.stream()
                .noneMatch(q -> q[0] == p[0] && q[1] != p[1] && all.contains(key(q[1], p[1])))).toList();
        List<int[]> rules = new ArrayList<>();
        Set<Long> covered = new HashSet<>();
        for (int[] first : direct) {
            for (int[] second : direct) {
                if (first[1] == second[0]) {
                    rules.add(new int[] {first[0], first[1], second[1]});
                    covered.add(key(first[0], first[1]));
                    covered.add(key(second[0], second[1]));
                }
            }
        }
        direct.stream().filter(p -> !covered.contains(key(p[0], p[1]))).forEach(rules::add);
        return List.copyOf(rules);
    }

    private static long key(int lower, int upper) {
        return ((long) lower << 32) | upper;
    }
}
