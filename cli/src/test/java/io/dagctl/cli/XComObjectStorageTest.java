package io.dagctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.internal.store.MetadataStore;
import io.dagctl.internal.store.StoreLocation;
import io.dagctl.internal.store.XComEntry;
import io.dagctl.internal.xcom.XComReference;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** XCom values over DAGCTL_XCOM_OBJECTSTORAGE_THRESHOLD go to the embedded S3; dagctl xcom shows them resolved. */
class XComObjectStorageTest {
    private static final String SPILLED_PUBLISH = "[ \"hello world (11)\", \"hello world (11)\" ]\n";

    @TempDir
    Path home;

    private CliRunner spillingCli() {
        // greet's and publish's JSON are over 16 bytes, check's (11) is not.
        return new CliRunner(home)
                .with("DAGCTL_XCOM_OBJECTSTORAGE_PATH", "s3://s3_default@dagctl/xcom")
                .with("DAGCTL_XCOM_OBJECTSTORAGE_THRESHOLD", "16");
    }

    @Test
    void xcomShowsSpilledValuesResolvedWhileTheDatabaseKeepsOnlyTheirReferences() {
        CliRunner cli = spillingCli();
        CliRunner.Result trigger = cli.run("trigger", "cli_fixture", "--run-id", "spill");
        assertThat(trigger.exitCode()).as(trigger.toString()).isZero();
        assertThat(trigger.out()).contains("  publish returned [\"hello world (11)\",\"hello world (11)\"]\n");

        CliRunner.Result publish = cli.run("xcom", "spill", "publish");
        assertThat(publish.exitCode()).isZero();
        assertThat(publish.out()).isEqualTo(SPILLED_PUBLISH);
        CliRunner.Result all = cli.run("xcom", "spill");
        assertThat(all.exitCode()).isZero();
        assertThat(all.out()).isEqualTo("""
                TASK     KEY           VALUE
                check    return_value  11
                greet    return_value  {"text":"hello world","copies":2}
                publish  return_value  ["hello world (11)","hello world (11)"]
                """);

        try (MetadataStore store = MetadataStore.open(StoreLocation.fromEnvironment(Map.of(), home))) {
            String publishRow = store.findXCom("cli_fixture", "spill", "publish", XComEntry.RETURN_VALUE)
                    .orElseThrow().storedValue();
            assertThat(XComReference.parse(publishRow).orElseThrow().uri())
                    .matches("s3://dagctl/xcom/cli_fixture/spill/publish/[0-9a-f-]{36}\\.json");
            assertThat(store.findXCom("cli_fixture", "spill", "check", XComEntry.RETURN_VALUE)
                    .orElseThrow().storedValue()).isEqualTo("11");
        }
    }

    @Test
    void withoutThePathVariableXComNamesItInsteadOfShowingTheReference() {
        assertThat(spillingCli().run("trigger", "cli_fixture", "--run-id", "spill").exitCode()).isZero();

        CliRunner.Result publish = new CliRunner(home).run("xcom", "spill", "publish");

        assertThat(publish.exitCode()).isEqualTo(1);
        assertThat(publish.out()).isEmpty();
        assertThat(publish.err()).matches("dagctl: XComException: the value of task 'publish' in run spill is kept"
                + " in s3://dagctl/xcom/cli_fixture/spill/publish/[0-9a-f-]{36}\\.json, but no object store is"
                + " configured for XCom: set DAGCTL_XCOM_OBJECTSTORAGE_PATH as when the run stored it\n");
    }

    @Test
    void aMalformedPathIsAUsageErrorAndCreatesNoRun() {
        CliRunner cli = new CliRunner(home).with("DAGCTL_XCOM_OBJECTSTORAGE_PATH", "s3://dagctl/xcom");

        CliRunner.Result trigger = cli.run("trigger", "cli_fixture");

        assertThat(trigger.exitCode()).isEqualTo(2);
        assertThat(trigger.out()).isEmpty();
        assertThat(trigger.err()).isEqualTo("dagctl: DAGCTL_XCOM_OBJECTSTORAGE_PATH must be"
                + " s3://<connection_id>@<bucket>/<prefix>, e.g. s3://s3_default@dagctl/xcom, not 's3://dagctl/xcom':"
                + " it names no connection before '@'\n");
        assertThat(cli.runsJson()).isEqualTo("[ ]");
    }
}
