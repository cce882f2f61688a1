package io.dagctl.dags;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.ConnectionUri;
import io.dagctl.Connections;
import io.dagctl.RunState;
import io.dagctl.Secrets;
import io.dagctl.TaskState;
import io.dagctl.dags.demo.DemoData;
import io.dagctl.embedded.testing.SharedLocalS3;
import io.dagctl.embedded.testing.SharedPostgres;
import io.dagctl.hooks.http.HttpHookModule;
import io.dagctl.hooks.postgres.PostgresHook;
import io.dagctl.hooks.postgres.PostgresHookModule;
import io.dagctl.hooks.s3.S3HookModule;
import io.dagctl.hooks.slack.SlackHookModule;
import io.dagctl.internal.discovery.DagDiscovery;
import io.dagctl.spec.DagSpec;
import io.dagctl.testkit.DagRunResult;
import io.dagctl.testkit.DagTestKit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A detect_data_drift run with a PostgreSQL password and a Slack webhook URL in its connections leaves neither in
 * any task log file, on the console, in a task error or in XCom.
 */
class SecretsInRunOutputTest {
    private static final String WEBHOOK_TOKEN = "xoxbSecretWebhookToken42";
    private static final String WEBHOOK_PATH = "/services/T0SECRET/B0SECRET/" + WEBHOOK_TOKEN;

    private static final DagSpec DAG = DagDiscovery.load(DetectDataDrift.class);

    private static MockWebServer slack;
    private static PostgresHook bikes;
    private static String postgresPassword;
    private static String webhookUrl;
    private static Connections connections;
    private static volatile boolean slackRejects;

    @BeforeAll
    static void startServers() throws IOException {
        slack = new MockWebServer();
        slack.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                // A rejecting server that echoes the path it was called on, as many do.
                return slackRejects ? new MockResponse().setResponseCode(403).setBody("invalid_token for "
                        + request.getPath()) : new MockResponse().setBody("ok");
            }
        });
        slack.start();
        webhookUrl = slack.url(WEBHOOK_PATH).toString();
        String database = SharedPostgres.freshDatabase("secrets");
        postgresPassword = SharedPostgres.server().password();
        bikes = new PostgresHook(ConnectionUri.parse("bike_db", database));
        connections = TestServices.connections(Map.of("bike_db", database,
                "s3_default", SharedLocalS3.connectionUri("secrets-runs"),
                "http_default", slack.url("/").toString(), "slack_default", webhookUrl));
    }

    @AfterAll
    static void stopSlack() throws IOException {
        slack.shutdown();
    }

    @BeforeEach
    void startFromTheReference() {
        DemoData.seedBikes(bikes);
        slackRejects = false;
    }

    @Test
    void aRunThatTellsSlackLeavesNeitherThePasswordNorTheWebhookAnywhere() {
        Output output = capture(() -> run());

        assertThat(output.result.runState()).as(output.result.toString()).isEqualTo(RunState.SUCCESS);
        assertThat(output.result.taskState("notify_drift")).isEqualTo(TaskState.SUCCESS);
        assertThat(slack.getRequestCount()).isPositive();
        assertNoSecretIn(output);
    }

    @Test
    void aSlackRejectionThatEchoesTheWebhookIsReportedMasked() {
        slackRejects = true;

        Output output = capture(() -> run());

        assertThat(output.result.runState()).isEqualTo(RunState.FAILED);
        assertThat(output.result.taskState("notify_drift")).isEqualTo(TaskState.FAILED);
        assertThat(output.result.error("notify_drift")).hasValueSatisfying(error -> assertThat(error)
                .contains("Slack webhook (connection slack_default) rejected the message: HTTP 403 invalid_token for "
                        + Secrets.MASK));
        assertNoSecretIn(output);
    }

    private static DagRunResult run() {
        return DagTestKit.forDag(DAG)
                .modules(new PostgresHookModule(), new S3HookModule(), new HttpHookModule(), new SlackHookModule())
                .connections(connections)
                .run();
    }

    private static void assertNoSecretIn(Output output) {
        String[] secrets = {postgresPassword, webhookUrl, WEBHOOK_PATH, WEBHOOK_TOKEN};
        assertThat(Secrets.mask(postgresPassword)).as("the password is registered").isEqualTo(Secrets.MASK);
        assertThat(Secrets.mask(webhookUrl)).as("the webhook is registered").doesNotContain(WEBHOOK_TOKEN);

        DagRunResult result = output.result;
        assertThat(output.console).as("the console shows the run")
                .contains("Run " + result.runId() + " of DAG detect_data_drift ended");
        assertThat(output.console).doesNotContain(secrets);

        Set<Path> files = output.logFiles;
        int tries = result.taskStates().keySet().stream().mapToInt(result::tries).sum();
        assertThat(files).as("one log file per try").hasSize(tries);
        for (Path file : files) {
            assertThat(read(file)).as(file.toString()).doesNotContain(secrets);
        }
        for (String task : result.taskStates().keySet()) {
            result.error(task).ifPresent(error -> assertThat(error).as("error of " + task).doesNotContain(secrets));
            if (result.taskState(task) == TaskState.SUCCESS && DAG.task(task).returnsValue()) {
                assertThat(result.xcomJson(task)).as("XCom of " + task).doesNotContain(secrets);
            }
        }
    }

    /** What a run printed to the console, and the task log files it wrote. */
    private record Output(DagRunResult result, String console, Set<Path> logFiles) {
    }

    /**
     * Runs {@code run} with the console teed into a buffer, then collects the log files it wrote: the test kit
     * keeps them in a new {@code dagctl-testkit-*} directory under the temporary directory.
     */
    private static Output capture(Supplier<DagRunResult> run) {
        Set<Path> kitDirectories = testKitDirectories();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream out = System.out;
        PrintStream err = System.err;
        System.setOut(tee(out, console));
        System.setErr(tee(err, console));
        DagRunResult result;
        try {
            result = run.get();
        } finally {
            System.out.flush();
            System.err.flush();
            System.setOut(out);
            System.setErr(err);
        }
        List<Path> files = new ArrayList<>();
        for (Path directory : testKitDirectories()) {
            if (!kitDirectories.contains(directory)) {
                try (Stream<Path> paths = Files.walk(directory)) {
                    paths.filter(Files::isRegularFile)
                            .filter(p -> p.toString().contains("run_id=" + result.runId()))
                            .forEach(files::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return new Output(result, console.toString(StandardCharsets.UTF_8), Set.copyOf(files));
    }

    private static Set<Path> testKitDirectories() {
        try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return entries.filter(p -> p.getFileName().toString().startsWith("dagctl-testkit-"))
                    .collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static PrintStream tee(PrintStream original, ByteArrayOutputStream copy) {
        return new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                original.write(b);
                copy.write(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                original.write(bytes, offset, length);
                copy.write(bytes, offset, length);
            }
        }, true, StandardCharsets.UTF_8);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
