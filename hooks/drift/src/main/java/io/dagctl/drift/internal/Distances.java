package io.dagctl.drift.internal;

/** Distances between two samples, computed as scipy computes them. */
public final class Distances {
    private Distances() {
    }

    /**
     * First Wasserstein distance between two samples, both sorted ascending (scipy's {@code wasserstein_distance}):
     * the area between their empirical distribution functions, walked in one merge of the sorted samples.
     */
    public static double wasserstein(double[] sortedU, double[] sortedV) {
        double n = sortedU.length;
        double m = sortedV.length;
        int i = 0;
        int j = 0;
        double x = Math.min(sortedU[0], sortedV[0]);
        double area = 0.0;
        while (true) {
            while (i < sortedU.length && sortedU[i] <= x) {
                i++;
            }
            while (j < sortedV.length && sortedV[j] <= x) {
                j++;
            }
            if (i == sortedU.length && j == sortedV.length) {
                return area;
            }
            double next = j == sortedV.length || (i < sortedU.length && sortedU[i] < sortedV[j]) ? sortedU[i] : sortedV[j];
            area += Math.abs(i / n - j / m) * (next - x);
            x = next;
        }
    }

    /** Population standard deviation (numpy's {@code np.std} with ddof 0), two passes for accuracy. */
    public static double populationStd(double[] values) {
        double sum = 0.0;
        for (double v : values) {
            sum += v;
        }
        double mean = sum / values.length;
        double squares = 0.0;
        for (double v : values) {
            double d = v - mean;
            squares += d * d;
        }
        return Math.sqrt(squares / values.length);
    }

    /**
     * Jensen–Shannon distance with the natural logarithm (scipy's {@code spatial.distance.jensenshannon}): both
     * vectors are normalised to sum 1; zero entries contribute nothing.
     */
    public static double jensenShannon(double[] p, double[] q) {
        double sumP = sum(p);
        double sumQ = sum(q);
        double left = 0.0;
        double right = 0.0;
        for (int k = 0; k < p.length; k++) {
            double pk = p[k] / sumP;
            double qk = q[k] / sumQ;
            double mk = (pk + qk) / 2.0;
            left += relativeEntropy(pk, mk);
            right += relativeEntropy(qk, mk);
        }
        return Math.sqrt((left + right) / 2.0);
    }

    private static double relativeEntropy(double x, double y) {
        return x > 0 ? x * Math.log(x / y) : 0.0;
    }

    private static double sum(double[] values) {
        double total = 0.0;
        for (double v : values) {
            total += v;
        }
        return total;
    }
}
