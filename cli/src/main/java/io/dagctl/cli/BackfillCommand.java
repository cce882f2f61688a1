package io.dagctl.cli;

import io.dagctl.RunState;
import io.dagctl.internal.runtime.DagRuntime;
import io.dagctl.internal.runtime.RunResult;
import io.dagctl.internal.schedule.Backfill;
import io.dagctl.spec.DagSpec;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "backfill", description = "Creates and executes the runs of a scheduled DAG for the intervals whose "
        + "logical dates fall between two days (in the DAG's time zone, both included), oldest first, at most "
        + "maxActiveRuns at once.")
final class BackfillCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm xxx");

    @ParentCommand
    private Dagctl dagctl;

    @Parameters(index = "0", paramLabel = "DAG", description = "The DAG id.")
    String dagId;

    @Option(names = "--from", required = true, paramLabel = "DATE", description = "First day, e.g. 2011-03-01.")
    LocalDate from;

    @Option(names = "--to", required = true, paramLabel = "DATE", description = "Last day, included.")
    LocalDate to;

    @Option(names = "--reprocess", paramLabel = "WHICH", defaultValue = "none",
            description = "Intervals that have a run already: none (leave them), failed (run their failed tasks "
                    + "again) or completed (run every task again). Default: ${DEFAULT-VALUE}.")
    String reprocess;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE",
            description = "A parameter of the runs the backfill creates; repeatable. Reprocessed runs keep theirs.")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--dry-run", description = "Print what would be done, and do nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        DagSpec dag = dagctl.catalog().get(dagId);
        dag.params().bind(params);
        Backfill.Reprocess which = switch (reprocess) {
            case "none" -> Backfill.Reprocess.NONE;
            case "failed" -> Backfill.Reprocess.FAILED;
            case "completed" -> Backfill.Reprocess.COMPLETED;
            default -> throw CliException.usage("--reprocess is '" + reprocess + "'; use none, failed or completed");
        };
        DagRuntime runtime = dagctl.runtime();
        List<Backfill.Step> steps = Backfill.plan(runtime, dag, from, to, which);
        PrintWriter out = dagctl.out();
        if (steps.isEmpty()) {
            out.println("DAG " + dagId + " has no interval with a logical date from " + from + " to " + to);
            return ExitCodes.OK;
        }
        Table table = new Table("LOGICAL DATE", "RUN", "ACTION");
        steps.forEach(s -> table.row(TIME.format(s.interval().start().atZone(dag.timezone())), s.runId(),
                s.action().label()));
        table.print(out);
        if (dryRun) {
            out.println("dry run: nothing was created");
            return ExitCodes.OK;
        }
        List<RunResult> results = Backfill.execute(runtime, dag, steps, params,
                r -> out.println("run " + r.runId() + " ended " + r.state().label()));
        long failed = results.stream().filter(r -> r.state() != RunState.SUCCESS).count();
        out.println("backfill of DAG " + dagId + ": " + (results.size() - failed) + " run(s) succeeded, " + failed
                + " failed");
        return failed == 0 ? ExitCodes.OK : ExitCodes.RUN_FAILED;
    }
}
