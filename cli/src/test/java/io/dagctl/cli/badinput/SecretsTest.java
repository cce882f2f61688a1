package io.dagctl.cli.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.cli.CompiledDags;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets a task, a server or a user's input spills are masked in every output, log and stored value. */
class SecretsTest {
    private static final String DB_PASSWORD = "db\"pass\\word-6b1f";
    private static final String S3_SECRET = "s3SecretKey/9c2e+Zq";
    private static final String BEARER_TOKEN = "bearerTok-4d7a0e";
    private static final String API_KEY = "hdrApiKey-8e3b21";
    private static final String WEBHOOK_TOKEN = "whTok5f0c9a7d";
    private static final String SYNTHETICS_KEY = "synthKey-2a6d4c";

    @TempDir
    static Path bundle;
    /** The DAG that spills secrets, on the DAGs path of these tests only. */
    static Path dags;

    @TempDir
    Path home;

    private MockWebServer server;

    @BeforeAll
    static void compileDags() throws IOException {
        dags = CompiledDags.compileResource(bundle, "badinput-dags/SecretsLeakingDag.java");
    }

    @BeforeEach
    void startServer() throws IOException {
        server = new MockWebServer();
        server.setDispatcher(new CredentialEchoingDispatcher());
        server.start();
    }

    @AfterEach
    void stopServer() throws IOException {
        server.shutdown();
    }

    private BadInputCli cli() {
        return new BadInputCli(home).with("DAGCTL_DAGS_PATH", dags.toString())
                .with("DAGCTL_CONN_FIXTURE_DB", "postgresql://app:" + URLEncoder.encode(DB_PASSWORD, StandardCharsets.UTF_8)
                        + "@db.example:5432/app")
                .with("DAGCTL_CONN_FIXTURE_S3", "s3://AKIAFIXTURE0001:" + URLEncoder.encode(S3_SECRET, StandardCharsets.UTF_8)
                        + "@fixture-bucket?region=eu-west-1")
                .with("DAGCTL_CONN_FIXTURE_API", server.url("/api/") + "?header.Authorization=Bearer%20" + BEARER_TOKEN
                        + "&header.X-Api-Key=" + API_KEY + "&header.Accept=text/csv&max_attempts=1")
                .with("DAGCTL_CONN_FIXTURE_SLACK", server.url("/services/T0FIXTURE/B0FIXTURE/" + WEBHOOK_TOKEN).toString())
                .with("DAGCTL_CONN_FIXTURE_SYNTHETICS", "https://synthetics.example/?api_key=" + SYNTHETICS_KEY);
    }

    @Test
    void everySecretATaskSpillsIsMaskedInItsLogItsErrorAndXCom() throws IOException {
        BadInputCli cli = cli();

        BadInputCli.Result trigger = cli.run("trigger", "badinput_secrets_leak", "--run-id", "spill");
        List<BadInputCli.Result> inspections = List.of(trigger, cli.run("status", "spill"),
                cli.run("status", "spill", "--json"), cli.run("xcom", "spill"), cli.run("logs", "spill", "print"),
                cli.run("logs", "spill", "fail"), cli.run("logs", "spill", "smuggle"), cli.run("logs", "spill", "fetch"));

        assertThat(trigger.exitCode()).isEqualTo(1);
        assertThat(trigger.out())
                .containsPattern("\n  fail +failed +try 1/1 in \\d\\.\\ds: java.lang.IllegalStateException: refused with key"
                        + " \\*\\*\\* for webhook \\*\\*\\*\n")
                .containsPattern("\n  smuggle +failed +try 1/1 in \\d\\.\\ds: task 'smuggle' returned a value that"
                        + " contains a secret \\(a connection password or token\\); it is not stored in XCom\n")
                .containsPattern("\n  fetch +failed +try 1/1 in \\d\\.\\ds: io.dagctl.hooks.http.HttpStatusException: GET "
                        + server.url("/api/data.csv") + " failed: HTTP 401 Client Error: token \\*\\*\\* is not valid\n");
        String printLog = cli.run("logs", "spill", "print").out();
        assertThat(printLog.lines().filter(l -> l.endsWith("dagctl.task.stdout - stdout: ***"))).hasSize(6);
        assertThat(printLog.lines().filter(l -> l.contains(" WARN ") && l.endsWith("dagctl.task.stderr - stderr: ***")))
                .hasSize(6);
        assertThat(printLog.lines().filter(l -> l.endsWith("dagctl.task.stdout - url-encoded: ***"))).hasSize(6);
        assertThat(printLog.lines().filter(l -> l.endsWith(" - logged: ***"))).hasSize(6);
        for (BadInputCli.Result result : inspections) {
            assertNoSecretIn(result.out() + result.err());
        }
        for (Path file : BadInputCli.files(home.resolve("logs"))) {
            assertNoSecretIn(Files.readString(file));
        }
    }

    @Test
    void aPasswordInAUrlParamIsRefusedMaskedAndNothingIsStored() {
        BadInputCli cli = new BadInputCli(home);

        BadInputCli.Result trigger = cli.run("trigger", "detect_data_drift",
                "-p", "dataUrl=https://reader:url-pw-7c4e1b@data.example/day.csv");

        assertThat(trigger.exitCode()).isEqualTo(2);
        assertThat(trigger.err()).isEqualTo("dagctl: params of DAG detect_data_drift: param 'dataUrl' holds a password"
                + " (https://reader:***@data.example/day.csv); params are stored with the run and shown by dagctl"
                + " status: give the URL without it, and the credentials in the connection that reaches its host"
                + " (DAGCTL_CONN_<ID>)\n");
        assertThat(cli.runsJson()).isEqualTo("[ ]");
        assertThat(trigger.out() + trigger.err()).doesNotContain("url-pw-7c4e1b");
    }

    @Test
    void aJdbcMetadataUrlsPasswordIsNeverPrinted() {
        BadInputCli cli = new BadInputCli(home)
                .with("DAGCTL_DB_URL", "jdbc:postgresql://meta:jdbc-pw-0e9d7f@127.0.0.1:1/dagctl");

        BadInputCli.Result runs = cli.run("runs");

        assertThat(runs.exitCode()).isEqualTo(1);
        // The driver was given the credentials apart from the URL, so its error has no place to repeat them.
        assertThat(runs.err()).startsWith("dagctl: IllegalStateException: metadata database"
                + " jdbc:postgresql://127.0.0.1:1/dagctl could not be migrated: Unable to obtain connection from database:")
                .contains("Connection to 127.0.0.1:1 refused.").doesNotContain("jdbc-pw-0e9d7f");
    }

    private static void assertNoSecretIn(String text) {
        for (String secret : List.of(DB_PASSWORD, S3_SECRET, BEARER_TOKEN, API_KEY, WEBHOOK_TOKEN, SYNTHETICS_KEY)) {
            assertThat(text).doesNotContain(secret)
                    .doesNotContain(URLEncoder.encode(secret, StandardCharsets.UTF_8));
        }
        assertThat(text).doesNotContain("db\\\"pass\\\\word");
    }
}
