package io.dagctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.Secrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A task that logs a connection's password and fails with it: no output and no log file shows it. */
class SecretMaskingTest {
    private static final String PASSWORD = "vault-pw-7f3a91c2";

    @TempDir
    Path home;

    @Test
    void aLeakedPasswordIsMaskedInEveryOutputAndEveryLogFile() throws IOException {
        CliRunner cli = new CliRunner(home).with("DAGCTL_CONN_FIXTURE_VAULT",
                "https://robot:" + PASSWORD + "@vault.example/v1");

        CliRunner.Result trigger = cli.run("trigger", "cli_leaky", "--run-id", "leak");
        List<CliRunner.Result> inspections = List.of(trigger, cli.run("status", "leak"), cli.run("status", "leak", "--json"),
                cli.run("logs", "leak", "login"), cli.run("logs", "leak", "use"), cli.run("logs", "leak", "echo"),
                cli.run("xcom", "leak"), cli.run("xcom", "leak", "login"), cli.run("runs"));

        assertThat(trigger.exitCode()).isEqualTo(1);
        // "robot:<password>" is itself a secret (what basic authentication sends), so the pair may be masked whole.
        // use and echo run side by side, so their lines come in either order.
        assertThat(trigger.plainProgress()).containsPattern("\n  use +failed +try 1/1 in N\\.Ns: "
                + "java\\.lang\\.IllegalStateException: vault refused session-7 of (robot:)?\\*\\*\\*\n")
                .contains("\n  echo                             failed          try 1/1 in N.Ns: task 'echo' returned a "
                        + "value that contains a secret (a connection password or token); it is not stored in XCom\n");
        for (CliRunner.Result result : inspections) {
            assertThat(result.out() + result.err()).doesNotContain(PASSWORD);
        }
        assertThat(cli.run("logs", "leak", "login").out())
                .contains("dagctl.task.cli_leaky.login - logging in to the vault with password ***\n");
        assertThat(cli.run("logs", "leak", "use").out())
                .contains("dagctl.task.cli_leaky.use - the vault refused session-7 for password ***\n")
                .containsPattern("\njava\\.lang\\.IllegalStateException: vault refused session-7 of (robot:)?\\*\\*\\*\n");
        assertThat(cli.run("status", "leak").out())
                .containsPattern("java\\.lang\\.IllegalStateException: vault refused session-7 of (robot:)?\\*\\*\\*\n");
        assertThat(cli.run("xcom", "leak").out()).isEqualTo("""
                TASK   KEY           VALUE
                login  return_value  {"id":"session-7","user":"robot"}
                """);

        List<Path> logFiles;
        try (Stream<Path> files = Files.walk(home.resolve("logs"))) {
            logFiles = files.filter(Files::isRegularFile).toList();
        }
        assertThat(logFiles).hasSize(3);
        for (Path file : logFiles) {
            assertThat(CliRunner.read(file)).as(file.toString()).doesNotContain(PASSWORD);
        }
        Path runLogs = home.resolve("logs/dag_id=cli_leaky/run_id=leak");
        assertThat(CliRunner.read(runLogs.resolve("task_id=login/attempt=1.log"))).contains("password " + Secrets.MASK);
        assertThat(CliRunner.read(runLogs.resolve("task_id=use/attempt=1.log"))).contains("robot:" + Secrets.MASK);
    }

    @Test
    void aPasswordTooShortToMaskInTextIsWarnedOfOnceAndMaskedAsAWholeValue() {
        CliRunner cli = new CliRunner(home).with("DAGCTL_CONN_SHORT_DB", "postgresql://app:Zq@db.example/app");

        CliRunner.Result trigger = cli.run("trigger", "cli_fixture", "--run-id", "short", "-p", "name=Zq");

        assertThat(trigger.exitCode()).isZero();
        assertThat(trigger.err()).containsOnlyOnce("dagctl: warning: connection 'short_db' has a password shorter than"
                + " 4 characters, so it cannot be masked inside log text (only where it is a whole value); give it a"
                + " longer one\n");
        assertThat(cli.run("status", "short").out()).contains("\nparams: {name=***, copies=2, failWhile=}\n");
        assertThat(cli.run("status", "short", "--json").out()).contains("\"name\" : \"***\"");
        // Inside text it cannot be told from the letters of other words: this is what the warning says.
        assertThat(cli.run("xcom", "short", "greet").out()).contains("hello Zq");
    }
}
