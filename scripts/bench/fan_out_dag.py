#!/usr/bin/env python3
"""Writes a @Dag class of one task and N tasks that each take its value, to time `dagctl trigger` on workers.

Usage: python3 scripts/bench/fan_out_dag.py 10000 /tmp/fan-out-dag
       javac -J-Xmx2g -cp 'cli/target/lib/*' -d /tmp/fan-out-dag/classes /tmp/fan-out-dag/bench/FanOut10000.java
       DAGCTL_DAGS_PATH=/tmp/fan-out-dag/classes DAGCTL_EXECUTOR=workers ./dagctl trigger fan_out_10000
"""
import os
import sys


def main(width, directory):
    name = f"FanOut{width}"
    lines = ["package bench;", "", "import io.dagctl.Dag;", "import io.dagctl.From;", "import io.dagctl.Task;", "",
             f'@Dag(id = "fan_out_{width}")', f"public final class {name} {{",
             "    @Task", "    public int t0() {", "        return 0;", "    }"]
    for i in range(1, width + 1):
        lines += ["", "    @Task", f'    public int f{i}(@From("t0") int source) {{',
                  "        return source + 1;", "    }"]
    lines.append("}")
    os.makedirs(os.path.join(directory, "bench"), exist_ok=True)
    with open(os.path.join(directory, "bench", name + ".java"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
