package io.dagctl.cli.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.cli.CliEnvironment;
import io.dagctl.cli.Dagctl;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** dagctl run against one temporary home as a careless user would, and what it left there. */
final class BadInputCli {
    private final Path home;
    private final Map<String, String> variables = new HashMap<>();

    BadInputCli(Path home) {
        this.home = home;
        variables.put("DAGCTL_HOME", home.toString());
        variables.put("DAGCTL_PARALLELISM", "2");
    }

    BadInputCli with(String variable, String value) {
        variables.put(variable, value);
        return this;
    }

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Dagctl.run(new CliEnvironment(variables, home), new PrintWriter(out, true),
                new PrintWriter(err, true), args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    /** {@code dagctl runs --json}: the runs the metadata database holds. */
    String runsJson() {
        Result runs = run("runs", "--json");
        assertThat(runs.exitCode()).as(runs.toString()).isZero();
        return runs.out().strip();
    }

    /** Refused before anything was opened: the home holds no file at all. */
    void assertHomeUntouched() {
        assertThat(files(home)).isEmpty();
    }

    /** Refused after the metadata database was opened: no run row and no task log. */
    void assertNoRunAndNoLog() {
        assertThat(runsJson()).isEqualTo("[ ]");
        assertThat(home.resolve("logs")).doesNotExist();
    }

    /** Refused as a usage error: exit code 2, nothing on standard output and this message on standard error. */
    static void assertUsageError(Result result, String message) {
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("dagctl: " + message + "\n");
    }

    static List<Path> files(Path directory) {
        if (!Files.exists(directory)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            return walk.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Result(int exitCode, String out, String err) {
    }
}
