package io.dagctl.cli.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.cli.CompiledDags;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failure says what is wrong and where, not which wrapper carried it. */
class ErrorCauseTest {
    @TempDir
    static Path bundle;
    /** The DAGs whose hooks cannot be built, on the DAGs path of these tests only. */
    static Path dags;

    @TempDir
    Path home;

    @BeforeAll
    static void compileDags() throws IOException {
        dags = CompiledDags.compileResource(bundle, "badinput-dags/ErrorCauseDags.java");
    }

    private BadInputCli cli() {
        return new BadInputCli(home).with("DAGCTL_DAGS_PATH", dags.toString());
    }

    @Test
    void aConnectionOfTheWrongSchemeFailsItsTaskOnceWithTheHooksOwnMessage() {
        BadInputCli cli = cli().with("DAGCTL_CONN_BOOKING_DB", "mysql://app:mysql-pw-1@db.example/bookings");

        BadInputCli.Result trigger = cli.run("trigger", "badinput_bookings_count", "--run-id", "mysql");
        BadInputCli.Result status = cli.run("status", "mysql");

        String cause = "connection 'booking_db' has scheme 'mysql': a PostgresHook needs "
                + "postgresql://login:password@host:port/database";
        assertThat(trigger.exitCode()).isEqualTo(1);
        assertThat(trigger.out()).containsPattern("\n  count_bookings +failed +try 1/3 in \\d+\\.\\ds: "
                + java.util.regex.Pattern.quote(cause) + "\n");
        assertThat(status.out()).contains(cause + "\n").doesNotContain("up_for_retry");
        assertThat(trigger.out() + trigger.err() + status.out() + status.err())
                .doesNotContain("ProvisionException").doesNotContain("Unable to provision").doesNotContain("mysql-pw-1");
    }

    @Test
    void aConnectionNobodyConfiguredNamesTheVariableToSet() {
        BadInputCli cli = cli();

        BadInputCli.Result trigger = cli.run("trigger", "badinput_warehouse_count", "--run-id", "missing");

        assertThat(trigger.exitCode()).isEqualTo(1);
        assertThat(trigger.out()).containsPattern("\n  count_orders +failed +try 1/1 in \\d+\\.\\ds: "
                + java.util.regex.Pattern.quote("WarehouseCount needs a PostgresHook: connection 'warehouse_db' is not"
                + " configured: set DAGCTL_CONN_WAREHOUSE_DB to its URI") + "\n");
        assertThat(cli.run("status", "missing").out()).doesNotContain("ProvisionException");
    }

    @Test
    void aHomeThatIsAFileIsOneSentenceWithTheFix() throws IOException {
        Path file = Files.writeString(home.resolve("notes.txt"), "not a directory");
        BadInputCli cli = cli().with("DAGCTL_HOME", file.toString());

        BadInputCli.Result runs = cli.run("runs");

        assertThat(runs.exitCode()).isEqualTo(2);
        assertThat(runs.out()).isEmpty();
        assertThat(runs.err()).isEqualTo("dagctl: DAGCTL_HOME " + file + " is not a directory but a file; remove the"
                + " file or set DAGCTL_HOME to a directory (it holds the metadata database, task logs and embedded"
                + " services' data)\n");
        assertThat(Files.readString(file)).isEqualTo("not a directory");
    }

    @Test
    void aHomeBelowAFileIsOneSentenceWithTheFix() throws IOException {
        Path file = Files.writeString(home.resolve("notes.txt"), "not a directory");
        Path below = file.resolve("dagctl");
        BadInputCli cli = cli().with("DAGCTL_HOME", below.toString());

        BadInputCli.Result trigger = cli.run("trigger", "badinput_warehouse_count");

        assertThat(trigger.exitCode()).isEqualTo(2);
        assertThat(trigger.err()).isEqualTo("dagctl: DAGCTL_HOME " + below + " cannot be created: " + file
                + " is a file; set DAGCTL_HOME to a directory (it holds the metadata database, task logs and embedded"
                + " services' data)\n");
    }

    @Test
    void aHomeThatCannotBeWrittenIsOneSentenceWithTheFix() {
        // sysfs takes no new directories, not even from root (which a read-only chmod would not stop).
        Path readOnly = Path.of("/sys/dagctl-home");
        String reason = System.getProperty("user.name").equals("root") ? "operation not permitted" : "permission denied";
        BadInputCli cli = cli().with("DAGCTL_HOME", readOnly.toString());

        BadInputCli.Result trigger = cli.run("trigger", "badinput_warehouse_count");

        assertThat(trigger.exitCode()).isEqualTo(2);
        assertThat(trigger.err()).isEqualTo("dagctl: DAGCTL_HOME " + readOnly + " cannot be written: " + reason
                + "; make it writable or set DAGCTL_HOME to a directory you can write (it holds the metadata database,"
                + " task logs and embedded services' data)\n");
    }
}
