package io.dagctl.cli.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.ConnectionUri;
import io.dagctl.dags.demo.DemoData;
import io.dagctl.embedded.testing.SharedPostgres;
import io.dagctl.hooks.postgres.PostgresHook;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bytes from a user's file never reach the terminal as they are: a compressed or binary file is named as such, a
 * byte order mark is dropped, and escape sequences in a CSV header are printed as escapes by trigger, status, logs
 * and in the log file.
 */
class ControlCharactersTest {
    /** Clears the screen and sets the window title, as a hostile header would. */
    private static final String HOSTILE_HEADER = "\u001b[2J\u001b]0;owned\u0007dteday,cnt";

    @TempDir
    Path home;

    @Test
    void escapeSequencesInACsvHeaderAreShownEscapedEverywhere() throws IOException {
        Path csv = Files.writeString(home.resolve("hostile.csv"), HOSTILE_HEADER + "\n2011-03-01,985\n");
        BadInputCli cli = cli();

        BadInputCli.Result trigger = trigger(cli, "hostile", csv);
        BadInputCli.Result status = cli.run("status", "hostile");
        BadInputCli.Result logs = cli.run("logs", "hostile", "fetch_current");

        String shown = "CSV " + csv.toUri() + ": no column 'instant', which table 'current' needs; columns found are [\\x1b[2J\\x1b]0;owned\\x07dteday, cnt]";
        assertThat(trigger.exitCode()).isEqualTo(1);
        assertThat(trigger.out()).containsPattern("\n  fetch_current +failed +try 1/3 in \\d+\\.\\ds: "
                + Pattern.quote(shown) + "\n");
        assertThat(status.out()).contains(shown + "\n");
        assertThat(logs.out()).contains(" - Try 1 of task fetch_current failed, without retry: " + shown + "\n");
        Path logFile = dagctlHome().resolve("logs/dag_id=detect_data_drift/run_id=hostile/task_id=fetch_current/attempt=1.log");
        for (String printed : new String[] {trigger.out(), trigger.err(), status.out(), logs.out(),
                Files.readString(logFile)}) {
            assertThat(printed).doesNotContain("\u001b").doesNotContain("\u0007");
        }
    }

    @Test
    void aGzipFileIsNamedCompressed() throws IOException {
        Path gzip = home.resolve("day.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzip))) {
            out.write("dteday,cnt\n2011-03-01,985\n".getBytes(StandardCharsets.UTF_8));
        }

        BadInputCli.Result trigger = trigger(cli(), "gzip", gzip);

        assertThat(trigger.exitCode()).isEqualTo(1);
        assertThat(trigger.out()).containsPattern("\n  fetch_current +failed +try 1/3 in \\d+\\.\\ds: "
                + Pattern.quote("CSV " + gzip.toUri() + " is compressed (gzip), not text: decompress it first") + "\n");
    }

    @Test
    void aBinaryFileIsNamedNotText() throws IOException {
        Path binary = Files.write(home.resolve("model.bin"), new byte[] {'d', 't', 'e', 0, 7, (byte) 0x9b, 27, 'x'});

        BadInputCli.Result trigger = trigger(cli(), "binary", binary);

        assertThat(trigger.exitCode()).isEqualTo(1);
        assertThat(trigger.out()).containsPattern("\n  fetch_current +failed +try 1/3 in \\d+\\.\\ds: " + Pattern.quote(
                "CSV " + binary.toUri() + " is not text: it holds binary data (a zero byte at offset 3)") + "\n");
    }

    @Test
    void aUtf8ByteOrderMarkIsNotPartOfTheFirstColumnsName() throws IOException {
        Path csv = Files.writeString(home.resolve("excel.csv"), "\uFEFFinstant,dteday\n1,2011-03-01\n");

        BadInputCli.Result trigger = trigger(cli(), "bom", csv);

        assertThat(trigger.out()).containsPattern("\n  fetch_current +failed +try 1/3 in \\d+\\.\\ds: " + Pattern.quote(
                "CSV " + csv.toUri() + ": no column 'season', which table 'current' needs; columns found are [instant, dteday]") + "\n");
    }

    /** The bike tables, which fetch_current checks a window's header and cells against. */
    private static String bikes;

    @BeforeAll
    static void seedTheBikeTables() {
        bikes = SharedPostgres.freshDatabase("control_characters");
        DemoData.seedBikes(new PostgresHook(ConnectionUri.parse("bike_db", bikes)));
    }

    private BadInputCli cli() {
        return new BadInputCli(dagctlHome()).with("DAGCTL_CONN_BIKE_DB", bikes);
    }

    /** Apart from the input files. */
    private Path dagctlHome() {
        return home.resolve("home");
    }

    private BadInputCli.Result trigger(BadInputCli cli, String runId, Path csv) {
        return cli.run("trigger", "detect_data_drift", "--run-id", runId, "-p", "dataUrl=" + csv.toUri());
    }
}
