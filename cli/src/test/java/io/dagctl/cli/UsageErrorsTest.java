package io.dagctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Command lines dagctl cannot parse are refused in one line that names the command and what was typed, with the
 * closest name when it looks like a typo, and exit code 2; nothing is created.
 */
class UsageErrorsTest {
    @TempDir
    Path temp;

    private CliRunner.Result run(String... args) {
        return new CliRunner(temp.resolve("home")).run(args);
    }

    private void assertUsageError(CliRunner.Result result, String line) {
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo(line + "\n");
        assertThat(temp.resolve("home")).doesNotExist();
    }

    @Test
    void aMisspeltCommandSuggestsTheClosestOne() {
        assertUsageError(run("trigerr", "cli_fixture"), "dagctl: unknown command 'trigerr' (did you mean 'trigger'?)");
    }

    @Test
    void anUnknownCommandWithNoCloseOneIsNamedAlone() {
        assertUsageError(run("frobnicate"), "dagctl: unknown command 'frobnicate'");
    }

    @Test
    void anUnknownOptionIsNamedWithItsCommand() {
        assertUsageError(run("trigger", "cli_fixture", "--foo"), "dagctl trigger: unknown option '--foo'");
    }

    @Test
    void aMisspeltOptionSuggestsTheClosestOne() {
        assertUsageError(run("trigger", "cli_fixture", "--run-di=nightly"),
                "dagctl trigger: unknown option '--run-di' (did you mean '--run-id'?)");
    }

    @Test
    void anUnknownOptionOfASubcommandsSubcommandNamesBoth() {
        assertUsageError(run("runs", "delete", "r1", "--forse"), "dagctl runs delete: unknown option '--forse'");
    }

    @Test
    void anUnknownOptionBeforeTheCommandIsTheRootCommands() {
        assertUsageError(run("--dags-pth", "x", "list"),
                "dagctl: unknown option '--dags-pth' (did you mean '--dags-path'?)");
    }

    @Test
    void anArgumentTooManyIsNamed() {
        assertUsageError(run("status", "r1", "r2"), "dagctl status: unexpected argument 'r2'");
    }

    @Test
    void aMissingArgumentIsNamed() {
        assertUsageError(run("show"), "dagctl show: missing required parameter: 'DAG'");
    }
}
