package io.dagctl.drift.internal;

/** Equal-width histogram bins over two samples, as numpy's {@code histogram_bin_edges(..., bins='sturges')}. */
public final class Binning {
    private Binning() {
    }

    /** Bin edges over both sorted samples together, Sturges' rule for the bin count. */
    public static double[] sturgesEdges(double[] sortedA, double[] sortedB) {
        double first = Math.min(sortedA[0], sortedB[0]);
        double last = Math.max(sortedA[sortedA.length - 1], sortedB[sortedB.length - 1]);
        if (first == last) {
            first -= 0.5;
            last += 0.5;
        }
        int size = sortedA.length + sortedB.length;
        double width = (last - first) / (log2(size) + 1.0);
        int bins = width == 0 ? 1 : (int) Math.ceil((last - first) / width);
        return linspace(first, last, bins + 1);
    }

    /** Equal-width edges computed the way numpy's {@code linspace} does, the last edge exactly {@code stop}. */
    public static double[] linspace(double start, double stop, int count) {
        double[] edges = new double[count];
        double step = (stop - start) / (count - 1);
        for (int k = 0; k < count; k++) {
            edges[k] = k * step + start;
        }
        edges[count - 1] = stop;
        return edges;
    }

    /**
     * Counts of a sorted sample in each bin, numpy's {@code histogram} rule: bins are half-open [e_k, e_k+1) except
     * the last, which is closed; values outside the edges are not counted.
     */
    public static long[] counts(double[] sorted, double[] edges) {
        long[] counts = new long[edges.length - 1];
        long previous = lowerBound(sorted, edges[0]);
        for (int k = 1; k < edges.length; k++) {
            long upTo = k == edges.length - 1 ? upperBound(sorted, edges[k]) : lowerBound(sorted, edges[k]);
            counts[k - 1] = upTo - previous;
            previous = upTo;
        }
        return counts;
    }

    /** Index of the first element ≥ key. */
    private static int lowerBound(double[] sorted, double key) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Index of the first element > key. */
    private static int upperBound(double[] sorted, double key) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** log2 exact for powers of two, so the bin count matches numpy's where ceil is most sensitive. */
    private static double log2(int n) {
        return Integer.bitCount(n) == 1 ? Integer.numberOfTrailingZeros(n) : Math.log(n) / Math.log(2.0);
    }
}
