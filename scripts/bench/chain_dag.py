#!/usr/bin/env python3
"""Writes a @Dag class of N one-line tasks in a chain, to time `dagctl trigger` against the in-process runtime.

Usage: python3 scripts/bench/chain_dag.py 1000 /tmp/chain-dag
       javac -cp 'cli/target/lib/*' -d /tmp/chain-dag/classes /tmp/chain-dag/bench/Chain1000.java
       DAGCTL_DAGS_PATH=/tmp/chain-dag/classes ./dagctl trigger chain_1000
"""
import os
import sys


def main(length, directory):
    name = f"Chain{length}"
    lines = ["package bench;", "", "import io.dagctl.Dag;", "import io.dagctl.From;", "import io.dagctl.Task;", "",
             f'@Dag(id = "chain_{length}")', f"public final class {name} {{",
             "    @Task", "    public int t0() {", "        return 0;", "    }"]
    for i in range(1, length):
        lines += ["", "    @Task", f'    public int t{i}(@From("t{i - 1}") int previous) {{',
                  "        return previous + 1;", "    }"]
    lines.append("}")
    os.makedirs(os.path.join(directory, "bench"), exist_ok=True)
    with open(os.path.join(directory, "bench", name + ".java"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
