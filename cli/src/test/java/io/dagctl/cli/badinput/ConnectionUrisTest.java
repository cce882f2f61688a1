package io.dagctl.cli.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connection URIs are parsed whole when they are read at start-up, naming the connection and never its password,
 * rather than failing every try when a hook is built.
 */
class ConnectionUrisTest {
    private static final String PASSWORD = "etl-pw-93b1";

    @TempDir
    Path home;

    private BadInputCli cliWith(String uri) {
        return new BadInputCli(home).with("DAGCTL_CONN_BOOKING_DB", uri);
    }

    private static void assertUsageError(BadInputCli.Result result, String message) {
        BadInputCli.assertUsageError(result, message);
        assertThat(result.err()).doesNotContain(PASSWORD);
    }

    @Test
    void aPortWithALetterIsRefusedAtStartUp() {
        BadInputCli cli = cliWith("postgresql://etl:" + PASSWORD + "@db.internal:5x432/bookings");

        assertUsageError(cli.run("trigger", "cli_fixture"), "DAGCTL_CONN_BOOKING_DB: connection 'booking_db' has port "
                + "'5x432', which is not a number from 0 to 65535");
        cli.assertHomeUntouched();
    }

    @Test
    void aPortOverTheLargestIsRefusedAtStartUp() {
        BadInputCli cli = cliWith("postgresql://etl:" + PASSWORD + "@db.internal:99999/bookings");

        assertUsageError(cli.run("trigger", "cli_fixture"), "DAGCTL_CONN_BOOKING_DB: connection 'booking_db' has port "
                + "'99999', which is not a number from 0 to 65535");
        cli.assertHomeUntouched();
    }

    @Test
    void aNegativePortIsRefusedAtStartUp() {
        BadInputCli cli = cliWith("postgresql://etl:" + PASSWORD + "@db.internal:-5432/bookings");

        assertUsageError(cli.run("trigger", "cli_fixture"), "DAGCTL_CONN_BOOKING_DB: connection 'booking_db' has port "
                + "'-5432', which is not a number from 0 to 65535");
        cli.assertHomeUntouched();
    }

    @Test
    void aPortOfAnIpv6HostWithALetterIsRefusedAtStartUp() {
        BadInputCli cli = cliWith("postgresql://etl:" + PASSWORD + "@[::1]:54e2/bookings");

        assertUsageError(cli.run("trigger", "cli_fixture"), "DAGCTL_CONN_BOOKING_DB: connection 'booking_db' is not a "
                + "valid URI: Illegal character in port number at index 37");
        cli.assertHomeUntouched();
    }

    @Test
    void aUriWithASpaceIsRefusedWithoutThePassword() {
        BadInputCli cli = cliWith("postgresql://etl:" + PASSWORD + "@db internal/bookings");

        assertUsageError(cli.run("trigger", "cli_fixture"), "DAGCTL_CONN_BOOKING_DB: connection 'booking_db' is not a "
                + "valid URI: Illegal character in authority at index 13");
        cli.assertHomeUntouched();
    }

    @Test
    void aWellFormedUriWithAPortIsAccepted() {
        BadInputCli.Result trigger = cliWith("postgresql://etl:" + PASSWORD + "@db.internal:5432/bookings")
                .run("trigger", "cli_fixture", "--no-wait");

        assertThat(trigger.exitCode()).as(trigger.toString()).isZero();
    }
}
