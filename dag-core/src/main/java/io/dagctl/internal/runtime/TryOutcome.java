package io.dagctl.internal.runtime;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** How a try ended, as a worker thread reports it to the run's coordinator. */
sealed interface TryOutcome {
    String taskId();

    int tryNumber();

    Instant endedAt();

    /**
     * The try returned. {@code json} is the value as JSON and {@code stored} what the XCom backend keeps for it
     * (both empty for a void task); {@code skip} names the tasks its branch or short-circuit skips.
     */
    record Succeeded(String taskId, int tryNumber, Instant endedAt, Optional<String> json, Optional<String> stored,
            Set<String> skip) implements TryOutcome {
    }

    /**
     * The try threw, timed out, or returned what could not be stored; {@code error} is masked. Not
     * {@code retryable} when the task threw {@link io.dagctl.FailWithoutRetryException}.
     */
    record Failed(String taskId, int tryNumber, Instant endedAt, String error, boolean retryable)
            implements TryOutcome {
    }

    /** The task threw {@link io.dagctl.SkipTaskException}: it ends skipped, without a value and without retries. */
    record Skipped(String taskId, int tryNumber, Instant endedAt) implements TryOutcome {
    }
}
