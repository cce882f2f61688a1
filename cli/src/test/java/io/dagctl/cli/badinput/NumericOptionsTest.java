package io.dagctl.cli.badinput;

import static io.dagctl.cli.badinput.BadInputCli.assertUsageError;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Counts and durations out of range are usage errors that name the option, not SQL errors or endless loops. */
class NumericOptionsTest {
    @TempDir
    Path home;

    private BadInputCli cli() {
        return new BadInputCli(home);
    }

    @Test
    void aNegativeRunsLimitIsRefused() {
        BadInputCli cli = cli();

        assertUsageError(cli.run("runs", "-n", "-5"), "-n/--limit must be 1 or more, not -5");
        cli.assertHomeUntouched();
    }

    @Test
    void aZeroRunsLimitIsRefused() {
        BadInputCli cli = cli();

        assertUsageError(cli.run("runs", "--limit", "0"), "-n/--limit must be 1 or more, not 0");
        cli.assertHomeUntouched();
    }

    @Test
    void aRunsLimitThatIsNotANumberIsRefused() {
        BadInputCli cli = cli();

        BadInputCli.Result runs = cli.run("runs", "-n", "lots");

        assertThat(runs.exitCode()).isEqualTo(2);
        assertThat(runs.out()).isEmpty();
        assertThat(runs.err()).isEqualTo("dagctl runs: invalid value for option '-n/--limit': 'lots' is not an int\n");
        cli.assertHomeUntouched();
    }

    @Test
    void aNegativeCountOfNextIntervalsIsRefused() {
        BadInputCli cli = cli();

        assertUsageError(cli.run("next", "cli_fixture", "-n", "-1"), "-n must be 1 or more, not -1");
        cli.assertHomeUntouched();
    }

    @Test
    void aSchedulerLoopOfZeroIsRefusedRatherThanSpinning() {
        BadInputCli cli = cli();

        assertUsageError(cli.run("scheduler", "--every", "PT0S"),
                "--every must be a positive ISO-8601 duration such as PT5S, not PT0S");
        cli.assertHomeUntouched();
    }

    @Test
    void aNegativeSchedulerLoopIsRefused() {
        BadInputCli cli = cli();

        assertUsageError(cli.run("scheduler", "--every", "-PT5S"),
                "--every must be a positive ISO-8601 duration such as PT5S, not PT-5S");
        cli.assertHomeUntouched();
    }

    @Test
    void aTryNumberOfZeroIsRefusedNamingTheTries() {
        BadInputCli cli = cli();
        assertThat(cli.run("trigger", "cli_fixture", "--run-id", "r").exitCode()).isZero();

        assertUsageError(cli.run("logs", "r", "greet", "--try", "0"), "task greet of run r has tries 1 to 1, not 0");
    }
}
