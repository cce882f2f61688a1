package io.dagctl.cli;

import io.dagctl.ops.Operations;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "xcom", description = "Shows the values tasks of a run returned (XCom), as JSON.")
final class XComCommand implements Callable<Integer>, ReadOnlyCommand {
    @ParentCommand
    private Dagctl dagctl;

    @Mixin
    private RunReference reference;

    @Parameters(index = "1", arity = "0..1", paramLabel = "TASK",
            description = "Only this task's value (a mapped task's: the list; task[i]: one instance's).")
    private Optional<String> task;

    @Override
    public Integer call() {
        Operations.Run run = reference.resolve(dagctl);
        Operations operations = dagctl.operations();
        if (task.isPresent()) {
            Operations.XComValue value = operations.xcom(run.dagId(), run.runId(), task.get());
            dagctl.out().println(Json.write(Json.parse(value.json())));
            return ExitCodes.OK;
        }
        Table table = new Table("TASK", "KEY", "VALUE");
        operations.xcoms(run.dagId(), run.runId()).forEach(v -> table.row(v.label(), v.key(), v.json()));
        table.print(dagctl.out());
        return ExitCodes.OK;
    }
}
