package io.dagctl.hooks.http;

import io.dagctl.ConnectionUri;
import java.io.IOException;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh MockWebServer per test and the hook of a connection to it, for the tests that talk HTTP. */
abstract class HttpServerTest {
    protected MockWebServer server;
    protected String base;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start();
        base = "http://127.0.0.1:" + server.getPort();
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    protected HttpHook hook(String uri) {
        return new HttpHookFactory().create(ConnectionUri.parse("rides_api", uri));
    }
}
