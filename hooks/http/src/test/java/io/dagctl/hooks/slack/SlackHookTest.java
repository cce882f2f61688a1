package io.dagctl.hooks.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.Guice;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import io.dagctl.ConnectionUri;
import io.dagctl.HookFactory;
import io.dagctl.Notification;
import io.dagctl.Secrets;
import io.dagctl.hooks.http.internal.RetryPolicy;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class SlackHookTest {
    private static final String WEBHOOK_PATH = "/services/T0AAA1111/B0BBB2222/xoxbSecretWebhookToken42";
    private static final ObjectMapper JSON = new ObjectMapper();

    private MockWebServer slack;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void start() throws IOException {
        slack = new MockWebServer();
        slack.start();
        logs.start();
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    }

    @AfterEach
    void stop() throws IOException {
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        slack.shutdown();
    }

    private String webhookUrl() {
        return "http://127.0.0.1:" + slack.getPort() + WEBHOOK_PATH;
    }

    private SlackHook hook(String uri) {
        RetryPolicy fast = new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(5));
        return new SlackHookFactory(fast).create(ConnectionUri.parse("slack_default", uri));
    }

    private static JsonNode body(RecordedRequest request) throws IOException {
        return JSON.readTree(request.getBody().readUtf8());
    }

    private void assertNoLogOrErrorShowsTheWebhook(Throwable error) {
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).doesNotContain("xoxbSecretWebhookToken42");
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(line -> line.contains("xoxbSecretWebhookToken42"));
    }

    @Test
    void postsTextAndBlocksToTheWebhook() throws Exception {
        slack.enqueue(new MockResponse().setBody("ok"));

        hook(webhookUrl()).send(SlackMessage.of("Drift report ready").withHeader("Drift report")
                .withSection("*3* features drifted").withFields(Map.of("Window", "2011-03")).withContext("dagctl"));

        RecordedRequest request = slack.takeRequest();
        assertThat(request.getPath()).isEqualTo(WEBHOOK_PATH);
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getHeader("Content-Type")).isEqualTo("application/json; charset=utf-8");
        assertThat(body(request)).isEqualTo(JSON.readTree("""
                {"text": "Drift report ready", "blocks": [
                  {"type": "header", "text": {"type": "plain_text", "text": "Drift report", "emoji": true}},
                  {"type": "section", "text": {"type": "mrkdwn", "text": "*3* features drifted"}},
                  {"type": "section", "fields": [{"type": "mrkdwn", "text": "*Window*\\n2011-03"}]},
                  {"type": "context", "elements": [{"type": "mrkdwn", "text": "dagctl"}]}]}
                """));
    }

    @Test
    void aFailureNotificationBecomesASummaryWithTheError() throws Exception {
        slack.enqueue(new MockResponse().setBody("ok"));

        hook(webhookUrl()).notify(new Notification("detect_data_drift", "manual__2011-03-01", Optional.of("load_rides"),
                "FAILED", 2, Optional.of("file not found: rides.csv\n\tat Loader.load")));

        JsonNode payload = body(slack.takeRequest());
        assertThat(payload.get("text").asText())
                .isEqualTo("Task detect_data_drift.load_rides failed (run manual__2011-03-01): file not found: rides.csv");
        assertThat(payload.at("/blocks/0/text/text").asText())
                .isEqualTo(":red_circle: Task detect_data_drift.load_rides failed");
        assertThat(payload.at("/blocks/2/fields")).extracting(f -> f.get("text").asText()).containsExactly(
                "*DAG*\ndetect_data_drift", "*Task*\nload_rides", "*Run*\nmanual__2011-03-01", "*State*\nfailed",
                "*Try*\n2");
        assertThat(payload.at("/blocks/1/text/text").asText()).isEqualTo("```file not found: rides.csv\n\tat Loader.load```");
    }

    @Test
    void waitsAsLongAsRetryAfterAsksWhenRateLimited() throws Exception {
        slack.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "1").setBody("rate_limited"));
        slack.enqueue(new MockResponse().setBody("ok"));

        long started = System.nanoTime();
        hook(webhookUrl()).send("hello");

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(slack.getRequestCount()).isEqualTo(2);
    }

    @Test
    void retriesServerErrors() {
        slack.enqueue(new MockResponse().setResponseCode(500));
        slack.enqueue(new MockResponse().setResponseCode(502));
        slack.enqueue(new MockResponse().setBody("ok"));

        hook(webhookUrl()).send("hello");

        assertThat(slack.getRequestCount()).isEqualTo(3);
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage).contains(
                "Slack webhook (connection slack_default) returned HTTP 500; retrying in 10 ms (attempt 2 of 3)");
    }

    @Test
    void aRejectedMessageFailsClearlyWithoutRetryingOrShowingTheWebhook() {
        slack.enqueue(new MockResponse().setResponseCode(400).setBody("invalid_blocks"));

        Throwable error = catchThrowable(() -> hook(webhookUrl()).send("hello"));

        assertThat(error).isInstanceOf(SlackException.class)
                .hasMessage("Slack webhook (connection slack_default) rejected the message: HTTP 400 invalid_blocks");
        assertThat(slack.getRequestCount()).isEqualTo(1);
        assertNoLogOrErrorShowsTheWebhook(error);
    }

    @Test
    void anUnreachableWebhookFailsWithoutShowingItsUrl() throws IOException {
        SlackHook unreachable = hook(webhookUrl());
        slack.shutdown();

        Throwable error = catchThrowable(() -> unreachable.send("hello"));

        assertThat(error).isInstanceOf(SlackException.class)
                .hasMessageStartingWith("Slack webhook (connection slack_default) failed after 3 attempts: ConnectException");
        assertNoLogOrErrorShowsTheWebhook(error);
    }

    @Test
    void theWebhookUrlIsMaskedWhereverItIsPrinted() {
        hook(webhookUrl());

        assertThat(Secrets.mask("posting to " + webhookUrl())).doesNotContain("xoxbSecretWebhookToken42");
    }

    @Test
    void withAFileConnectionMessagesGoToTheOutboxOneJsonLineEach(@TempDir Path home) throws Exception {
        Path outbox = home.resolve("outbox/slack.jsonl");
        SlackHook hook = hook(outbox.toUri().toString());

        hook.send("first");
        hook.send(SlackMessage.of("second").withFields(Map.of("Rows", "17379")));

        List<String> lines = Files.readAllLines(outbox);
        assertThat(lines).hasSize(2);
        assertThat(JSON.readTree(lines.get(0))).isEqualTo(JSON.readTree("{\"text\":\"first\"}"));
        assertThat(JSON.readTree(lines.get(1)).at("/blocks/0/fields/0/text").asText()).isEqualTo("*Rows*\n17379");
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage)
                .contains("Slack message for connection slack_default appended to the outbox " + outbox);
    }

    @Test
    void refusesAConnectionThatIsNeitherAWebhookNorAFile() {
        assertThatThrownBy(() -> hook("s3://bucket"))
                .hasMessage("connection 'slack_default' has scheme 's3', but a Slack connection is an incoming-webhook "
                        + "URL (https://hooks.slack.com/services/...) or an outbox file:///path/to/outbox.jsonl");
    }

    @Test
    void theModuleContributesTheFactoryForTheDefaultConnection() {
        Set<HookFactory<?>> factories = Guice.createInjector(new SlackHookModule())
                .getInstance(Key.get(new TypeLiteral<Set<HookFactory<?>>>() {}));

        assertThat(factories).singleElement().satisfies(f -> {
            assertThat(f.hookType()).isEqualTo(SlackHook.class);
            assertThat(f.defaultConnectionId()).isEqualTo("slack_default");
        });
    }
}
