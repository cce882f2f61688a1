package io.dagctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code dagctl worker} and {@code dagctl pools} as a user runs them. */
@Timeout(120)
class WorkerCommandsTest {
    @TempDir
    Path home;

    @Test
    void refusesToStartAWorkerOnTheEmbeddedH2Database() {
        CliRunner.Result result = new CliRunner(home).run("worker");

        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.err()).startsWith("dagctl: dagctl worker needs a PostgreSQL metadata database shared by the"
                + " workers: set DAGCTL_DB_URL (it is jdbc:h2:file:");
    }

    @Test
    void setsListsAndDeletesPools() {
        CliRunner dagctl = new CliRunner(home);

        assertThat(dagctl.run("pools", "set", "postgres", "4", "--description", "the bookings database").out())
                .isEqualTo("pool postgres: 4 slots\n");
        assertThat(dagctl.run("pools", "set", "postgres", "2").exitCode()).isZero();
        assertThat(dagctl.run("pools", "list").out()).isEqualTo("""
                POOL      SLOTS  USED  DESCRIPTION
                postgres  2      0
                """);
        assertThat(dagctl.run("pools", "delete", "postgres").out()).isEqualTo("pool postgres deleted\n");
        CliRunner.Result again = dagctl.run("pools", "delete", "postgres");
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).isEqualTo("dagctl: no pool postgres\n");
    }
}
