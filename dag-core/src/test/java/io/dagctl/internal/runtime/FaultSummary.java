package io.dagctl.internal.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The fault-injection tests' summary: one table row per kind of fault, appended to
 * {@code target/fault-injection-summary.md}, which README's reliability section quotes. Each new row prints the table
 * so far, so that the suite's output ends with the whole of it.
 */
final class FaultSummary {
    static final Path FILE = Path.of("target", "fault-injection-summary.md");
    private static final String HEADER = "| fault | trials | kills | lost | duplicated |\n|---|---|---|---|---|\n";

    private FaultSummary() {
    }

    /**
     * @param lost task ends missing after recovery (a run not ending, or a task without a completed body)
     * @param duplicated bodies that ran again though they had succeeded, or ran twice outside a killed process
     */
    static synchronized void row(String fault, int trials, int kills, int lost, int duplicated) {
        String row = "| " + fault + " | " + trials + " | " + kills + " | " + lost + " | " + duplicated + " |\n";
        try {
            if (!Files.exists(FILE)) {
                Files.createDirectories(FILE.getParent());
                Files.writeString(FILE, HEADER);
            }
            Files.writeString(FILE, row, StandardOpenOption.APPEND);
            System.out.print("Fault-injection summary so far (" + FILE + "):\n" + Files.readString(FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
