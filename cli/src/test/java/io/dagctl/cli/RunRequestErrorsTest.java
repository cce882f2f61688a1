package io.dagctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is wrong with a run request is reported before a run is created: params, connections, run ids. */
class RunRequestErrorsTest {
    @TempDir
    Path home;

    private CliRunner cli() {
        return new CliRunner(home);
    }

    @Test
    void anUnknownParamIsAUsageErrorAndCreatesNoRun() {
        CliRunner.Result trigger = cli().run("trigger", "cli_fixture", "-p", "copis=3");

        assertThat(trigger.exitCode()).isEqualTo(2);
        assertThat(trigger.out()).isEmpty();
        assertThat(trigger.err()).isEqualTo("dagctl: unknown param 'copis' for DAG cli_fixture (did you mean 'copies'?)\n");
        assertThat(cli().runsJson()).isEqualTo("[ ]");
    }

    @Test
    void aParamThatDoesNotParseIsAUsageErrorAndCreatesNoRun() {
        CliRunner.Result trigger = cli().run("trigger", "cli_fixture", "-p", "copies=two");

        assertThat(trigger.exitCode()).isEqualTo(2);
        assertThat(trigger.err()).isEqualTo("dagctl: param 'copies': 'two' is not an int\n");
        assertThat(cli().runsJson()).isEqualTo("[ ]");
    }

    @Test
    void aParamsRecordThatRejectsTheValuesIsAUsageErrorAndCreatesNoRun() {
        CliRunner.Result trigger = cli().run("trigger", "cli_fixture", "-p", "copies=9", "--no-wait");

        assertThat(trigger.exitCode()).isEqualTo(2);
        assertThat(trigger.err()).isEqualTo("dagctl: params of DAG cli_fixture: copies must be between 1 and 5, not 9\n");
        assertThat(cli().runsJson()).isEqualTo("[ ]");
    }

    @Test
    void aParamWithoutAValueIsAUsageError() {
        CliRunner.Result trigger = cli().run("trigger", "cli_fixture", "-p", "copies");

        assertThat(trigger.exitCode()).isEqualTo(2);
        assertThat(trigger.err()).isEqualTo("dagctl trigger: option '-p/--param' takes NAME=VALUE, not 'copies'\n");
        assertThat(cli().runsJson()).isEqualTo("[ ]");
    }

    @Test
    void aMalformedConnectionVariableIsAUsageErrorThatNamesItWithoutThePassword() {
        CliRunner.Result trigger = cli().with("DAGCTL_CONN_BOOKING_DB", "postgresql://etl:w0rd pass@db.internal/bookings")
                .run("trigger", "cli_fixture");

        assertThat(trigger.exitCode()).isEqualTo(2);
        assertThat(trigger.out()).isEmpty();
        assertThat(trigger.err()).isEqualTo("dagctl: DAGCTL_CONN_BOOKING_DB: connection 'booking_db' is not a valid URI: "
                + "Illegal character in authority at index 13\n");
        assertThat(trigger.err()).doesNotContain("w0rd");
        assertThat(cli().runsJson()).isEqualTo("[ ]");
    }

    @Test
    void aConnectionVariableWithoutSchemeIsRejectedBeforeAnyRun() {
        CliRunner.Result test = cli().with("DAGCTL_CONN_S3_DEFAULT", "//minio:minio-s3cret@localhost:9000")
                .run("trigger", "cli_fixture", "--no-wait");

        assertThat(test.exitCode()).isEqualTo(2);
        assertThat(test.err()).isEqualTo("dagctl: DAGCTL_CONN_S3_DEFAULT: connection 's3_default' has no scheme: "
                + "expected scheme://[login:password@]host[:port][/path][?key=value]\n")
                .doesNotContain("minio-s3cret");
        assertThat(cli().runsJson()).isEqualTo("[ ]");
    }

    @Test
    void aRunIdThatExistsIsAUsageError() {
        assertThat(cli().run("trigger", "cli_fixture", "--run-id", "once", "--no-wait").exitCode()).isZero();

        CliRunner.Result again = cli().run("trigger", "cli_fixture", "--run-id", "once");

        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).isEqualTo("dagctl: DAG cli_fixture already has a run once\n");
    }
}
