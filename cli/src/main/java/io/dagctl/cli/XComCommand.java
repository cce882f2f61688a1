package io.dagctl.cli;

import io.dagctl.internal.store.DagRun;
import io.dagctl.internal.store.TaskInstance;
import io.dagctl.ops.TaskLabel;
import io.dagctl.internal.store.XComEntry;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "xcom", description = "Shows the values tasks of a run returned (XCom), as JSON.")
final class XComCommand implements Callable<Integer> {
    @ParentCommand
    private Dagctl dagctl;

    @Mixin
    private RunReference reference;

    @Parameters(index = "1", arity = "0..1", paramLabel = "TASK",
            description = "Only this task's value (a mapped task's: the list; task[i]: one instance's).")
    private Optional<String> task;

    @Override
    public Integer call() {
        DagRun run = reference.resolve(dagctl);
        List<XComEntry> entries = dagctl.store().xcoms(run.dagId(), run.runId());
        if (task.isPresent()) {
            TaskLabel label = TaskLabel.parse(task.get());
            List<TaskInstance> instances = dagctl.store().taskInstances(run.dagId(), run.runId());
            if (instances.stream().noneMatch(t -> t.taskId().equals(label.taskId()))) {
                throw TaskLabel.unknownTask(run.runId(), instances, label.taskId());
            }
            Optional<String> json = label.mapIndex().isEmpty()
                    ? dagctl.runtime().xcomJson(run.dagId(), run.runId(), label.taskId())
                    : entries.stream().filter(e -> e.label().equals(label.toString())).findFirst()
                            .map(dagctl.runtime()::xcomJson);
            dagctl.out().println(Json.write(Json.parse(json.orElseThrow(() -> CliException.usage(
                    "task " + label + " of run " + run.runId() + " has no XCom value")))));
            return ExitCodes.OK;
        }
        Table table = new Table("TASK", "KEY", "VALUE");
        entries.forEach(e -> table.row(e.label(), e.key(), dagctl.runtime().xcomJson(e)));
        table.print(dagctl.out());
        return ExitCodes.OK;
    }
}
