package io.dagctl.cli;

import io.dagctl.ops.Operations;
import io.dagctl.ops.RunDeletion;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "runs", description = "Lists runs, newest first, of one DAG or of all.",
        subcommands = RunsCommand.Delete.class)
final class RunsCommand implements Callable<Integer>, ReadOnlyCommand {
    @ParentCommand
    private Dagctl dagctl;

    @Parameters(arity = "0..1", paramLabel = "DAG", description = "Only this DAG's runs.")
    private Optional<String> dagId;

    @Option(names = {"-n", "--limit"}, defaultValue = "20", description = "At most this many runs (default ${DEFAULT-VALUE}).")
    private int limit;

    @Option(names = "--state", paramLabel = "STATE", description = "Only runs in this state: queued, running, success"
            + " or failed.")
    private Optional<String> state;

    @Option(names = "--json", description = "Print JSON.")
    private boolean json;

    @Override
    public Integer call() {
        NumericOptions.requireAtLeastOne("-n/--limit", limit);
        dagId.ifPresent(id -> dagctl.catalog().get(id));
        Operations.RunFilter filter = new Operations.RunFilter(dagId, state.map(Operations::runState),
                Optional.empty(), limit, 0);
        List<Operations.Run> runs = List.of();
        if (dagctl.hasRecordedRuns()) {
            runs = dagctl.operations().runs(filter).items();
        } else {
            dagctl.err().println("dagctl: " + dagctl.noHome());
        }
        if (json) {
            dagctl.out().println(Json.write(runs.stream().map(RunsCommand::describe).toList()));
            return ExitCodes.OK;
        }
        Table table = new Table("DAG", "RUN", "STATE", "TYPE", "LOGICAL DATE", "STARTED", "DURATION");
        for (Operations.Run run : runs) {
            table.row(run.dagId(), run.runId(), run.state().label(), run.runType(), time(run.logicalDate()),
                    run.startedAt().map(RunsCommand::time).orElse("-"), run.duration().map(RunsCommand::seconds).orElse("-"));
        }
        table.print(dagctl.out());
        return ExitCodes.OK;
    }

    /** Deletes one ended run, its task instances, XCom values and task logs. */
    @Command(name = "delete", description = "Deletes an ended run with its task instances, XCom values and task logs.")
    static final class Delete implements Callable<Integer> {
        @ParentCommand
        private RunsCommand runs;

        @Mixin
        private RunReference reference;

        @Override
        public Integer call() {
            Dagctl dagctl = runs.dagctl;
            Operations.Run run = reference.resolve(dagctl);
            RunDeletion.Deleted deleted = dagctl.runDeletion().delete(run.dagId(), run.runId());
            dagctl.out().println("deleted " + describe(deleted));
            return ExitCodes.OK;
        }
    }

    /** {@code run r of DAG d (3 task instances, 3 XCom values, 3 log files)} */
    static String describe(RunDeletion.Deleted deleted) {
        return "run " + deleted.runId() + " of DAG " + deleted.dagId() + " (" + deleted.taskInstances()
                + " task instances, " + deleted.xcomValues() + " XCom values, " + deleted.logFiles() + " log files)";
    }

    /** An instant in a table: to the second, so that columns line up; {@code --json} keeps the full precision. */
    static String time(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static String seconds(Duration duration) {
        return String.format("%.1fs", duration.toMillis() / 1000.0);
    }

    static Map<String, Object> describe(Operations.Run run) {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("dag_id", run.dagId());
        description.put("run_id", run.runId());
        description.put("state", run.state().label());
        description.put("run_type", run.runType());
        description.put("logical_date", run.logicalDate());
        description.put("data_interval_start", run.dataIntervalStart());
        description.put("data_interval_end", run.dataIntervalEnd());
        description.put("params", run.params());
        description.put("created_at", run.createdAt());
        description.put("started_at", run.startedAt().orElse(null));
        description.put("ended_at", run.endedAt().orElse(null));
        return description;
    }
}
