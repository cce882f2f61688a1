package io.dagctl.hooks.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dagctl.ConnectionUri;
import io.dagctl.hooks.slack.SlackException;
import io.dagctl.hooks.slack.SlackHookFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A request ends by its connection's deadline however slowly the server answers, and at once when its thread is
 * interrupted (a task's execution timeout); before, a silent server held a try for minutes.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HttpDeadlineTest extends HttpServerTest {
    @Test
    void aServerThatNeverAnswersFailsTheRequestAtItsDeadline() {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));

        assertThatThrownBy(() -> hook(base + "?deadline_ms=500").open("/silent.csv"))
                .isInstanceOf(InterruptedIOException.class)
                .hasMessage("GET " + base + "/silent.csv did not complete within its deadline of 500 ms (the "
                        + "connection's deadline_ms sets it)");
    }

    @Test
    void aBodyThatTricklesFailsTheReadAtTheDeadline() throws IOException {
        // 200 bytes at one byte per 100 ms: 20 s in all, each read well within the read timeout.
        server.enqueue(new MockResponse().setBody("x".repeat(200)).throttleBody(1, 100, TimeUnit.MILLISECONDS));

        try (InputStream in = hook(base + "?deadline_ms=1000").open("/slow.csv")) {
            assertThatThrownBy(in::readAllBytes)
                    .isInstanceOf(InterruptedIOException.class)
                    .hasMessage("GET " + base + "/slow.csv did not complete within its deadline of 1000 ms (the "
                            + "connection's deadline_ms sets it)");
        }
    }

    @Test
    void retriesStopAtTheDeadline() {
        for (int i = 0; i < 4; i++) {
            server.enqueue(new MockResponse().setResponseCode(503));
        }

        assertThatThrownBy(() -> hook(base + "?deadline_ms=300&backoff_ms=1000").open("/busy"))
                .hasMessage("GET " + base + "/busy did not complete within its deadline of 300 ms (the "
                        + "connection's deadline_ms sets it)");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void anInterruptEndsARequestThatWaitsForASilentServer() throws InterruptedException {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        Thread caller = Thread.currentThread();
        Thread interrupter = new Thread(() -> {
            sleep(300);
            caller.interrupt();
        });
        interrupter.start();

        assertThatThrownBy(() -> hook(base).open("/silent.csv"))
                .isInstanceOf(InterruptedIOException.class)
                .hasMessage("interrupted during GET " + base + "/silent.csv");
        interrupter.join();
        Thread.interrupted();
    }

    @Test
    void aDeadlineThatIsNotAPositiveNumberIsRefusedWithTheConnection() {
        assertThatThrownBy(() -> hook(base + "?deadline_ms=soon"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("connection 'rides_api': deadline_ms=soon is not a positive whole number");
    }

    @Test
    void aSlackWebhookThatNeverAnswersFailsAtItsDeadline() {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));

        assertThatThrownBy(() -> new SlackHookFactory().create(ConnectionUri.parse("slack_default",
                base + "/services/T0/B0/secret?deadline_ms=500")).send("hello"))
                .isInstanceOf(SlackException.class)
                .hasMessage("Slack webhook (connection slack_default) did not complete within its deadline of 500 ms "
                        + "(the connection's deadline_ms sets it)");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
