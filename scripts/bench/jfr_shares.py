#!/usr/bin/env python3
"""Shares of a flight recording's CPU samples by where the time goes (commit/fsync, SQL, log file, JSON, ...).

Usage: jfr print --stack-depth 96 --events jdk.ExecutionSample rec.jfr > samples.txt
       python3 scripts/bench/jfr_shares.py samples.txt
A sample counts for the first category (in the order below) that one of its frames matches.
"""
import re
import sys
from collections import Counter

CATEGORIES = [
    ("task log file", re.compile(r"io\.dagctl\.internal\.logging|ch\.qos\.logback")),
    ("commit / fsync", re.compile(r"FileChannelImpl\.force|FileStore\.sync|MVStore\.(store|commit|tryCommit)"
                                  r"|SessionLocal\.commit|JdbcConnection\.commit")),
    ("SQL statements (H2, Jdbi, JDBC)", re.compile(r"org\.h2\.|org\.jdbi\.")),
    ("JSON (Jackson)", re.compile(r"com\.fasterxml\.jackson")),
    ("coordinator pass over instances", re.compile(r"RunExecution\.(decide|nextRetry|unfinished|loop)"
                                                   r"|TaskSpec\.expandedOver")),
    ("thread hand-off (queues, pool)", re.compile(r"LinkedBlockingQueue|ThreadPoolExecutor|LockSupport"
                                                  r"|AbstractQueuedSynchronizer")),
    ("task invocation and the rest of dagctl", re.compile(r"io\.dagctl\.")),
]


def samples(lines):
    thread, frames = None, []
    for line in lines:
        line = line.strip()
        if line.startswith("jdk.ExecutionSample"):
            thread, frames = None, []
        elif line.startswith("sampledThread"):
            thread = line.split('"')[1] if '"' in line else line
        elif line.endswith("line:") or "line:" in line:
            frames.append(line)
        elif line == "}" and thread is not None:
            yield thread, frames
            thread = None


def main(path):
    by_category, total = Counter(), 0
    with open(path) as f:
        for _thread, frames in samples(f):
            total += 1
            text = "\n".join(frames)
            for name, pattern in CATEGORIES:
                if pattern.search(text):
                    by_category[name] += 1
                    break
            else:
                by_category["other (JVM, JIT, GC helpers)"] += 1
    print(f"{total} CPU samples")
    for name, count in by_category.most_common():
        print(f"  {name:45s} {100.0 * count / total:5.1f}%")


if __name__ == "__main__":
    main(sys.argv[1])
