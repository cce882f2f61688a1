package io.dagctl.hooks.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.dagctl.FailWithoutRetryException;
import io.dagctl.RetryAdvice;
import java.nio.file.Path;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What no later try can change advises against a retry; what might pass does not. */
class HttpRetryAdviceTest extends HttpServerTest {
    private HttpHook hook() {
        return hook(base + "?backoff_ms=1&max_attempts=1");
    }

    private Throwable failureOf(int status) {
        server.enqueue(new MockResponse().setResponseCode(status));
        return catchThrowable(() -> hook().open("/day.csv"));
    }

    @Test
    void aMissingPageIsNotRetried() {
        Throwable notFound = failureOf(404);

        assertThat(notFound).isInstanceOf(HttpStatusException.class)
                .hasMessage("GET " + base + "/day.csv failed: HTTP 404 Client Error");
        assertThat(RetryAdvice.allowsRetry(notFound)).isFalse();
    }

    @Test
    void aForbiddenPageIsNotRetried() {
        assertThat(RetryAdvice.allowsRetry(failureOf(403))).isFalse();
    }

    @Test
    void aServerErrorIsRetried() {
        assertThat(RetryAdvice.allowsRetry(failureOf(503))).isTrue();
    }

    @Test
    void aRequestTimeoutAndARateLimitAreRetried() {
        // Built directly: OkHttp itself repeats a request answered 408 before this hook sees the status.
        assertThat(new HttpStatusException("GET /day.csv failed: HTTP 408", 408).worthRetrying()).isTrue();
        assertThat(new HttpStatusException("GET /day.csv failed: HTTP 429", 429).worthRetrying()).isTrue();
    }

    @Test
    void aMissingFileIsNotRetried(@TempDir Path dir) {
        Throwable missing = catchThrowable(
                () -> hook().open(dir.resolve("missing.csv").toUri().toString()));

        assertThat(missing).isInstanceOf(MissingFileException.class).hasMessage(dir.resolve("missing.csv").toString());
        assertThat(RetryAdvice.allowsRetry(missing)).isFalse();
    }

    @Test
    void aUrlOfAnotherSchemeIsNotRetried() {
        assertThatThrownBy(() -> hook().open("ftp://rides.example/day.csv"))
                .isInstanceOf(FailWithoutRetryException.class)
                .hasMessage("'ftp://rides.example/day.csv' is not an http(s) or file URL");
    }
}
