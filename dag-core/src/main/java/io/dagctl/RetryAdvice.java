package io.dagctl;

/**
 * An exception that knows whether a later try of the failing task could succeed. A failed try with retries left is
 * retried unless its exception, or the first of its causes that gives advice, advises against it; exceptions that
 * say nothing are retried. {@link FailWithoutRetryException} always advises against; the hooks' exceptions advise
 * against what no later try can change: an HTTP 4xx status other than 408 and 429, a missing file or object, a
 * constraint violation or malformed data refused by the database, a malformed URL.
 */
public interface RetryAdvice {
    /** Whether a later try could succeed. */
    boolean worthRetrying();

    /** The advice of {@code failure} or of the first of its causes that gives one; retry when none does. */
    static boolean allowsRetry(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RetryAdvice advice) {
                return advice.worthRetrying();
            }
        }
        return true;
    }

    /** Whether another try could get a different answer to a request that got {@code status}. */
    static boolean worthRetryingStatus(int status) {
        return status >= 500 || status == 408 || status == 429 || status < 400;
    }
}
