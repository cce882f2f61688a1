package io.dagctl.cli;

import io.dagctl.Secrets;
import io.dagctl.internal.logging.TaskLogs;
import io.dagctl.internal.store.DagRun;
import io.dagctl.ops.TaskLabel;
import io.dagctl.internal.store.TaskInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "logs", description = "Prints the log of a task's try in a run (the latest try by default).")
final class LogsCommand implements Callable<Integer> {
    @ParentCommand
    private Dagctl dagctl;

    @Mixin
    private RunReference reference;

    @Parameters(index = "1", paramLabel = "TASK", description = "The task id; task[i] for an instance of a mapped task.")
    private String task;

    @Option(names = "--try", paramLabel = "N", description = "The try, from 1.")
    private Optional<Integer> tryNumber;

    @Override
    public Integer call() throws IOException {
        DagRun run = reference.resolve(dagctl);
        TaskLabel label = TaskLabel.parse(task);
        String taskId = label.taskId();
        Optional<String> expandedOver = dagctl.catalog().find(run.dagId())
                .flatMap(dag -> DagCatalog.task(dag, taskId).expandedOver());
        List<TaskInstance> instances = dagctl.store().taskInstances(run.dagId(), run.runId()).stream()
                .filter(t -> t.taskId().equals(taskId)).toList();
        if (instances.isEmpty()) {
            throw TaskLabel.unknownTask(run.runId(), dagctl.store().taskInstances(run.dagId(), run.runId()),
                    taskId);
        }
        TaskInstance instance = label.select(instances, run.runId(), expandedOver);
        if (instance.tryNumber() == 0) {
            throw CliException.usage("task " + label + " of run " + run.runId() + " has not been tried ("
                    + instance.state().label() + ")");
        }
        int attempt = tryNumber.orElse(instance.tryNumber());
        if (attempt < 1 || attempt > instance.tryNumber()) {
            throw CliException.usage("task " + label + " of run " + run.runId() + " has tries 1 to "
                    + instance.tryNumber() + ", not " + attempt);
        }
        Path log = TaskLogs.under(dagctl.environment().home()).pathOf(run.dagId(), run.runId(), instance.label(),
                attempt);
        if (!Files.exists(log)) {
            throw new CliException(ExitCodes.RUN_FAILED, "no log at " + log + " (it is written on the host that ran "
                    + "the try: " + instance.hostname().orElse("unknown") + ")");
        }
        try (var lines = Files.lines(log)) {
            lines.map(Secrets::mask).forEach(dagctl.out()::println);
        }
        return ExitCodes.OK;
    }
}
