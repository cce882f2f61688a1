package io.dagctl.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.Dag;
import io.dagctl.RetryAdvice;
import io.dagctl.RunState;
import io.dagctl.Task;
import io.dagctl.TaskState;
import io.dagctl.internal.store.TaskInstance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** An exception that advises against a retry, even wrapped by the task, ends the task at its first try. */
class RetryAdviceTest extends RuntimeFixture {
    /** As a hook reports a 404: a checked exception that knows no other try would get another answer. */
    static final class NotFound extends IOException implements RetryAdvice {
        private final boolean worthRetrying;

        NotFound(String message, boolean worthRetrying) {
            super(message);
            this.worthRetrying = worthRetrying;
        }

        @Override
        public boolean worthRetrying() {
            return worthRetrying;
        }
    }

    @Dag(id = "advised")
    static class Advised {
        static final AtomicInteger TRIES = new AtomicInteger();
        static volatile boolean worthRetrying;

        @Task(retries = 2, retryDelay = "PT0.05S")
        int fetch() {
            TRIES.incrementAndGet();
            throw new UncheckedIOException(new NotFound("GET https://rides.example/day.csv failed: HTTP 404",
                    worthRetrying));
        }
    }

    private TaskInstance fetchWhen(boolean worthRetrying) {
        Advised.TRIES.set(0);
        Advised.worthRetrying = worthRetrying;
        RunResult result = runtime.run(Specs.of(Advised.class, "fetch"), RunRequest.manual());
        assertThat(result.state()).isEqualTo(RunState.FAILED);
        return result.task("fetch");
    }

    @Test
    void aCauseThatAdvisesAgainstRetryingFailsTheTaskAtOnce() {
        TaskInstance fetch = fetchWhen(false);

        assertThat(fetch.state()).isEqualTo(TaskState.FAILED);
        assertThat(fetch.tryNumber()).isEqualTo(1);
        assertThat(Advised.TRIES).hasValue(1);
    }

    @Test
    void aCauseThatAdvisesRetryingIsRetriedUntilTheRetriesAreSpent() {
        TaskInstance fetch = fetchWhen(true);

        assertThat(fetch.tryNumber()).isEqualTo(3);
        assertThat(Advised.TRIES).hasValue(3);
    }
}
