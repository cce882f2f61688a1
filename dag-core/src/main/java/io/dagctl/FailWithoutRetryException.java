package io.dagctl;

/**
 * Thrown by a task to fail at once, whatever retries it has left (Airflow's {@code AirflowFailException}): for input
 * that no later try can succeed on, such as a file without a required column. Any other exception is retried.
 */
public class FailWithoutRetryException extends RuntimeException implements RetryAdvice {
    public FailWithoutRetryException(String message) {
        super(message);
    }

    public FailWithoutRetryException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public final boolean worthRetrying() {
        return false;
    }
}
