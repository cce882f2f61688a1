package io.dagctl.training;

import io.dagctl.training.internal.KFold;
import io.dagctl.training.internal.LinearFit;
import io.dagctl.training.internal.RidgeRegression;
import io.dagctl.training.internal.Rmsle;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Trains ridge regression on {@code log1p(target)} with the penalty chosen as scikit-learn's
 * {@code GridSearchCV(Ridge(), {"alpha": …}, cv=KFold(k), scoring=make_scorer(rmsle, greater_is_better=False))}
 * chooses it on {@code log1p(target)}: the scorer receives the fold's targets and predictions as the estimator
 * sees them, both on the log1p scale, so each fold scores {@code rmsle(log1p(y), p)}; the alpha of lowest mean
 * fold score wins (the first of equal ones). The reported test metric is RMSLE on the count scale instead:
 * {@code rmsle(y, max(0, expm1(p)))} on the held-out rows.
 */
public final class TrainingHook {
    private final Clock clock;

    public TrainingHook() {
        this(Clock.systemUTC());
    }

    /** @param clock stamps {@link RidgeModel#trainedAt()} */
    public TrainingHook(Clock clock) {
        this.clock = clock;
    }

    /**
     * Drops rows whose date repeats an earlier row's, splits the rest in row order into a training part
     * and a test part ({@link RidgeGridSearch#testFraction()} of the rows, rounded up, from the end),
     * cross-validates every alpha on the training part (fold scores on the log1p scale), refits on the whole
     * training part with the alpha of lowest mean score and scores it on the test part (on the count scale).
     */
    public RidgeModel trainRidge(TrainingData data, RidgeGridSearch search) {
        TrainingData distinct = data.withoutDuplicateDates();
        int rows = distinct.size();
        int testRows = (int) Math.ceil(search.testFraction() * rows);
        int trainingRows = rows - testRows;
        if (testRows < 1 || trainingRows < search.folds()) {
            throw new IllegalArgumentException("TrainingHook.trainRidge: too few rows for " + search.folds()
                    + "-fold cross-validation: " + rows + " rows with distinct dates leave " + Math.max(trainingRows, 0)
                    + " for training, need at least " + search.folds());
        }
        double[][] features = new double[rows][];
        double[] counts = new double[rows];
        double[] log1pCounts = new double[rows];
        for (int i = 0; i < rows; i++) {
            TrainingData.Row row = distinct.rows().get(i);
            if (row.target() < 0) {
                throw new IllegalArgumentException("TrainingHook.trainRidge: row dated " + row.date() + " has target "
                        + row.target() + "; RMSLE on log1p needs counts of at least 0");
            }
            features[i] = row.features().stream().mapToDouble(Double::doubleValue).toArray();
            counts[i] = row.target();
            log1pCounts[i] = Math.log1p(row.target());
        }

        List<KFold.Fold> folds = KFold.split(trainingRows, search.folds());
        List<RidgeModel.CvScore> cvScores = new ArrayList<>();
        for (double alpha : search.alphas()) {
            List<Double> foldRmsle = new ArrayList<>();
            for (KFold.Fold fold : folds) {
                foldRmsle.add(foldScore(features, log1pCounts, trainingRows, fold, alpha));
            }
            double mean = foldRmsle.stream().mapToDouble(Double::doubleValue).sum() / foldRmsle.size();
            cvScores.add(new RidgeModel.CvScore(alpha, foldRmsle, mean));
        }
        // min keeps the first of equal scores and ranks NaN last, as GridSearchCV's rank does
        RidgeModel.CvScore best = cvScores.stream().min(Comparator.comparingDouble(RidgeModel.CvScore::meanRmsle))
                .orElseThrow();

        LinearFit fit = RidgeRegression.fit(slice(features, 0, trainingRows), slice(log1pCounts, 0, trainingRows),
                best.alpha());
        double[] testPredictions = new double[testRows];
        for (int i = 0; i < testRows; i++) {
            testPredictions[i] = fit.predict(features[trainingRows + i]);
        }
        double testRmsle = Rmsle.ofCounts(slice(counts, trainingRows, rows), testPredictions);

        List<LocalDate> dates = distinct.rows().stream().map(TrainingData.Row::date).sorted().toList();
        return new RidgeModel(
                distinct.featureNames(),
                Arrays.stream(fit.coefficients()).boxed().toList(),
                fit.intercept(),
                best.alpha(),
                RidgeModel.LOG1P,
                cvScores,
                testRmsle,
                trainingRows,
                testRows,
                data.size() - rows,
                new RidgeModel.DataWindow(dates.get(0), dates.get(rows - 1)),
                clock.instant());
    }

    private static double foldScore(double[][] features, double[] log1pCounts, int trainingRows, KFold.Fold fold,
                                    double alpha) {
        List<double[]> fitFeatures = new ArrayList<>();
        List<Double> fitTargets = new ArrayList<>();
        for (int i = 0; i < trainingRows; i++) {
            if (!fold.isTestRow(i)) {
                fitFeatures.add(features[i]);
                fitTargets.add(log1pCounts[i]);
            }
        }
        LinearFit fit = RidgeRegression.fit(fitFeatures.toArray(double[][]::new),
                fitTargets.stream().mapToDouble(Double::doubleValue).toArray(), alpha);
        double[] predictions = new double[fold.testRows()];
        for (int i = 0; i < predictions.length; i++) {
            predictions[i] = fit.predict(features[fold.testStart() + i]);
        }
        return Rmsle.of(slice(log1pCounts, fold.testStart(), fold.testEnd()), predictions);
    }

    private static double[][] slice(double[][] values, int from, int to) {
        return Arrays.copyOfRange(values, from, to);
    }

    private static double[] slice(double[] values, int from, int to) {
        return Arrays.copyOfRange(values, from, to);
    }
}
