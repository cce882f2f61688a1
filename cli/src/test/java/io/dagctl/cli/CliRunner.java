package io.dagctl.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Runs dagctl command lines against one temporary home, with captured output, as a user's shell would. */
final class CliRunner {
    private final Path home;
    private final Map<String, String> variables = new HashMap<>();

    CliRunner(Path home) {
        this.home = home;
        variables.put("DAGCTL_HOME", home.toString());
        // Tests run two tasks at most at once; a small pool keeps the shared machine responsive.
        variables.put("DAGCTL_PARALLELISM", "2");
    }

    CliRunner with(String variable, String value) {
        variables.put(variable, value);
        return this;
    }

    Path home() {
        return home;
    }

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Dagctl.run(new CliEnvironment(variables, home), new PrintWriter(out, true),
                new PrintWriter(err, true), args);
        return new Result(exitCode, out.toString(), err.toString(), home.toString());
    }

    /** The runs recorded in the home's metadata database, as {@code dagctl runs --json} reports them. */
    String runsJson() {
        Result runs = run("runs", "--json");
        if (runs.exitCode() != 0) {
            throw new AssertionError("dagctl runs failed: " + runs);
        }
        return runs.out().strip();
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What a command printed and returned. {@link #plainOut()} replaces what changes from run to run (the home
     * directory, instants, durations) so that the rest can be compared exactly.
     */
    record Result(int exitCode, String out, String err, String home) {
        String plainOut() {
            return plain(out);
        }

        String plainErr() {
            return plain(err);
        }

        /**
         * The output without the "running" lines of the progress view: whether a poll sees a task running depends on
         * how long it runs.
         */
        String plainProgress() {
            return plainOut().replaceAll("(?m)^  \\S+ +running +try \\d+/\\d+\\n", "");
        }

        /** Table cells keep their width: a second-precision instant and a duration under ten seconds. */
        private String plain(String text) {
            return text.replace(home, "<home>")
                    .replaceAll("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ", "YYYY-MM-DDTHH:MM:SSZ")
                    .replaceAll("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d+Z", "<time>")
                    .replaceAll("\\b\\d\\.\\ds\\b", "N.Ns");
        }
    }
}
