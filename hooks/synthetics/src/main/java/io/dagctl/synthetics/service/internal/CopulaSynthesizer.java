package io.dagctl.synthetics.service.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.hipparchus.distribution.continuous.NormalDistribution;
import org.hipparchus.exception.MathIllegalArgumentException;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.CholeskyDecomposition;
import org.hipparchus.linear.RealMatrix;

/**
 * A Gaussian copula over per-column marginals. Training maps every column to normal scores through its marginal
 * ({@link NumericMarginal}, {@link CategoricalMarginal}), estimates the correlation matrix of those scores and
 * factors it (Cholesky). Generation draws correlated normal vectors and maps each coordinate back through its
 * marginal. Id columns stay out of the copula and are regenerated; a generated row equal to a training row
 * (ignoring ids), or one that breaks a rule every training row keeps ({@link Constraints}), is discarded and drawn
 * again. The same training data and seeds give the same records: every draw comes from seeded
 * {@link SplittableRandom}s, and nothing depends on hash order.
 */
public final class CopulaSynthesizer {
    private static final NormalDistribution NORMAL = new NormalDistribution(0, 1);
    /** Below this correlation ratio a numeric column says too little about a categorical one to order it by. */
    private static final double MIN_ORDERING_ASSOCIATION = 0.1;
    /** How many draws per requested record before giving up on finding rows unlike the training rows. */
    private static final int MAX_DRAWS_PER_RECORD = 100;

    private final List<ColumnProfile> profiles;
    private final Marginal[] marginals;
    private final int[] modelled;
    private final RealMatrix cholesky;
    private final IdGenerator[] ids;
    private final Set<String> trainingRows;
    private final Constraints constraints;

    private CopulaSynthesizer(List<ColumnProfile> profiles, Marginal[] marginals, int[] modelled, RealMatrix cholesky,
                              IdGenerator[] ids, Set<String> trainingRows, Constraints constraints) {
        this.profiles = profiles;
        this.marginals = marginals;
        this.modelled = modelled;
        this.cholesky = cholesky;
        this.ids = ids;
        this.trainingRows = trainingRows;
        this.constraints = constraints;
    }

    /**
     * Fits the model.
     *
     * @throws IllegalArgumentException when the table has no rows
     */
    public static CopulaSynthesizer train(Table training, long seed) {
        if (training.size() == 0) {
            throw new IllegalArgumentException("training data has a header but no rows");
        }
        SplittableRandom random = new SplittableRandom(seed);
        int width = training.columns().size();
        List<ColumnProfile> profiles = new ArrayList<>();
        String[][] columns = new String[width][];
        for (int c = 0; c < width; c++) {
            columns[c] = training.column(c);
            profiles.add(ColumnProfile.infer(training.columns().get(c), columns[c]));
        }
        Marginal[] marginals = new Marginal[width];
        IdGenerator[] ids = new IdGenerator[width];
        double[][] normalScores = new double[width][];
        for (int c = 0; c < width; c++) {
            ColumnProfile p = profiles.get(c);
            if (p.kind() == ColumnKind.ID) {
                ids[c] = new IdGenerator(Arrays.stream(columns[c]).filter(v -> v != null).toList());
            } else if (p.kind().isNumeric()) {
                marginals[c] = new NumericMarginal(p, columns[c]);
                normalScores[c] = toNormal(marginals[c].uniformScores(columns[c], random));
            }
        }
        for (int c = 0; c < width; c++) {
            if (profiles.get(c).kind() == ColumnKind.CATEGORICAL) {
                marginals[c] = CategoricalMarginal.fit(columns[c], strongestNumericNeighbour(columns[c], normalScores));
                normalScores[c] = toNormal(marginals[c].uniformScores(columns[c], random));
            }
        }
        int[] modelled = IntStream.range(0, width).filter(c -> marginals[c] != null).toArray();
        RealMatrix correlation = correlation(modelled, normalScores);
        Set<String> trainingRows = new HashSet<>();
        for (String[] row : training.rows()) {
            trainingRows.add(rowKey(row, profiles));
        }
        return new CopulaSynthesizer(List.copyOf(profiles), marginals, modelled, factor(correlation), ids,
                trainingRows, Constraints.detect(training, profiles));
    }

    public List<ColumnProfile> profiles() {
        return profiles;
    }

    /** The rules every training row keeps, and so every generated row keeps. */
    public Constraints constraints() {
        return constraints;
    }

    /**
     * Generates records.
     *
     * @throws IllegalStateException when nearly every draw copies a training row or breaks a rule
     */
    public Table generate(int records, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int width = profiles.size();
        int d = modelled.length;
        double[] normal = new double[d];
        List<String[]> rows = new ArrayList<>(records);
        long draws = 0;
        long copies = 0;
        long breaches = 0;
        long maxDraws = (long) MAX_DRAWS_PER_RECORD * Math.max(records, 1);
        while (rows.size() < records) {
            if (++draws > maxDraws) {
                throw new IllegalStateException("generated " + rows.size() + " of " + records + " records in "
                        + maxDraws + " draws: " + (copies >= breaches
                        ? copies + " repeated a training row, the training data has too few distinct rows to"
                                + " synthesize from"
                        : breaches + " broke a rule every training row keeps " + constraints.descriptions()));
            }
            for (int k = 0; k < d; k++) {
                normal[k] = gaussian(random);
            }
            String[] row = new String[width];
            for (int k = 0; k < d; k++) {
                double z = 0;
                for (int j = 0; j <= k; j++) {
                    z += cholesky.getEntry(k, j) * normal[j];
                }
                row[modelled[k]] = marginals[modelled[k]].valueAt(NORMAL.cumulativeProbability(z));
            }
            if (!constraints.keptBy(row)) {
                breaches++;
                continue;
            }
            if (trainingRows.contains(rowKey(row, profiles))) {
                copies++;
                continue;
            }
            for (int c = 0; c < width; c++) {
                if (ids[c] != null && random.nextDouble() >= profiles.get(c).nullRate()) {
                    row[c] = ids[c].next(random);
                }
            }
            rows.add(row);
        }
        return new Table(profiles.stream().map(ColumnProfile::name).toList(), rows);
    }

    /** The row's fields other than ids, joined: two rows with equal keys are copies of each other. */
    static String rowKey(String[] row, List<ColumnProfile> profiles) {
        StringBuilder key = new StringBuilder();
        for (int c = 0; c < row.length; c++) {
            if (profiles.get(c).kind() != ColumnKind.ID) {
                key.append(row[c] == null ? "\u0000" : row[c]).append('\u0001');
            }
        }
        return key.toString();
    }

    private static double[] toNormal(double[] uniform) {
        double[] z = new double[uniform.length];
        for (int i = 0; i < z.length; i++) {
            z[i] = NORMAL.inverseCumulativeProbability(uniform[i]);
        }
        return z;
    }

    /** Box–Muller through SplittableRandom, which (unlike java.util.Random) has no nextGaussian on Java 17. */
    private static double gaussian(SplittableRandom random) {
        double u1 = 1 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** The normal scores of the numeric column that the categorical column explains best, if any explains enough. */
    private static double[] strongestNumericNeighbour(String[] categorical, double[][] normalScores) {
        double best = MIN_ORDERING_ASSOCIATION;
        double[] chosen = null;
        for (double[] z : normalScores) {
            if (z == null) {
                continue;
            }
            double eta = Associations.correlationRatio(categorical, z);
            if (eta > best) {
                best = eta;
                chosen = z;
            }
        }
        return chosen;
    }

    private static RealMatrix correlation(int[] modelled, double[][] normalScores) {
        int d = modelled.length;
        RealMatrix r = new Array2DRowRealMatrix(d, d);
        for (int a = 0; a < d; a++) {
            r.setEntry(a, a, 1);
            for (int b = a + 1; b < d; b++) {
                double rho = Associations.pearson(normalScores[modelled[a]], normalScores[modelled[b]]);
                r.setEntry(a, b, rho);
                r.setEntry(b, a, rho);
            }
        }
        return r;
    }

    /** Cholesky factor; a nearly singular matrix (duplicated columns) is nudged towards the identity until it factors. */
    private static RealMatrix factor(RealMatrix correlation) {
        int d = correlation.getRowDimension();
        if (d == 0) {
            return new Array2DRowRealMatrix(0, 0);
        }
        for (double shrink = 0; ; shrink = shrink == 0 ? 1e-6 : shrink * 10) {
            RealMatrix m = correlation.scalarMultiply(1 - shrink);
            for (int i = 0; i < d; i++) {
                m.setEntry(i, i, 1);
            }
            try {
                return new CholeskyDecomposition(m, 1e-9, 1e-12).getL();
            } catch (MathIllegalArgumentException e) {
                if (shrink >= 0.5) {
                    throw new IllegalStateException("correlation matrix of the normal scores cannot be factored", e);
                }
            }
        }
    }
}
