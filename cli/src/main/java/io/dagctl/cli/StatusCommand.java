package io.dagctl.cli;

import io.dagctl.RunState;
import io.dagctl.Secrets;
import io.dagctl.ops.Operations;
import io.dagctl.ops.Operations.TaskInstanceState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "status", description = "Shows a run's state and each of its task instances.")
final class StatusCommand implements Callable<Integer>, ReadOnlyCommand {
    @ParentCommand
    private Dagctl dagctl;

    @Mixin
    private RunReference reference;

    @Option(names = "--json", description = "Print JSON.")
    private boolean json;

    @Option(names = "--exit-code", description = "Exit 1 when the run failed, for scripts; without it, status exits"
            + " 0 whatever the run's state, as the run was found and shown.")
    private boolean exitCode;

    @Override
    public Integer call() {
        Operations.Run run = reference.resolve(dagctl);
        int shown = exitCode && run.state() == RunState.FAILED ? ExitCodes.RUN_FAILED : ExitCodes.OK;
        // In the DAG's order when the DAG is still known, as the progress view and summary list them.
        List<TaskInstanceState> tasks = dagctl.operations().taskInstances(run.dagId(), run.runId());
        if (json) {
            Map<String, Object> status = RunsCommand.describe(run);
            status.put("tasks", tasks.stream().map(StatusCommand::describe).toList());
            dagctl.out().println(Json.write(status));
            return shown;
        }
        dagctl.out().println("run " + run.runId() + " of DAG " + run.dagId() + ": " + run.state().label()
                + run.duration().map(d -> " in " + RunsCommand.seconds(d)).orElse(""));
        if (!run.params().isEmpty()) {
            Map<String, String> params = new LinkedHashMap<>();
            run.params().forEach((name, value) -> params.put(name, Secrets.maskValue(value)));
            dagctl.out().println("params: " + params);
        }
        Table table = new Table("TASK", "STATE", "TRY", "STARTED", "DURATION", "ERROR");
        for (TaskInstanceState task : tasks) {
            table.row(task.label(), task.state().label(), task.tryNumber() + "/" + task.maxTries(),
                    task.startDate().map(RunsCommand::time).orElse("-"),
                    task.duration().map(RunsCommand::seconds).orElse("-"),
                    task.error().map(RunWatcher::firstLine).orElse(""));
        }
        table.print(dagctl.out());
        return shown;
    }

    private static Map<String, Object> describe(TaskInstanceState task) {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("task_id", task.taskId());
        description.put("map_index", task.mapIndex());
        description.put("state", task.state().label());
        description.put("try_number", task.tryNumber());
        description.put("max_tries", task.maxTries());
        description.put("start_date", task.startDate().orElse(null));
        description.put("end_date", task.endDate().orElse(null));
        description.put("duration_seconds", task.duration().map(d -> d.toMillis() / 1000.0).orElse(null));
        description.put("error", task.error().orElse(null));
        description.put("next_try_at", task.nextTryAt().orElse(null));
        description.put("hostname", task.hostname().orElse(null));
        return description;
    }
}
