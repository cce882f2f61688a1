package io.dagctl.cli.badinput;

import static io.dagctl.cli.badinput.BadInputCli.assertUsageError;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pool names follow one grammar; a pool no task could name is never created (@Task(pool) is checked at compile time). */
class PoolNamesTest {
    private static final String RULE = "a pool name is 1 to 250 letters, digits and _ - .";

    @TempDir
    Path home;

    private BadInputCli cli() {
        return new BadInputCli(home);
    }

    private void assertRefusedWithoutAPool(BadInputCli cli, BadInputCli.Result result, String message) {
        assertUsageError(result, message);
        assertThat(cli.run("pools", "list").out()).isEqualTo("POOL  SLOTS  USED  DESCRIPTION\n");
    }

    @Test
    void anEmptyPoolNameIsRefused() {
        BadInputCli cli = cli();

        assertRefusedWithoutAPool(cli, cli.run("pools", "set", "", "3"), "pool name '' is not valid: " + RULE);
    }

    @Test
    void aPoolNameWithASpaceAndPunctuationIsRefused() {
        BadInputCli cli = cli();

        assertRefusedWithoutAPool(cli, cli.run("pools", "set", "Big Pool!", "3"),
                "pool name 'Big Pool!' is not valid: " + RULE);
    }

    @Test
    void aPoolNameOverTheLimitIsRefused() {
        BadInputCli cli = cli();

        assertRefusedWithoutAPool(cli, cli.run("pools", "set", "p".repeat(251), "3"),
                "pool name '" + "p".repeat(60) + "'... (251 characters) is not valid: " + RULE);
    }

    @Test
    void deletingAPoolNameOutsideTheGrammarNamesTheRule() {
        BadInputCli cli = cli();

        assertRefusedWithoutAPool(cli, cli.run("pools", "delete", "Big Pool!"),
                "pool name 'Big Pool!' is not valid: " + RULE);
    }

    @Test
    void negativeSlotsAreRefused() {
        BadInputCli cli = cli();

        assertRefusedWithoutAPool(cli, cli.run("pools", "set", "etl", "-1"), "pool etl needs 0 or more slots, not -1");
    }

    @Test
    void slotsThatAreNotANumberAreRefused() {
        BadInputCli cli = cli();

        BadInputCli.Result set = cli.run("pools", "set", "etl", "many");

        assertThat(set.exitCode()).isEqualTo(2);
        assertThat(set.err()).isEqualTo("dagctl pools set: invalid value for SLOTS: 'many' is not an int\n");
        assertThat(cli.run("pools", "list").out()).isEqualTo("POOL  SLOTS  USED  DESCRIPTION\n");
    }

    @Test
    void aNameOfTheGrammarIsAccepted() {
        BadInputCli cli = cli();

        BadInputCli.Result set = cli.run("pools", "set", "Big_Pool-2.0", "3");

        assertThat(set.exitCode()).as(set.toString()).isZero();
        assertThat(cli.run("pools", "list").out()).contains("Big_Pool-2.0");
    }
}
