package io.dagctl.cli.badinput;

import static io.dagctl.cli.badinput.BadInputCli.assertUsageError;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Run ids follow one grammar, checked before a run exists; printed hints quote them for the shell. */
class RunIdsTest {
    private static final String RULE = "a run id is 1 to 200 letters, digits and _ - . : + ~ (not only dots)";

    @TempDir
    Path temp;

    private BadInputCli cli() {
        return new BadInputCli(temp.resolve("home"));
    }

    private void assertRefused(BadInputCli cli, BadInputCli.Result result, String shownId) {
        assertUsageError(result, "run id " + shownId + " is not valid: " + RULE);
    }

    @Test
    void aRunIdThatClimbsOutOfTheHomeIsRefusedAndWritesNothingAnywhere() {
        BadInputCli cli = cli();

        BadInputCli.Result trigger = cli.run("trigger", "cli_fixture", "--run-id", "x/../../../../" + temp.resolve("escaped"));

        assertRefused(cli, trigger, "'x/../../../../" + temp.resolve("escaped") + "'");
        cli.assertHomeUntouched();
        assertThat(temp.resolve("escaped")).doesNotExist();
        assertThat(BadInputCli.files(temp)).isEmpty();
    }

    @Test
    void anEmptyRunIdIsRefused() {
        BadInputCli cli = cli();

        assertRefused(cli, cli.run("trigger", "cli_fixture", "--run-id", ""), "''");
        cli.assertHomeUntouched();
    }

    @Test
    void aRunIdOfOnlyDotsIsRefused() {
        BadInputCli cli = cli();

        assertRefused(cli, cli.run("trigger", "cli_fixture", "--run-id", ".."), "'..'");
        cli.assertHomeUntouched();
    }

    @Test
    void aRunIdWithShellSyntaxIsRefused() {
        BadInputCli cli = cli();

        assertRefused(cli, cli.run("trigger", "cli_fixture", "--run-id", "a;rm -rf ~;$(id)", "--no-wait"),
                "'a;rm -rf ~;$(id)'");
        cli.assertHomeUntouched();
    }

    @Test
    void aRunIdWithASpaceIsRefused() {
        BadInputCli cli = cli();

        assertRefused(cli, cli.run("trigger", "cli_fixture", "--run-id", "march run"), "'march run'");
        cli.assertHomeUntouched();
    }

    @Test
    void aRunIdWithLettersOutsideAsciiIsRefused() {
        BadInputCli cli = cli();

        assertRefused(cli, cli.run("trigger", "cli_fixture", "--run-id", "café"), "'café'");
        cli.assertHomeUntouched();
    }

    @Test
    void aRunIdWithControlCharactersIsRefusedAndShownEscaped() {
        BadInputCli cli = cli();

        assertRefused(cli, cli.run("trigger", "cli_fixture", "--run-id", "x\u001b]0;pwned\u0007\n"),
                "'x\\u001b]0;pwned\\u0007\\u000a'");
        cli.assertHomeUntouched();
    }

    @Test
    void aRunIdOfFiveThousandCharactersIsRefusedWithoutRepeatingItWhole() {
        BadInputCli cli = cli();

        assertRefused(cli, cli.run("trigger", "cli_fixture", "--run-id", "r".repeat(5000)),
                "'" + "r".repeat(60) + "'... (5000 characters)");
        cli.assertHomeUntouched();
    }

    @Test
    void aRunIdOneCharacterOverTheLimitIsRefused() {
        BadInputCli cli = cli();

        assertRefused(cli, cli.run("trigger", "cli_fixture", "--run-id", "r".repeat(201)),
                "'" + "r".repeat(60) + "'... (201 characters)");
        cli.assertHomeUntouched();
    }

    @Test
    void aRunIdAtTheLimitRunsAndKeepsItsLogsUnderTheHome() {
        BadInputCli cli = cli();
        String longest = "r".repeat(200);

        BadInputCli.Result trigger = cli.run("trigger", "cli_fixture", "--run-id", longest);

        assertThat(trigger.exitCode()).as(trigger.toString()).isZero();
        assertThat(trigger.out()).contains("run " + longest + " of DAG cli_fixture: success");
        assertThat(temp.resolve("home/logs/dag_id=cli_fixture/run_id=" + longest + "/task_id=greet/attempt=1.log"))
                .isRegularFile();
    }

    @Test
    void everyCharacterOfTheGrammarIsAcceptedAndTheHintQuotesWhatAShellWouldExpand() {
        BadInputCli cli = cli();

        BadInputCli.Result trigger = cli.run("trigger", "cli_fixture", "--run-id", "~Aa9_-.:+~", "--no-wait");

        assertThat(trigger.exitCode()).as(trigger.toString()).isZero();
        assertThat(trigger.out()).isEqualTo("created run ~Aa9_-.:+~ of DAG cli_fixture\n"
                + "execute it with: dagctl resume '~Aa9_-.:+~'\n");
    }

    @Test
    void aPlainRunIdIsPrintedUnquotedInTheHint() {
        BadInputCli.Result trigger = cli().run("trigger", "cli_fixture", "--run-id", "manual__2011-03-01T00:00:00+00:00",
                "--no-wait");

        assertThat(trigger.out()).endsWith("execute it with: dagctl resume manual__2011-03-01T00:00:00+00:00\n");
    }

    @Test
    void statusOfARunIdOutsideTheGrammarNamesTheRule() {
        BadInputCli cli = cli();

        assertRefused(cli, cli.run("status", "../../etc/passwd"), "'../../etc/passwd'");
        cli.assertNoRunAndNoLog();
    }

    @Test
    void logsOfARunIdOutsideTheGrammarReadNoFile() {
        BadInputCli cli = cli();

        assertRefused(cli, cli.run("logs", "../../../etc", "greet"), "'../../../etc'");
        cli.assertNoRunAndNoLog();
    }

    @Test
    void clearOfARunIdOutsideTheGrammarNamesTheRule() {
        BadInputCli cli = cli();

        assertRefused(cli, cli.run("clear", "r".repeat(5000)), "'" + "r".repeat(60) + "'... (5000 characters)");
        cli.assertNoRunAndNoLog();
    }

    @Test
    void resumeOfAnEmptyRunIdNamesTheRule() {
        BadInputCli cli = cli();

        assertRefused(cli, cli.run("resume", ""), "''");
        cli.assertNoRunAndNoLog();
    }

    @Test
    void xcomOfARunIdOutsideTheGrammarNamesTheRule() {
        BadInputCli cli = cli();

        assertRefused(cli, cli.run("xcom", "a b"), "'a b'");
        cli.assertNoRunAndNoLog();
    }
}
