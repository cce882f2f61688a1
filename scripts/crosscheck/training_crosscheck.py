#!/usr/bin/env python3
"""What scikit-learn's model selection computes for the bike-sharing ridge model, in numpy alone.

The original pipeline runs, on log1p(cnt) of the daily bike-sharing table:

    X_train, X_test, y_train, y_test = train_test_split(X, np.log1p(cnt), test_size=0.1, shuffle=False)
    search = GridSearchCV(Ridge(), {"alpha": ALPHAS}, cv=3,
                          scoring=make_scorer(rmsle, greater_is_better=False))   # refit=True
    search.fit(X_train, y_train)

This script follows scikit-learn's documented semantics, not any other implementation:
- train_test_split(shuffle=False): the last ceil(test_size * n) rows are the test set, in order;
- cv=3 for a regressor is KFold(n_splits=3) without shuffling: consecutive folds, the first
  n_samples % n_splits folds have n_samples // n_splits + 1 samples, the others n_samples // n_splits;
- make_scorer(score_func, greater_is_better=False) calls score_func(y_true, y_pred) with the fold's targets
  (here log1p(cnt), what the estimator is fitted on) and estimator.predict(X_fold), then negates it;
- GridSearchCV ranks candidates by mean_test_score (the mean of the negated fold scores; NaN ranks last)
  and best_index_ is the first candidate of rank 1; refit=True refits that candidate on all of X_train;
- Ridge(alpha, fit_intercept=True) minimises ||y - Xw - b||^2 + alpha ||w||^2 with b unpenalised: solved
  here as the least-squares problem on centred data augmented with sqrt(alpha) * I.

rmsle is the pipeline's score function: sqrt(mean((log1p(y_true) - log1p(y_pred))^2)). The reported test
metric is RMSLE on the count scale: rmsle(cnt_test, max(0, expm1(search.predict(X_test)))).

Usage: training_crosscheck.py DATA_CSV [OUTPUT_JSON]   (JSON on stdout without OUTPUT_JSON)
"""
import csv
import json
import math
import sys

import numpy as np

FEATURES = ["season", "yr", "mnth", "holiday", "weekday", "workingday", "weathersit",
            "temp", "atemp", "hum", "windspeed"]
ALPHAS = [0.1, 1.0, 2.0, 3.0, 4.0, 10.0, 100.0]
N_SPLITS = 3
TEST_SIZE = 0.1
WINDOWS = {
    "2011-03": ("2011-03-01", "2011-03-31"),
    "2011-02..2011-07": ("2011-02-01", "2011-07-31"),
    "all": ("0000-01-01", "9999-12-31"),
}


def read_window(path, first, last):
    """Rows dated first..last, keeping the first row of a repeated date (pandas drop_duplicates)."""
    seen = set()
    dates, x, cnt = [], [], []
    with open(path, newline="") as f:
        for record in csv.DictReader(f):
            date = record["dteday"]
            if date in seen or not first <= date <= last:
                continue
            seen.add(date)
            dates.append(date)
            x.append([float(record[name]) for name in FEATURES])
            cnt.append(float(record["cnt"]))
    return dates, np.array(x), np.array(cnt)


def rmsle(y_true, y_pred):
    with np.errstate(invalid="ignore"):
        return float(np.sqrt(np.mean((np.log1p(y_true) - np.log1p(y_pred)) ** 2)))


def kfold_test_indices(n_samples, n_splits):
    sizes = np.full(n_splits, n_samples // n_splits)
    sizes[: n_samples % n_splits] += 1
    stop = 0
    for size in sizes:
        start, stop = stop, stop + size
        yield np.arange(start, stop)


class Ridge:
    def __init__(self, alpha):
        self.alpha = alpha

    def fit(self, x, y):
        x_offset = x.mean(axis=0)
        y_offset = y.mean()
        n_features = x.shape[1]
        augmented_x = np.vstack([x - x_offset, math.sqrt(self.alpha) * np.eye(n_features)])
        augmented_y = np.concatenate([y - y_offset, np.zeros(n_features)])
        self.coef_ = np.linalg.lstsq(augmented_x, augmented_y, rcond=None)[0]
        self.intercept_ = float(y_offset - x_offset @ self.coef_)
        return self

    def predict(self, x):
        return x @ self.coef_ + self.intercept_


def grid_search(x_train, y_train):
    results = []
    for alpha in ALPHAS:
        split_scores = []
        for test in kfold_test_indices(len(y_train), N_SPLITS):
            train = np.setdiff1d(np.arange(len(y_train)), test)
            model = Ridge(alpha).fit(x_train[train], y_train[train])
            split_scores.append(-rmsle(y_train[test], model.predict(x_train[test])))
        results.append({"alpha": alpha, "split_test_scores": split_scores,
                        "mean_test_score": float(np.mean(split_scores))})
    means = np.array([r["mean_test_score"] for r in results])
    ranked = np.where(np.isnan(means), -np.inf, means)
    best_index = int(np.flatnonzero(ranked == ranked.max())[0])
    return results, best_index


def evaluate(dates, x, cnt):
    n = len(cnt)
    n_test = math.ceil(TEST_SIZE * n)
    n_train = n - n_test
    y = np.log1p(cnt)
    results, best_index = grid_search(x[:n_train], y[:n_train])
    best = Ridge(ALPHAS[best_index]).fit(x[:n_train], y[:n_train])
    test_predictions = np.maximum(0.0, np.expm1(best.predict(x[n_train:])))
    return {
        "rows": n,
        "trainingRows": n_train,
        "testRows": n_test,
        "firstDate": dates[0],
        "lastDate": dates[-1],
        "cvResults": results,
        "bestAlpha": ALPHAS[best_index],
        "coefficients": best.coef_.tolist(),
        "intercept": best.intercept_,
        "testRmsle": rmsle(cnt[n_train:], test_predictions),
        "testPredictions": test_predictions.tolist(),
    }


def main(argv):
    if len(argv) not in (2, 3):
        sys.exit(__doc__)
    out = {"features": FEATURES,
           "windows": {name: evaluate(*read_window(argv[1], first, last)) for name, (first, last) in WINDOWS.items()}}
    text = json.dumps(out, indent=2) + "\n"
    if len(argv) == 3:
        with open(argv[2], "w") as f:
            f.write(text)
        for name, window in out["windows"].items():
            print(f"{name}: {window['rows']} rows, best alpha {window['bestAlpha']}, "
                  f"test RMSLE {window['testRmsle']:.6f}")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main(sys.argv)
