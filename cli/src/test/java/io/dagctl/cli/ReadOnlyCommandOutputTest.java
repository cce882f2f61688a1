package io.dagctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command that only reads reads the home's H2 file straight from the file, which holds off any process that comes
 * to write, so it closes the file before it prints: its output may wait on a pager for as long as the user reads.
 * What it reads after it printed comes through a server, which lets writers in.
 */
class ReadOnlyCommandOutputTest {
    @TempDir
    Path temp;

    @Test
    void aCommandThatOnlyReadsHasClosedTheDatabaseFileWhenItPrints() throws Exception {
        Path bundle = ClassDataRecordingDagTest.bundleNamingIt(temp.resolve("dags"));
        CliRunner cli = new CliRunner(temp.resolve("home")).with("DAGCTL_DAGS_PATH", bundle.toString());
        CliRunner.Result trigger = cli.run("trigger", "dagctl_class_data_recording", "--run-id", "r");
        assertThat(trigger.exitCode()).as(trigger.toString()).isZero();
        Path file = cli.home().resolve("metadata.mv.db");
        // Longer than one read of dagctl logs (1 MiB), which reads the run's state again for the second.
        Path log = cli.home().resolve("logs/dag_id=dagctl_class_data_recording/run_id=r/task_id=nothing/attempt=1.log");
        Files.writeString(log, ("dagctl_class_data_recording " + "x".repeat(70) + "\n").repeat(20_000),
                StandardOpenOption.APPEND);

        for (List<String> command : List.of(List.of("list"), List.of("show", "dagctl_class_data_recording"),
                List.of("runs"), List.of("status", "r"), List.of("logs", "r", "nothing"))) {
            StringWriter printed = new StringWriter();
            List<String> heldWhilePrinting = new ArrayList<>();
            List<String> servedWhilePrinting = new ArrayList<>();
            Writer out = new Writer() {
                @Override
                public void write(char[] buffer, int offset, int length) {
                    if (Files.exists(cli.home().resolve("metadata.lock.db"))) {
                        servedWhilePrinting.add(new String(buffer, offset, length));
                    } else if (!lockable(file)) {
                        heldWhilePrinting.add(new String(buffer, offset, length));
                    }
                    printed.write(buffer, offset, length);
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            };
            int exitCode = Dagctl.run(new CliEnvironment(Map.of("DAGCTL_HOME", cli.home().toString(),
                    "DAGCTL_DAGS_PATH", bundle.toString()), temp), new PrintWriter(out, true),
                    new PrintWriter(new StringWriter(), true), command.toArray(String[]::new));

            assertThat(exitCode).as("dagctl %s", command).isZero();
            assertThat(printed.toString().lines().filter(line -> line.contains("dagctl_class_data_recording")))
                    .as("dagctl %s", command).hasSize(command.get(0).equals("logs") ? 20_000 : 1);
            assertThat(heldWhilePrinting).as("what dagctl %s printed while it held %s without serving it", command,
                    file).isEmpty();
            // One read straight from the file: dagctl logs reads its second part of the log through a server.
            assertThat(servedWhilePrinting.isEmpty()).as("whether dagctl %s printed nothing while it served %s",
                    command, file).isEqualTo(!command.get(0).equals("logs"));
        }
    }

    /** Whether nothing holds the file, in this process or another: it can be locked whole, which is then undone. */
    private static boolean lockable(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            return lock != null;
        } catch (OverlappingFileLockException heldHere) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
