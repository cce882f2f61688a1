package io.dagctl.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A stop lets the requests being answered finish and refuses new ones meanwhile. */
class WebServerStopTest {
    private static final String POOL = "{\"name\": \"sent_during_stop\", \"slots\": 2}";

    @Test
    void answersTheOpenRequestAndRefusesNewOnesWhileStopping() throws Exception {
        try (WebFixture web = new WebFixture(WebFixture.local());
             Socket socket = new Socket(web.server.url().getHost(), web.server.url().getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            out.write(("POST /api/v1/pools HTTP/1.1\r\nHost: " + web.server.url().getAuthority() + "\r\nContent-Type:"
                    + " application/json\r\nExpect: 100-continue\r\nContent-Length: " + POOL.length() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 100 Continue");
            awaitUntil(() -> web.server.openRequests() == 1, "the request to be open");

            Thread stop = new Thread(() -> web.server.stop(Duration.ofSeconds(30)));
            stop.start();
            awaitUntil(() -> Http.get(web.url("/api/v1/pools")).statusCode() == 503, "new requests to be refused");
            out.write(POOL.getBytes(StandardCharsets.US_ASCII));
            out.flush();

            String line;
            while ((line = in.readLine()).startsWith("HTTP/1.1 100") || !line.startsWith("HTTP/1.1")) {
                // the interim answer and its headers
            }
            assertThat(line).isEqualTo("HTTP/1.1 200 OK");
            stop.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(stop.isAlive()).isFalse();
            assertThat(web.server.openRequests()).isZero();
            assertThat(web.operations.pools()).extracting(p -> p.name()).contains("sent_during_stop");
        }
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition, String what)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("waited 30 s for " + what);
            }
            Thread.sleep(20);
        }
    }
}
