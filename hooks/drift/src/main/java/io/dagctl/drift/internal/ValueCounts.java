package io.dagctl.drift.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** How often each distinct value occurs in the reference and in the current sample, values in ascending order. */
public record ValueCounts(List<String> labels, long[] reference, long[] current) {

    /** Counts of two sorted numeric samples, found in one merge. */
    public static ValueCounts ofSorted(double[] sortedReference, double[] sortedCurrent) {
        List<String> labels = new ArrayList<>();
        List<long[]> counts = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < sortedReference.length || j < sortedCurrent.length) {
            double x = j == sortedCurrent.length || (i < sortedReference.length && sortedReference[i] <= sortedCurrent[j])
                    ? sortedReference[i] : sortedCurrent[j];
            long inReference = 0;
            long inCurrent = 0;
            while (i < sortedReference.length && sortedReference[i] == x) {
                i++;
                inReference++;
            }
            while (j < sortedCurrent.length && sortedCurrent[j] == x) {
                j++;
                inCurrent++;
            }
            labels.add(formatNumber(x));
            counts.add(new long[] {inReference, inCurrent});
        }
        return of(labels, counts);
    }

    /**
     * Counts of two samples of categories. Categories are ordered numerically when every one of them reads as a
     * number (as pandas would have parsed such a column), otherwise by their text.
     */
    public static ValueCounts ofCategories(String[] reference, String[] current) {
        Map<String, long[]> counts = new HashMap<>();
        for (String value : reference) {
            counts.computeIfAbsent(value, v -> new long[2])[0]++;
        }
        for (String value : current) {
            counts.computeIfAbsent(value, v -> new long[2])[1]++;
        }
        List<String> labels = new ArrayList<>(counts.keySet());
        boolean allNumbers = labels.stream().allMatch(ValueCounts::isNumber);
        labels.sort(allNumbers ? Comparator.comparingDouble(Double::parseDouble) : Comparator.naturalOrder());
        return of(labels, labels.stream().map(counts::get).toList());
    }

    public int size() {
        return labels.size();
    }

    /** Shares of the reference total and of the current total, as Evidently's {@code get_binned_data} for values. */
    public double[] referenceShares() {
        return shares(reference);
    }

    public double[] currentShares() {
        return shares(current);
    }

    static double[] shares(long[] counts) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        double[] shares = new double[counts.length];
        for (int k = 0; k < counts.length; k++) {
            shares[k] = counts[k] / (double) total;
        }
        return shares;
    }

    private static ValueCounts of(List<String> labels, List<long[]> counts) {
        long[] reference = new long[counts.size()];
        long[] current = new long[counts.size()];
        for (int k = 0; k < counts.size(); k++) {
            reference[k] = counts.get(k)[0];
            current[k] = counts.get(k)[1];
        }
        return new ValueCounts(List.copyOf(labels), reference, current);
    }

    private static boolean isNumber(String text) {
        try {
            double value = Double.parseDouble(text);
            return !Double.isNaN(value);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** A number as a short label: integers without a fraction, others with up to six significant digits. */
    public static String formatNumber(double x) {
        if (x == Math.rint(x) && Math.abs(x) < 1e15) {
            return Long.toString((long) x);
        }
        String text = String.format(java.util.Locale.ROOT, "%.6g", x);
        if (text.contains("e")) {
            return text;
        }
        return text.contains(".") ? text.replaceAll("0+$", "").replaceAll("\\.$", "") : text;
    }
}
