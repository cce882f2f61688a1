#!/usr/bin/env python3
"""Groups the phases that RuntimeOverheadBenchmark prints with scripts/bench/hop_phases.patch applied.

Usage: python3 scripts/bench/hop_phases.py out1.txt [out2.txt ...]   (one file per JVM)

For each chain (in a fan-out the tries overlap, so their phases do not add up to its time), each group's mean per task in a JVM is divided by that JVM's floor (b) task (a commit's speed moves
from one JVM to the next, for both alike); printed are the median fraction over the JVMs, the median in µs, and the
medians of the sums with their range.
"""
import re
import statistics
import sys

HOP = {
    "log: the task's directory": ["h1a log directory"],
    "log: creating and opening the file": ["h1b log file open", "h1c log writer registered"],
    "log: waiting for the file the log thread opens (or opening it)": [
        "h1 log: taken (waited for the log thread, or opened here)"],
    "log: the write (flush) and close": ["h3b log flush (write)", "h4b log unbind", "h4c log close"],
    "the runtime's two lines, MDC, timer": ["h2a timer, bind, start line", "h3a end line"],
    "the task's call with its JSON": ["h2b invoke (args, method, JSON)"],
    "the turn": ["h0 to runTry", "h4a to unbind", "h5 return to turn", "h6 turn: apply, decide, claim",
                 "h9 launch next"],
    "the statement": ["h7a begin transaction", "h7b statement"],
    "the commit": ["h8 commit"],
}
PER_RUN = {
    "creating the run with its rows": ["r1a create run (trigger)"],
    "executor read, take-over, first turn, hand-offs": [
        "r1b read run's executor", "r2a take over (read run, rows)", "r2b index", "r5 calling thread's turn",
        "r4 first try: start() to its thread", "r8 calling thread woken after ATTENTION", "r7 close writer, hooks"],
}
# Not on the hop's path: the log thread opens the next try's file while the hop's commit runs.
OFF_HOP = {
    "log file opened on the log thread": ["o1 log opened on the log thread (off the hop)"],
    "log file opened on the try's thread (counted in the hop)": ["o2 log opened on the try's thread"],
}
FLOOR = {
    "insert: execute and commit": ["f1b execute + commit"],
    "update: execute and commit": ["f3b execute + commit"],
    "both: pooled connection, prepare, close": ["f1z before", "f1a connection, prepare", "f1c close", "f3z before",
                                                "f3a connection, prepare", "f3c close"],
    "the task's call": ["f2 invoke"],
    "hand-off to the next pool thread": ["f0 submit to start"],
}


def parse(path):
    """Per shape: phase -> mean µs per task, and the floor (b) and runtime means of the rounds."""
    shapes, shape = {}, None
    for line in open(path, encoding="utf-8"):
        header = re.match(r"phases of (\S+),", line)
        if header:
            shape = shapes.setdefault(header.group(1), {})
            continue
        phase = re.match(r"\s+(.+?)\s+median\s+[\d.]+\s+mean\s+([\d.]+)", line)
        if phase and shape is not None:
            shape[phase.group(1).strip()] = float(phase.group(2))
            continue
        total = re.match(r"\s+(floor \(b\)|dagctl runtime).*?\s+mean\s+([\d.]+)$", line)
        if total and shape is not None:
            shape[total.group(1)] = float(total.group(2))
    return shapes


def main(paths):
    jvms = [parse(path) for path in paths]
    for name in sorted({shape for jvm in jvms for shape in jvm if shape.startswith("chain")}):
        runs = [jvm[name] for jvm in jvms if name in jvm]
        floors = [run["floor (b)"] for run in runs]
        print(f"{name}, {len(runs)} JVMs, runtime / floor (b) (means of rounds): "
              + ", ".join(f"{run['dagctl runtime'] / floor:.2f}" for run, floor in zip(runs, floors)))
        sums = {}
        for title, groups in (("runtime: a hop", HOP), ("runtime: per run, per task", PER_RUN),
                              ("runtime: off the hop's path", OFF_HOP), ("floor (b): a task", FLOOR)):
            print(f"  {title}")
            for group, phases in groups.items():
                micros = [sum(run.get(phase, 0.0) for phase in phases) for run in runs]
                fractions = [us / floor for us, floor in zip(micros, floors)]
                sums.setdefault(title, [0.0] * len(runs))
                sums[title] = [total + fraction for total, fraction in zip(sums[title], fractions)]
                print(f"    {group:<50} {statistics.median(fractions):5.2f}  ({statistics.median(micros):.0f} µs)")
            print(f"    {'sum':<50} {statistics.median(sums[title]):5.2f}  "
                  f"({min(sums[title]):.2f}-{max(sums[title]):.2f})")


if __name__ == "__main__":
    main(sys.argv[1:])
