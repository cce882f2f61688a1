#!/usr/bin/env bash
# The floors under dagctl's read commands: JVMs that do one part of `dagctl runs` and nothing else, each with a
# class-data archive of its own, started as the launcher starts the read commands; timed in interleaved rounds with
# `java -version` and, when given, a dagctl command line (run in the current directory).
#   picocli          picocli parses `runs -n 5` for a one-subcommand CLI and prints a five-row table
#   h2               opens a dagctl home's H2 file read-only and reads one row of dag_run with plain JDBC
#   h2+jdbi+logback  the same through Jdbi (which starts SLF4J and Logback, configured by default)
#   *, all jars      the same with dagctl's whole class path (every jar is opened by the first service lookup)
# Usage (from the checkout, after building the CLI): scripts/bench/cli_floors.sh HOME ROUNDS [dagctl args...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
home="$(cd "$1" && pwd)"; rounds="$2"; shift 2
lib="$root/cli/target/lib"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src" "$work/classes"
cat > "$work/src/PicocliFloor.java" <<'EOF'
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "floor", mixinStandardHelpOptions = true, subcommands = PicocliFloor.Runs.class)
public class PicocliFloor {
    @Command(name = "runs", description = "Lists runs.")
    static class Runs implements Callable<Integer> {
        @Option(names = {"-n", "--limit"}, defaultValue = "20") int limit;

        @Override
        public Integer call() {
            System.out.printf("%-8s %-12s %-8s%n", "DAG", "RUN", "STATE");
            for (int i = 0; i < limit; i++) {
                System.out.printf("%-8s %-12s %-8s%n", "chain_1", "manual__" + i, "success");
            }
            return 0;
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new PicocliFloor()).execute(args));
    }
}
EOF
cat > "$work/src/H2Floor.java" <<'EOF'
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.h2.jdbcx.JdbcDataSource;

public class H2Floor {
    public static void main(String[] args) throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:file:" + args[0] + "/metadata;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                + "DEFAULT_NULL_ORDERING=HIGH;ACCESS_MODE_DATA=r");
        h2.setUser("sa");
        try (Connection connection = h2.getConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT run_id FROM dag_run ORDER BY logical_date DESC LIMIT 1")) {
            System.out.println(row.next() ? row.getString(1) : "no run");
        }
    }
}
EOF
cat > "$work/src/JdbiFloor.java" <<'EOF'
import org.h2.jdbcx.JdbcDataSource;
import org.jdbi.v3.core.Jdbi;

public class JdbiFloor {
    public static void main(String[] args) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:file:" + args[0] + "/metadata;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                + "DEFAULT_NULL_ORDERING=HIGH;ACCESS_MODE_DATA=r");
        h2.setUser("sa");
        String runId = Jdbi.create(h2).withHandle(handle -> handle.createQuery(
                "SELECT run_id FROM dag_run ORDER BY logical_date DESC LIMIT :n").bind("n", 1)
                .mapTo(String.class).findOne().orElse("no run"));
        System.out.println(runId);
    }
}
EOF
jar_of() { ls "$lib"/"$1"-[0-9]*.jar; }
picocli="$(jar_of picocli)"
h2="$(jar_of h2)"
jdbi="$(jar_of jdbi3-core):$(jar_of slf4j-api):$(jar_of logback-classic):$(jar_of logback-core):$(jar_of geantyref)"
javac -d "$work/classes" -cp "$picocli:$h2:$jdbi" "$work"/src/*.java
# A class-data archive takes jars only.
jar cf "$work/floors.jar" -C "$work/classes" .
all="$work/floors.jar:$lib/*"
flags=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:Tier3InvocationThreshold=400 -XX:Tier3MinInvocationThreshold=200
  -XX:Tier3CompileThreshold=4000 -XX:Tier3BackEdgeThreshold=120000)
names=(picocli "picocli, all jars" h2 "h2, all jars" "h2+jdbi+logback" "h2+jdbi+logback, all jars")
paths=("$work/floors.jar:$picocli" "$all" "$work/floors.jar:$h2" "$all" "$work/floors.jar:$h2:$jdbi" "$all")
mains=(PicocliFloor PicocliFloor H2Floor H2Floor JdbiFloor JdbiFloor)
arguments=("runs -n 5" "runs -n 5" "$home" "$home" "$home" "$home")
for i in "${!names[@]}"; do
  java -XX:DumpLoadedClassList="$work/$i.classes" -cp "${paths[$i]}" "${mains[$i]}" ${arguments[$i]} > /dev/null
  java -Xshare:dump -XX:SharedClassListFile="$work/$i.classes" -XX:SharedArchiveFile="$work/$i.jsa" -Xlog:cds=off \
    -cp "${paths[$i]}" > /dev/null
done
for round in $(seq 1 "$rounds"); do
  echo "load $(cut -d' ' -f1 /proc/loadavg)"
  /usr/bin/time -o "$work/time" -f "java -version|%e|%U|%S" java -version 2> /dev/null; cat "$work/time"
  for i in "${!names[@]}"; do
    /usr/bin/time -o "$work/time" -f "${names[$i]}|%e|%U|%S" java "${flags[@]}" -XX:SharedArchiveFile="$work/$i.jsa" \
      -Xlog:cds=off -cp "${paths[$i]}" "${mains[$i]}" ${arguments[$i]} > /dev/null
    cat "$work/time"
  done
  if [ $# -gt 0 ]; then
    /usr/bin/time -o "$work/time" -f "dagctl $*|%e|%U|%S" "$root/cli/src/dist/bin/dagctl" "$@" > /dev/null 2>&1
    cat "$work/time"
  fi
done
