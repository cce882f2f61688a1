package io.dagctl.cli;

import io.dagctl.DataInterval;
import io.dagctl.spec.DagSpec;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "next", description = "Prints the next runs the scheduler will create for a DAG: each run's logical "
        + "date (the start of its data interval), its interval, and when it runs (the interval's end).")
final class NextCommand implements Callable<Integer>, ReadOnlyCommand {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm xxx");

    @ParentCommand
    private Dagctl dagctl;

    @Parameters(index = "0", paramLabel = "DAG", description = "The DAG id.")
    String dagId;

    @Option(names = "-n", paramLabel = "COUNT", defaultValue = "5", description = "How many (default: ${DEFAULT-VALUE}).")
    int count;

    @Override
    public Integer call() {
        NumericOptions.requireAtLeastOne("-n", count);
        DagSpec dag = dagctl.catalog().get(dagId);
        PrintWriter out = dagctl.out();
        if (dag.schedule().isBlank()) {
            out.println("DAG " + dagId + " has no time schedule" + (dag.triggers().isEventDriven()
                    ? "; it runs when its trigger fires" : "; it runs when triggered"));
            return ExitCodes.OK;
        }
        List<DataInterval> intervals = dagctl.operations().nextIntervals(dagId, count);
        boolean paused = dagctl.operations().isPaused(dagId);
        ZoneId zone = dag.timezone();
        out.println("DAG " + dagId + ": schedule \"" + dag.schedule() + "\" in " + zone
                + (paused ? " (paused)" : ""));
        Table table = new Table("LOGICAL DATE", "DATA INTERVAL", "RUNS AT");
        for (DataInterval interval : intervals) {
            table.row(TIME.format(interval.start().atZone(zone)),
                    TIME.format(interval.start().atZone(zone)) + " to " + TIME.format(interval.end().atZone(zone)),
                    TIME.format(interval.end().atZone(zone)));
        }
        table.print(out);
        if (intervals.size() < count) {
            out.println("the schedule ends" + dag.endDate().map(d -> " on " + d).orElse(""));
        }
        return ExitCodes.OK;
    }
}
