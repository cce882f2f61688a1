#!/usr/bin/env python3
"""Independent numpy reference for the training hook's ridge grid search.

Reproduces, without scikit-learn, what Ridge(fit_intercept=True) + GridSearchCV(cv=KFold(3)) computes
on log1p(cnt) of the bike-sharing table, scored by RMSLE (lower is better), and writes the results as
the JSON fixture that RidgeCrosscheckTest compares the Java implementation to.

Usage (from the repository root):
    python3 scripts/crosscheck/training_crosscheck.py
"""
import csv
import json
import math
import pathlib

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[2]
RESOURCES = ROOT / "hooks" / "training" / "src" / "test" / "resources"
DATA = RESOURCES / "data" / "bikeride.csv"
FIXTURE = RESOURCES / "crosscheck" / "training_crosscheck.json"

FEATURES = ["season", "yr", "mnth", "holiday", "weekday", "workingday", "weathersit",
            "temp", "atemp", "hum", "windspeed"]
ALPHAS = [0.1, 1.0, 2.0, 3.0, 4.0, 10.0, 100.0]
FOLDS = 3
TEST_FRACTION = 0.1
WINDOWS = {"full": (None, None), "2011-03": ("2011-03-01", "2011-03-31")}


def read_rows(first, last):
    seen = set()
    rows = []
    with open(DATA, newline="") as f:
        for record in csv.DictReader(f):
            date = record["dteday"]
            if date in seen:  # keep the first row of each date, as pandas drop_duplicates does
                continue
            seen.add(date)
            if first is not None and not (first <= date <= last):
                continue
            rows.append((date, [float(record[name]) for name in FEATURES], float(record["cnt"])))
    return rows


def ridge(x, y, alpha):
    """Closed form with an unpenalised intercept: centre, solve (XcᵀXc + αI)β = Xcᵀyc by LU."""
    x_mean = x.mean(axis=0)
    y_mean = y.mean()
    xc = x - x_mean
    yc = y - y_mean
    beta = np.linalg.solve(xc.T @ xc + alpha * np.eye(x.shape[1]), xc.T @ yc)
    return beta, y_mean - x_mean @ beta


def rmsle(counts, log1p_predictions):
    """log1p(cnt) against log1p(max(0, expm1(prediction)))."""
    predicted_counts = np.maximum(0.0, np.expm1(log1p_predictions))
    return float(np.sqrt(np.mean((np.log1p(counts) - np.log1p(predicted_counts)) ** 2)))


def kfold(n, k):
    start = 0
    for fold in range(k):
        size = n // k + (1 if fold < n % k else 0)
        yield start, start + size
        start += size


def evaluate(rows):
    x = np.array([features for _, features, _ in rows])
    counts = np.array([count for _, _, count in rows])
    y = np.log1p(counts)
    n = len(rows)
    test_rows = math.ceil(TEST_FRACTION * n)
    train_rows = n - test_rows
    x_train, y_train, counts_train = x[:train_rows], y[:train_rows], counts[:train_rows]

    per_alpha = []
    for alpha in ALPHAS:
        fold_scores = []
        for start, end in kfold(train_rows, FOLDS):
            keep = np.r_[0:start, end:train_rows]
            beta, intercept = ridge(x_train[keep], y_train[keep], alpha)
            fold_scores.append(rmsle(counts_train[start:end], x_train[start:end] @ beta + intercept))
        beta, intercept = ridge(x_train, y_train, alpha)
        per_alpha.append({
            "alpha": alpha,
            "coefficients": beta.tolist(),
            "intercept": float(intercept),
            "foldRmsle": fold_scores,
            "meanRmsle": float(np.mean(fold_scores)),
        })

    best = min(per_alpha, key=lambda entry: entry["meanRmsle"])
    beta, intercept = np.array(best["coefficients"]), best["intercept"]
    test_log1p = x[train_rows:] @ beta + intercept
    return {
        "rows": n,
        "trainingRows": train_rows,
        "testRows": test_rows,
        "firstDate": rows[0][0],
        "lastDate": rows[-1][0],
        "alphas": per_alpha,
        "bestAlpha": best["alpha"],
        "testRmsle": rmsle(counts[train_rows:], test_log1p),
        "testPredictions": np.maximum(0.0, np.expm1(test_log1p)).tolist(),
    }


def main():
    fixture = {
        "features": FEATURES,
        "windows": {name: evaluate(read_rows(first, last)) for name, (first, last) in WINDOWS.items()},
    }
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    FIXTURE.write_text(json.dumps(fixture, indent=2) + "\n")
    for name, result in fixture["windows"].items():
        print(f"{name}: {result['rows']} rows, best alpha {result['bestAlpha']}, test RMSLE {result['testRmsle']:.6f}")


if __name__ == "__main__":
    main()
