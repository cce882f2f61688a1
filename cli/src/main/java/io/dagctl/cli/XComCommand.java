package io.dagctl.cli;

import io.dagctl.internal.store.DagRun;
import io.dagctl.internal.store.XComEntry;
import io.dagctl.internal.xcom.XComKey;
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

    @Parameters(index = "1", arity = "0..1", paramLabel = "TASK", description = "Only this task's value.")
    private Optional<String> taskId;

    @Override
    public Integer call() {
        DagRun run = reference.resolve(dagctl.store());
        List<XComEntry> entries = dagctl.store().xcoms(run.dagId(), run.runId()).stream()
                .filter(e -> taskId.map(e.taskId()::equals).orElse(true)).toList();
        if (taskId.isPresent()) {
            if (entries.isEmpty()) {
                throw CliException.usage("task " + taskId.get() + " of run " + run.runId() + " has no XCom value");
            }
            entries.forEach(e -> dagctl.out().println(Json.write(Json.parse(value(run, e)))));
            return ExitCodes.OK;
        }
        Table table = new Table("TASK", "KEY", "VALUE");
        entries.forEach(e -> table.row(e.taskId(), e.key(), value(run, e)));
        table.print(dagctl.out());
        return ExitCodes.OK;
    }

    /** The JSON itself, read from the object store when the row holds a reference to it. */
    private String value(DagRun run, XComEntry entry) {
        return dagctl.xcomBackend().load(new XComKey(run.dagId(), run.runId(), entry.taskId()), entry.storedValue());
    }
}
