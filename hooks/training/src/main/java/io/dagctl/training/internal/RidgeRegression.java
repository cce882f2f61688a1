package io.dagctl.training.internal;

import org.hipparchus.exception.MathIllegalArgumentException;
import org.hipparchus.linear.CholeskyDecomposition;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.linear.RealVector;

/**
 * Ridge regression with an unpenalised intercept: the closed form scikit-learn's
 * {@code Ridge(fit_intercept=True)} solves for dense input. X and y are centred, then
 * (XcᵀXc + αI)β = Xcᵀyc is solved by Cholesky and the intercept is ȳ − x̄ᵀβ.
 * Features are not scaled, as in scikit-learn.
 */
public final class RidgeRegression {
    private RidgeRegression() {
    }

    /**
     * @param x     rows × features, at least one row
     * @param y     one target per row
     * @param alpha penalty, positive so that the system is positive definite
     */
    public static LinearFit fit(double[][] x, double[] y, double alpha) {
        if (x.length == 0 || x.length != y.length) {
            throw new IllegalArgumentException("RidgeRegression.fit: need as many targets as rows and at least one row, got "
                    + x.length + " rows and " + y.length + " targets");
        }
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("RidgeRegression.fit: alpha must be positive and finite, got " + alpha);
        }
        int rows = x.length;
        int features = x[0].length;
        double[] featureMeans = new double[features];
        for (double[] row : x) {
            for (int j = 0; j < features; j++) {
                featureMeans[j] += row[j];
            }
        }
        for (int j = 0; j < features; j++) {
            featureMeans[j] /= rows;
        }
        double targetMean = 0;
        for (double target : y) {
            targetMean += target;
        }
        targetMean /= rows;

        RealMatrix centred = MatrixUtils.createRealMatrix(rows, features);
        RealVector centredTarget = MatrixUtils.createRealVector(rows);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < features; j++) {
                centred.setEntry(i, j, x[i][j] - featureMeans[j]);
            }
            centredTarget.setEntry(i, y[i] - targetMean);
        }
        RealMatrix system = centred.transposeMultiply(centred);
        for (int j = 0; j < features; j++) {
            system.addToEntry(j, j, alpha);
        }
        RealVector rightHandSide = centred.preMultiply(centredTarget);
        RealVector coefficients;
        try {
            coefficients = new CholeskyDecomposition(system).getSolver().solve(rightHandSide);
        } catch (MathIllegalArgumentException e) {
            throw new IllegalArgumentException("RidgeRegression.fit: the system for alpha=" + alpha
                    + " is not numerically positive definite (" + e.getMessage() + "); use a larger alpha", e);
        }
        double intercept = targetMean - coefficients.dotProduct(MatrixUtils.createRealVector(featureMeans));
        return new LinearFit(coefficients.toArray(), intercept);
    }
}
