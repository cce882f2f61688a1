package io.dagctl.synthetics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.dagctl.ConnectionUri;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class SyntheticsHookFaultsTest {
    private static final String API_KEY = "grtu-faults-5ecret-key-0042";

    private final MockWebServer server = new MockWebServer();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private SyntheticsHook hook;

    @BeforeEach
    void start() throws IOException {
        server.start();
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
        hook = hookFor(server.url("/").uri());
    }

    @AfterEach
    void stop() throws IOException {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        server.shutdown();
    }

    private static SyntheticsHook hookFor(URI base) {
        return new SyntheticsHook(SyntheticsSettings.of(base, java.util.Optional.of(API_KEY))
                .withRetries(4, Duration.ofMillis(20), Duration.ofMillis(100))
                .withPolling(Duration.ofMillis(20), Duration.ofMillis(50)));
    }

    private static MockResponse model(String id, String status) {
        return new MockResponse().setHeader("Content-Type", "application/json")
                .setBody("{\"data\":{\"model\":{\"uid\":\"" + id + "\",\"name\":\"m\",\"status\":\"" + status + "\"}}}");
    }

    @Test
    void retriesServerErrorsThenSucceeds() throws InterruptedException {
        server.enqueue(new MockResponse().setResponseCode(500).setBody("{\"message\":\"database hiccup\"}"));
        server.enqueue(new MockResponse().setResponseCode(503));
        server.enqueue(model("m1", "created"));

        SyntheticModel model = hook.createModel(ModelConfig.defaults().withSeed(3).withNumRecords(100),
                DataSource.url(URI.create("https://bucket.example/data.csv?X-Amz-Signature=abc")));

        assertThat(model.id()).isEqualTo("m1");
        assertThat(model.status()).isEqualTo(ModelStatus.CREATED);
        assertThat(server.getRequestCount()).isEqualTo(3);
        RecordedRequest last = server.takeRequest();
        assertThat(last.getPath()).isEqualTo("/projects/dagctl/models");
        assertThat(last.getHeader("Authorization")).isEqualTo(API_KEY);
        assertThat(last.getBody().readUtf8()).isEqualTo("{\"schema_version\":\"1.0\",\"name\":\"synthetic-data\","
                + "\"models\":[{\"copula\":{\"data_source\":\"https://bucket.example/data.csv?X-Amz-Signature=abc\","
                + "\"params\":{\"seed\":3},\"generate\":{\"num_records\":100}}}]}");
    }

    @Test
    void waitsAsLongAsRetryAfterSaysOnTooManyRequests() {
        server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "1"));
        server.enqueue(model("m2", "active"));

        long start = System.nanoTime();
        SyntheticModel model = hook.model("m2");

        assertThat(model.status()).isEqualTo(ModelStatus.ACTIVE);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void failsClearlyWithoutRetryingWhenUnauthorized() {
        server.enqueue(new MockResponse().setResponseCode(401)
                .setBody("{\"message\":\"missing or invalid API key in the Authorization header\"}"));

        assertThatThrownBy(() -> hook.model("m3")).isInstanceOf(SyntheticsException.class)
                .hasMessage("synthetics service: get model m3 (GET /projects/dagctl/models/m3) failed: HTTP 401: "
                        + "missing or invalid API key in the Authorization header")
                .satisfies(e -> assertThat(((SyntheticsException) e).httpStatus()).hasValue(401));
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void namesTheModelThatEndsInError() {
        server.enqueue(model("m4", "pending"));
        server.enqueue(model("m4", "active"));
        server.enqueue(new MockResponse().setBody("{\"data\":{\"model\":{\"uid\":\"m4\",\"status\":\"error\","
                + "\"error_msg\":\"CSV line 3 has 2 fields, the header has 3\"}}}"));

        assertThatThrownBy(() -> hook.awaitCompletion("m4", Duration.ofSeconds(10)))
                .isInstanceOf(SyntheticsException.class)
                .hasMessage("synthetic model m4 ended in status error: CSV line 3 has 2 fields, the header has 3");
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void givesUpOnAModelThatNeverCompletesAndSaysHowLongItWaited() {
        server.setDispatcher(new okhttp3.mockwebserver.Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return model("m5", "active");
            }
        });

        assertThatThrownBy(() -> hook.awaitCompletion("m5", Duration.ofMillis(300)))
                .isInstanceOf(SyntheticsException.class)
                .hasMessageMatching("synthetic model m5 did not complete within PT0\\.3S: still active after 0\\.[3-9] s");
        assertThat(server.getRequestCount()).isGreaterThan(3);
    }

    @Test
    void retriesConnectErrorsAndThenNamesTheServiceAndTheCall() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        SyntheticsHook unreachable = hookFor(URI.create("http://127.0.0.1:" + closedPort));

        assertThatThrownBy(() -> unreachable.model("m6")).isInstanceOf(SyntheticsException.class)
                .hasMessageStartingWith("synthetics service at 127.0.0.1:" + closedPort
                        + ": get model m6 (GET /projects/dagctl/models/m6) failed after up to 4 attempts: "
                        + "java.net.ConnectException");
        assertThat(logs.list).filteredOn(e -> e.getFormattedMessage().startsWith("GET /projects/dagctl/models/m6 failed"))
                .hasSize(3);
    }

    @Test
    void neverPutsTheApiKeyInALogLineOrAnErrorMessage() {
        SyntheticsHook fromConnection = new SyntheticsHookFactory().create(ConnectionUri.parse("synthetics_default",
                "http://" + server.getHostName() + ":" + server.getPort() + "?api_key=" + API_KEY));
        server.enqueue(new MockResponse().setResponseCode(503));
        // A careless service that echoes the request's credentials back in its error.
        server.enqueue(new MockResponse().setResponseCode(403)
                .setBody("{\"message\":\"key " + API_KEY + " may not read project dagctl\"}"));

        Throwable error = org.assertj.core.api.Assertions.catchThrowable(() -> fromConnection.model("m7"));

        assertThat(error).hasMessage("synthetics service: get model m7 (GET /projects/dagctl/models/m7) failed: "
                + "HTTP 403: key *** may not read project dagctl");
        assertThat(logs.list).isNotEmpty().allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain(API_KEY));
        assertThat(fromConnection.settings().toString()).doesNotContain(API_KEY).contains("apiKey=***");
    }
}
