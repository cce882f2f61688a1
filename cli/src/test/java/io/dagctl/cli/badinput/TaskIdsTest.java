package io.dagctl.cli.badinput;

import static io.dagctl.cli.badinput.BadInputCli.assertUsageError;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Task ids typed on the command line are looked up, never used as paths: an unknown one names the known ones. */
class TaskIdsTest {
    @TempDir
    Path home;

    private BadInputCli cliWithAQueuedRun() {
        BadInputCli cli = new BadInputCli(home);
        assertThat(cli.run("trigger", "cli_fixture", "--run-id", "r", "--no-wait").exitCode()).isZero();
        return cli;
    }

    private void assertNothingRan(BadInputCli cli) {
        assertThat(cli.run("status", "r", "--json").out()).doesNotContain("\"try_number\" : 1");
        assertThat(home.resolve("logs")).doesNotExist();
    }

    @Test
    void testingATaskIdThatClimbsOutIsAnUnknownTask() {
        BadInputCli cli = new BadInputCli(home);

        assertUsageError(cli.run("test", "cli_fixture", "../greet"),
                "DAG cli_fixture has no task '../greet'; its tasks: greet, check, publish");
        cli.assertHomeUntouched();
    }

    @Test
    void logsOfATaskIdThatClimbsOutReadNoFile() {
        BadInputCli cli = cliWithAQueuedRun();

        assertUsageError(cli.run("logs", "r", "../../../../etc/passwd"),
                "DAG cli_fixture has no task '../../../../etc/passwd'; its tasks: greet, check, publish");
        assertNothingRan(cli);
    }

    @Test
    void clearingAnUnknownTaskClearsNothing() {
        BadInputCli cli = cliWithAQueuedRun();

        assertUsageError(cli.run("clear", "r", "-t", "publsh"),
                "DAG cli_fixture has no task 'publsh' (did you mean 'publish'?); its tasks: greet, check, publish");
        assertNothingRan(cli);
    }

    @Test
    void xcomOfAnEmptyTaskIdIsAnUnknownTask() {
        BadInputCli cli = cliWithAQueuedRun();

        assertUsageError(cli.run("xcom", "r", ""), "run r has no task ''; its tasks: check, greet, publish");
        assertNothingRan(cli);
    }

    @Test
    void anIndexOnATaskThatIsNotMappedIsRefused() {
        BadInputCli cli = cliWithAQueuedRun();

        assertUsageError(cli.run("logs", "r", "greet[0]"), "task greet of run r has no instance [0]; it is not mapped");
        assertNothingRan(cli);
    }
}
