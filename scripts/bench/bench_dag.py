#!/usr/bin/env python3
"""Writes a @Dag class of one-line tasks, a chain of N or one task feeding N, to time `dagctl trigger`.

Usage: python3 scripts/bench/bench_dag.py chain 1000 /tmp/chain-dag
       javac -J-Xmx2g -cp 'cli/target/lib/*' -d /tmp/chain-dag/classes /tmp/chain-dag/bench/Chain1000.java
       DAGCTL_DAGS_PATH=/tmp/chain-dag/classes ./dagctl trigger chain_1000
       (fan 10000 writes bench/FanOut10000.java with DAG id fan_out_10000; add DAGCTL_EXECUTOR=workers to run it
       on workers)
"""
import os
import sys


def main(shape, size, directory):
    if shape == "chain":
        name, dag_id = f"Chain{size}", f"chain_{size}"
        upstream, count = (lambda i: f"t{i - 1}"), size - 1
    elif shape == "fan":
        name, dag_id = f"FanOut{size}", f"fan_out_{size}"
        upstream, count = (lambda i: "t0"), size
    else:
        sys.exit(f"shape must be 'chain' or 'fan', not '{shape}'")
    lines = ["package bench;", "", "import io.dagctl.Dag;", "import io.dagctl.From;", "import io.dagctl.Task;", "",
             f'@Dag(id = "{dag_id}")', f"public final class {name} {{",
             "    @Task", "    public int t0() {", "        return 0;", "    }"]
    for i in range(1, count + 1):
        lines += ["", "    @Task", f'    public int t{i}(@From("{upstream(i)}") int value) {{',
                  "        return value + 1;", "    }"]
    lines.append("}")
    os.makedirs(os.path.join(directory, "bench"), exist_ok=True)
    with open(os.path.join(directory, "bench", name + ".java"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
