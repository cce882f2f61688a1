#!/usr/bin/env python3
"""Benchmark: drift on 1,000,000 reference and 1,000,000 current rows x 10 numerical columns with numpy/scipy,
computed the way Evidently 0.4 does for a reference over 1000 rows (Wasserstein distance normed by the reference
std; Jensen-Shannon for columns with at most 5 distinct values). Writes the generated data to a binary file
that the Java benchmark (io.dagctl.drift.bench.DriftBench) reads, so both sides work on the same numbers.

    python3 scripts/crosscheck/drift_bench.py [/tmp/drift_bench.bin]

File layout: little-endian int32 rows, int32 columns, then for each column its reference values followed by its
current values, all float64.
"""
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from scipy import stats
from scipy.spatial import distance

ROWS = 1_000_000
COLUMNS = 10
REPEATS = 3


def generate():
    rng = np.random.default_rng(42)
    reference, current = [], []
    for c in range(COLUMNS):
        shift = 0.05 * c
        reference.append(rng.normal(0.0, 1.0 + 0.1 * c, ROWS))
        current.append(rng.normal(shift, 1.0 + 0.1 * c, ROWS))
    # a few missing values, as real data has
    reference[0][::997] = np.nan
    current[1][::1009] = np.inf
    return reference, current


def write(path, reference, current):
    with open(path, "wb") as f:
        f.write(np.array([ROWS, COLUMNS], dtype="<i4").tobytes())
        for ref, cur in zip(reference, current):
            f.write(ref.astype("<f8").tobytes())
            f.write(cur.astype("<f8").tobytes())


def column_drift(ref, cur):
    ref = ref[np.isfinite(ref)]
    cur = cur[np.isfinite(cur)]
    # pandas' nunique over both samples; np.unique is numpy's equivalent
    n_values = np.unique(np.concatenate([ref, cur])).size
    if n_values > 5:
        norm = max(np.std(ref), 0.001)
        return stats.wasserstein_distance(ref, cur) / norm
    keys = np.union1d(ref, cur)
    ref_share = np.array([np.sum(ref == k) for k in keys]) / len(ref)
    cur_share = np.array([np.sum(cur == k) for k in keys]) / len(cur)
    return distance.jensenshannon(ref_share, cur_share)


def main():
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/drift_bench.bin")
    reference, current = generate()
    write(path, reference, current)
    timings = []
    scores = None
    for _ in range(REPEATS):
        start = time.perf_counter()
        scores = [column_drift(r, c) for r, c in zip(reference, current)]
        timings.append(time.perf_counter() - start)
    drifted = sum(1 for s in scores if s >= 0.1)
    print(f"data written to {path}")
    print("scores", " ".join(f"{s:.6g}" for s in scores))
    print(f"drifted columns {drifted}/{COLUMNS}")
    print(f"numpy/scipy: best {min(timings):.3f} s, median {statistics.median(timings):.3f} s over {REPEATS} runs")


if __name__ == "__main__":
    main()
