package io.dagctl.cli;

import io.dagctl.ops.Operations;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "logs", description = "Prints the log of a task's try in a run (the latest try by default).")
final class LogsCommand implements Callable<Integer>, ReadOnlyCommand {
    /** How much of the log one read holds, so that a long log is printed as it is read, never held whole. */
    private static final int READ_BYTES = 1 << 20;

    @ParentCommand
    private Dagctl dagctl;

    @Mixin
    private RunReference reference;

    @Parameters(index = "1", paramLabel = "TASK", description = "The task id; task[i] for an instance of a mapped task.")
    private String task;

    @Option(names = "--try", paramLabel = "N", description = "The try, from 1.")
    private Optional<Integer> tryNumber;

    @Override
    public Integer call() {
        Operations.Run run = reference.resolve(dagctl);
        Operations operations = dagctl.operations();
        boolean lineOpen = false;
        Operations.LogChunk chunk;
        long offset = 0;
        do {
            chunk = operations.log(run.dagId(), run.runId(), task, tryNumber, offset, READ_BYTES);
            dagctl.out().print(chunk.text());
            if (!chunk.text().isEmpty()) {
                lineOpen = !chunk.text().endsWith("\n");
            }
            offset = chunk.nextOffset();
        } while (!chunk.complete() && chunk.nextOffset() > chunk.offset());
        if (lineOpen) {
            dagctl.out().println();
        }
        dagctl.out().flush();
        return ExitCodes.OK;
    }
}
