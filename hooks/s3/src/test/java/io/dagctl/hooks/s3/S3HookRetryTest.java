package io.dagctl.hooks.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dagctl.ConnectionUri;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A fake endpoint that fails as S3 does under load. */
class S3HookRetryTest {
    private static final String SECRET = "wJalrXUtnFEMI7K7MDENGbPxRfiCYEXAMPLEKEY";
    private static final String INTERNAL_ERROR = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>InternalError"
            + "</Code><Message>We encountered an internal error. Please try again.</Message></Error>";

    private MockWebServer endpoint;
    private S3Hook s3;

    @BeforeEach
    void start() throws IOException {
        endpoint = new MockWebServer();
        endpoint.start();
        s3 = new S3HookFactory().create(ConnectionUri.parse("flaky", "s3://AKIDEXAMPLE:" + SECRET + "@bucket?endpoint="
                + endpoint.url("/").toString().replaceAll("/$", "") + "&path_style=true&max_attempts=3"));
    }

    @AfterEach
    void stop() throws IOException {
        s3.close();
        endpoint.shutdown();
    }

    private static MockResponse internalError() {
        return new MockResponse().setResponseCode(500).setHeader("Content-Type", "application/xml").setBody(INTERNAL_ERROR);
    }

    @Test
    void retriesAPutThatFailsWithServerErrors() {
        endpoint.enqueue(internalError());
        endpoint.enqueue(new MockResponse().setResponseCode(503).setBody(""));
        endpoint.enqueue(new MockResponse().setResponseCode(200).setHeader("ETag", "\"abc\""));

        long bytes = s3.upload(s3.key("retried.csv"), out -> out.write("a,b\n".getBytes(StandardCharsets.UTF_8)));

        assertThat(bytes).isEqualTo(4);
        assertThat(endpoint.getRequestCount()).isEqualTo(3);
    }

    @Test
    void givesUpAfterTheConfiguredAttemptsWithAMessageFreeOfSecrets() {
        for (int i = 0; i < 3; i++) {
            endpoint.enqueue(internalError());
        }

        assertThatThrownBy(() -> s3.upload(s3.key("failed.csv"), out -> out.write(1)))
                .isInstanceOf(S3HookException.class)
                .hasMessage("upload to s3://bucket/failed.csv failed (connection flaky): HTTP 500 InternalError: "
                        + "We encountered an internal error. Please try again.")
                .satisfies(e -> assertThat(e.toString()).doesNotContain(SECRET));
        assertThat(endpoint.getRequestCount()).isEqualTo(3);
    }

    @Test
    void retriesAReadThatFailsWithAServerError() throws IOException {
        endpoint.enqueue(internalError());
        endpoint.enqueue(new MockResponse().setResponseCode(200).setBody("content"));

        try (var in = s3.open(s3.key("read.csv"))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("content");
        }
        assertThat(endpoint.getRequestCount()).isEqualTo(2);
    }
}
