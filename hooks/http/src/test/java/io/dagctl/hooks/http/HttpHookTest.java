package io.dagctl.hooks.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import io.dagctl.HookFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpHookTest extends HttpServerTest {
    @Test
    void downloadsARelativePathUnderTheBaseUrlWithTheConnectionsHeaders(@TempDir Path dir) throws Exception {
        server.enqueue(new MockResponse().setBody("id,cnt\n1,16\n"));
        HttpHook http = hook(base + "/v1?header.Accept=text/csv&header.X-Api-Key=k3y-abcdef");

        long bytes = http.download("exports/day.csv", dir.resolve("day.csv"));

        assertThat(bytes).isEqualTo(12);
        assertThat(dir.resolve("day.csv")).hasContent("id,cnt\n1,16\n");
        RecordedRequest request = server.takeRequest();
        assertThat(request.getPath()).isEqualTo("/v1/exports/day.csv");
        assertThat(request.getHeader("Accept")).isEqualTo("text/csv");
        assertThat(request.getHeader("X-Api-Key")).isEqualTo("k3y-abcdef");
    }

    @Test
    void sendsBasicAuthenticationFromTheConnectionLogin() throws Exception {
        server.enqueue(new MockResponse().setBody("ok"));

        try (InputStream in = hook("http://reader:pa55word@127.0.0.1:" + server.getPort()).open("/data")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("ok");
        }
        assertThat(server.takeRequest().getHeader("Authorization")).isEqualTo("Basic cmVhZGVyOnBhNTV3b3Jk");
    }

    @Test
    void keepsTheConnectionsCredentialsFromOtherHosts() throws Exception {
        server.enqueue(new MockResponse().setBody("ok"));
        HttpHook http = hook("http://reader:pa55word@localhost:" + server.getPort() + "?header.Authorization=Bearer%20t0ken");

        try (InputStream in = http.open(base + "/elsewhere")) {
            in.readAllBytes();
        }
        assertThat(server.takeRequest().getHeader("Authorization")).isNull();
    }

    @Test
    void retriesServerErrorsAndDroppedConnections() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(503));
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
        server.enqueue(new MockResponse().setBody("third time"));

        try (InputStream in = hook(base + "?backoff_ms=10").open("/flaky")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("third time");
        }
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void retriesWhenNothingListensThenNamesTheUrlAndTheAttempts() throws IOException {
        server.shutdown();

        assertThatThrownBy(() -> hook(base + "?backoff_ms=10&max_attempts=2").open("/gone?api_key=s3cr3t-value"))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("GET " + base + "/gone?api_key=*** failed after 2 attempts: ConnectException: ");
    }

    @Test
    void givesUpOnServerErrorsAfterTheConfiguredAttempts() {
        for (int i = 0; i < 2; i++) {
            server.enqueue(new MockResponse().setResponseCode(500).setBody("boom"));
        }

        assertThatThrownBy(() -> hook(base + "?backoff_ms=10&max_attempts=2").open("/down"))
                .isInstanceOf(HttpStatusException.class)
                .hasMessage("GET " + base + "/down failed: HTTP 500 Server Error: boom");
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void aClientErrorIsNotRetriedAndNamesTheUrlWithItsSecretsMasked() {
        server.enqueue(new MockResponse().setResponseCode(404).setBody("no such export"));
        String url = "http://reader:hunter22@127.0.0.1:" + server.getPort() + "/day.csv?date=2011-03-01&token=abc123xyz";

        assertThatThrownBy(() -> hook(base).open(url))
                .isInstanceOf(HttpStatusException.class)
                .hasMessage("GET http://reader:***@127.0.0.1:" + server.getPort()
                        + "/day.csv?date=2011-03-01&token=*** failed: HTTP 404 Client Error: no such export")
                .satisfies(e -> assertThat(((HttpStatusException) e).status()).isEqualTo(404));
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void readsFileUris(@TempDir Path dir) throws IOException {
        Path source = Files.writeString(dir.resolve("local.csv"), "local");
        HttpHook http = hook(base);

        assertThat(http.download(source.toUri().toString(), dir.resolve("copy.csv"))).isEqualTo(5);
        assertThat(dir.resolve("copy.csv")).hasContent("local");
        assertThatThrownBy(() -> http.open(dir.resolve("missing.csv").toUri().toString()))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessage(dir.resolve("missing.csv").toString());
    }

    @Test
    void aFailedDownloadLeavesNoFile(@TempDir Path dir) {
        server.enqueue(new MockResponse().setResponseCode(403));

        assertThatThrownBy(() -> hook(base).download("/forbidden.csv", dir.resolve("forbidden.csv")))
                .hasMessage("GET " + base + "/forbidden.csv failed: HTTP 403 Client Error");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void refusesAConnectionThatIsNotHttp() {
        assertThatThrownBy(() -> hook("s3://bucket"))
                .hasMessage("connection 'rides_api' has scheme 's3', but an HTTP connection needs "
                        + "http(s)://[login:password@]host[:port][/base/path]");
    }

    @Test
    void theModuleContributesTheFactoryForTheDefaultConnection() {
        Set<HookFactory<?>> factories = Guice.createInjector(new HttpHookModule())
                .getInstance(Key.get(new TypeLiteral<Set<HookFactory<?>>>() {}));

        assertThat(factories).singleElement().satisfies(f -> {
            assertThat(f.hookType()).isEqualTo(HttpHook.class);
            assertThat(f.defaultConnectionId()).isEqualTo("http_default");
        });
    }
}
