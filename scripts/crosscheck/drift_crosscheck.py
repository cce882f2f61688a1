#!/usr/bin/env python3
"""Expected drift figures for dagctl-drift, computed with numpy/scipy the way Evidently 0.4's DataDriftPreset does.

Writes hooks/drift/src/test/resources/drift_crosscheck.json (or the file given as the one argument), which
DriftCrosscheckTest compares against, so `mvn verify` checks the Java implementation without Python; where python3
with numpy and scipy is installed, the test also re-runs this script and checks the committed file still matches.
Re-run after changing the cases:

    python3 scripts/crosscheck/drift_crosscheck.py

Each function mirrors Evidently's source (evidently/calculations/stattests/): default test selection
(registry._get_default_stattest), ks_stat_test, chi_stat_test, z_stat_test, wasserstein_distance_norm,
jensenshannon (utils.get_binned_data without zero filling, natural logarithm). pandas is not needed: value
counts and nunique are computed with numpy on the same cleaned values.
"""
import csv
import json
import math
import sys
from pathlib import Path

import numpy as np
from scipy import stats
from scipy.spatial import distance

ROOT = Path(__file__).resolve().parents[2]
RESOURCES = ROOT / "hooks" / "drift" / "src" / "test" / "resources"

DISPLAY = {
    "ks": "K-S p_value",
    "chisquare": "chi-square p_value",
    "z": "Z-test p_value",
    "wasserstein": "Wasserstein distance (normed)",
    "jensenshannon": "Jensen-Shannon distance",
}
THRESHOLD = {"ks": 0.05, "chisquare": 0.05, "z": 0.05, "wasserstein": 0.1, "jensenshannon": 0.1}


def clean(values, column_type):
    """Drop missing values and infinities, as Evidently's get_one_column_drift does before testing."""
    if column_type == "num":
        array = np.array([np.nan if v is None else v for v in values], dtype=float)
        return array[np.isfinite(array)]
    return np.array([v for v in values if v is not None], dtype=object)


def nunique(*arrays):
    return len(set(np.concatenate(arrays).tolist()))


def default_stattest(reference, current, column_type):
    n_values = nunique(reference, current)
    if len(reference) <= 1000:
        if column_type == "num" and n_values > 5:
            return "ks"
        return "chisquare" if n_values > 2 else "z"
    if column_type == "num" and n_values > 5:
        return "wasserstein"
    return "jensenshannon"


def value_counts(reference, current):
    keys = sorted(set(reference.tolist()) | set(current.tolist()))
    ref = [int(np.sum(reference == k)) for k in keys]
    cur = [int(np.sum(current == k)) for k in keys]
    return keys, np.array(ref, dtype=float), np.array(cur, dtype=float)


def ks_test(reference, current):
    return stats.ks_2samp(reference, current)[1]


def chi_test(reference, current):
    _, ref, cur = value_counts(reference, current)
    k_norm = len(current) / len(reference)
    return stats.chisquare(cur, ref * k_norm)[1]


def z_test(reference, current):
    if len(set(reference.tolist())) == 1 and len(set(current.tolist())) == 1 and reference[0] == current[0]:
        return 1.0
    first = sorted(set(reference.tolist()) | set(current.tolist()))[0]
    ref = np.array([0 if x == first else 1 for x in reference])
    cur = np.array([0 if x == first else 1 for x in current])
    n1, n2 = len(ref), len(cur)
    p1, p2 = float(sum(ref)) / n1, float(sum(cur)) / n2
    pooled = float(p1 * n1 + p2 * n2) / (n1 + n2)
    z = (p1 - p2) / np.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2))
    return 2 * (1 - stats.norm.cdf(np.abs(z)))


def wasserstein_norm(reference, current):
    norm = max(np.std(reference), 0.001)
    return stats.wasserstein_distance(reference, current) / norm


def jensenshannon(reference, current, column_type):
    if column_type == "num" and len(set(reference.tolist())) > 20:
        bins = np.histogram_bin_edges(np.concatenate([reference, current]), bins="sturges")
        ref = np.histogram(reference, bins)[0] / len(reference)
        cur = np.histogram(current, bins)[0] / len(current)
    else:
        _, ref, cur = value_counts(reference, current)
        ref, cur = ref / len(reference), cur / len(current)
    return distance.jensenshannon(ref, cur)


def column_drift(name, column_type, reference_values, current_values, stattest=None, threshold=None):
    reference = clean(reference_values, column_type)
    current = clean(current_values, column_type)
    test = stattest or default_stattest(reference, current, column_type)
    score = {
        "ks": lambda: ks_test(reference, current),
        "chisquare": lambda: chi_test(reference, current),
        "z": lambda: z_test(reference, current),
        "wasserstein": lambda: wasserstein_norm(reference, current),
        "jensenshannon": lambda: jensenshannon(reference, current, column_type),
    }[test]()
    threshold = THRESHOLD[test] if threshold is None else threshold
    drifted = {
        "ks": score <= threshold,
        "chisquare": score < threshold,
        "z": score < threshold,
        "wasserstein": score >= threshold,
        "jensenshannon": score >= threshold,
    }[test]
    return {
        "column_name": name,
        "column_type": column_type,
        "stattest_name": DISPLAY[test],
        "stattest_threshold": threshold,
        "drift_score": float(score),
        "drift_detected": bool(drifted),
    }


def listed(array, missing=()):
    """Values for the fixture, with some positions replaced by a missing value or infinity."""
    values = [float(v) if isinstance(v, (float, np.floating, int, np.integer)) else v for v in array]
    for position, value in missing:
        values[position] = value
    return values


def column_cases():
    rng = np.random.default_rng(20110101)
    cases = []

    def add(name, column_type, reference, current, stattest=None, threshold=None):
        cases.append({
            "name": name,
            "column_type": column_type,
            "stattest": stattest,
            "threshold": threshold,
            "reference": reference,
            "current": current,
            "expected": column_drift(name, column_type, reference, current, stattest, threshold),
        })

    add("ks_unequal_sizes", "num", listed(rng.normal(0, 1, 200)), listed(rng.normal(0.3, 1, 300)))
    add("ks_equal_sizes_with_ties", "num", listed(np.round(rng.normal(0, 1, 500), 1)),
        listed(np.round(rng.normal(0.1, 1, 500), 1)))
    add("ks_small_p_value", "num", listed(rng.normal(0, 1, 1000)), listed(rng.normal(0.5, 1.2, 900)))
    add("ks_no_drift", "num", listed(rng.uniform(0, 1, 731)), listed(rng.uniform(0, 1, 365)))
    add("ks_asymptotic_current_over_10000", "num", listed(rng.normal(0, 1, 800)), listed(rng.normal(0.02, 1, 12000)))
    add("ks_with_missing_and_infinite_values", "num",
        listed(rng.exponential(1, 300), [(3, None), (10, math.inf), (20, -math.inf), (30, math.nan)]),
        listed(rng.exponential(1.3, 250), [(0, None), (5, math.nan)]))
    add("chi_square_numerical_four_values", "num", listed(rng.choice([1, 2, 3, 4], 800, p=[.4, .3, .2, .1])),
        listed(rng.choice([1, 2, 3, 4], 600, p=[.35, .3, .2, .15])))
    add("chi_square_categorical", "cat", list(rng.choice(list("abcdef"), 900)),
        list(rng.choice(list("abcdef"), 700, p=[.2, .2, .2, .2, .1, .1])))
    add("chi_square_new_category_in_current", "cat", list(rng.choice(["red", "green", "blue"], 100)),
        list(rng.choice(["red", "green", "blue", "violet"], 80)))
    add("z_test_binary_numbers", "num", listed(rng.choice([0, 1], 400, p=[.7, .3])),
        listed(rng.choice([0, 1], 350, p=[.6, .4])))
    add("z_test_categories_with_missing", "cat", [None if k % 17 == 0 else v for k, v in
                                                  enumerate(rng.choice(["no", "yes"], 600, p=[.5, .5]))],
        [None if k % 13 == 0 else v for k, v in enumerate(rng.choice(["no", "yes"], 500, p=[.55, .45]))])
    add("z_test_same_single_value", "cat", ["on"] * 50, ["on"] * 70)
    add("z_test_different_single_values", "num", listed([2.0] * 40), listed([3.0] * 30))
    add("wasserstein_shifted", "num", listed(rng.normal(10, 2, 5000)), listed(rng.normal(10.3, 2, 4000)))
    add("wasserstein_no_drift", "num", listed(rng.gamma(2, 2, 3000)), listed(rng.gamma(2, 2, 3000)))
    add("wasserstein_constant_reference_floors_norm", "num", listed(np.full(1500, 4.0)),
        listed(rng.normal(4, 1, 1200)))
    add("jensen_shannon_categorical", "cat", list(rng.choice(list("ABCDEFGH"), 3000)),
        list(rng.choice(list("ABCDEFGH"), 2500, p=[.2, .2, .1, .1, .1, .1, .1, .1])))
    add("jensen_shannon_numerical_few_values", "num", listed(rng.choice([1, 2, 3], 2000, p=[.5, .3, .2])),
        listed(rng.choice([1, 2, 3, 4], 1500, p=[.4, .3, .2, .1])))
    add("jensen_shannon_binned_with_empty_bins", "num",
        listed(np.concatenate([rng.normal(0, 1, 1024), rng.normal(8, .5, 0)])),
        listed(np.concatenate([rng.normal(0, 1, 900), rng.normal(8, .5, 124)])), stattest="jensenshannon")
    add("jensen_shannon_binned_overridden_threshold", "num", listed(rng.uniform(0, 10, 1700)),
        listed(rng.uniform(1, 11, 1100)), stattest="jensenshannon", threshold=0.3)
    add("ks_overridden_on_large_reference", "num", listed(rng.normal(0, 1, 1200)), listed(rng.normal(0, 1, 1100)),
        stattest="ks")
    # Asymptotic branch (a sample over 10,000 values) where scipy takes twice the one-sided Smirnov tail
    # (n·d² ≥ 2.2) instead of 1 − cdf, down to p-values far below 1e-4.
    add("ks_asymptotic_tiny_p_value", "num", listed(rng.normal(0, 1, 800)), listed(rng.normal(0.25, 1, 10050)))
    add("ks_asymptotic_moderate_p_value", "num", listed(rng.normal(0, 1, 500)), listed(rng.normal(0.1, 1, 10050)))
    add("ks_asymptotic_small_effective_size", "num", listed(rng.normal(0, 1, 60)),
        listed(rng.normal(0.6, 1, 10050)))
    return cases


BIKE_NUMERICAL = ["weathersit", "temp", "atemp", "hum", "windspeed"]


def bike_windows():
    with open(RESOURCES / "bikeride.csv", newline="") as f:
        rows = list(csv.DictReader(f))

    def window(start, end):
        return [r for r in rows if start <= r["dteday"] <= end]

    def dataset_drift(reference, current):
        columns = {c: column_drift(c, "num", [float(r[c]) for r in reference], [float(r[c]) for r in current])
                   for c in BIKE_NUMERICAL}
        drifted = sum(1 for c in columns.values() if c["drift_detected"])
        share = drifted / len(columns)
        return {
            "drift_share": 0.5,
            "number_of_columns": len(columns),
            "number_of_drifted_columns": drifted,
            "share_of_drifted_columns": share,
            "dataset_drift": share >= 0.5,
            "drift_by_columns": columns,
        }

    reference = ("2011-01-01", "2011-01-28")
    windows = []
    for current in [("2011-03-01", "2011-03-31"), ("2011-02-01", "2011-02-28")]:
        windows.append({"reference": list(reference), "current": list(current),
                        "expected": dataset_drift(window(*reference), window(*current))})
    return windows


def main(argv):
    fixture = {"columns": column_cases(), "bike": bike_windows()}
    out = Path(argv[1]) if len(argv) > 1 else RESOURCES / "drift_crosscheck.json"
    out.write_text(json.dumps(fixture, allow_nan=True) + "\n")
    for case in fixture["columns"]:
        e = case["expected"]
        print(f'{case["name"]:45s} {e["stattest_name"]:30s} {e["drift_score"]:.10g} {e["drift_detected"]}')
    for window in fixture["bike"]:
        e = window["expected"]
        print(window["current"], "dataset_drift", e["dataset_drift"], e["number_of_drifted_columns"],
              {c: round(v["drift_score"], 6) for c, v in e["drift_by_columns"].items()})
    print("wrote", out)


if __name__ == "__main__":
    main(sys.argv)
