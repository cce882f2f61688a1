package io.dagctl.hooks.s3;

import io.dagctl.RetryAdvice;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * An S3 operation failed; the message names the object or bucket and the connection, never a secret. A refusal no
 * later try can change fails the task without retry: an S3 answer with a 4xx status other than 408 and 429 (a
 * missing object or bucket, access denied), or a refusal of the hook's own (an object that exists, a file that does
 * not). Otherwise its cause decides.
 */
public final class S3HookException extends RuntimeException implements RetryAdvice {
    public S3HookException(String message, Throwable cause) {
        super(message, cause);
    }

    public S3HookException(String message) {
        super(message);
    }

    @Override
    public boolean worthRetrying() {
        if (getCause() == null) {
            return false;
        }
        // Otherwise the cause decides: what failed while writing an upload, say.
        return getCause() instanceof AwsServiceException service ? RetryAdvice.worthRetryingStatus(service.statusCode())
                : RetryAdvice.allowsRetry(getCause());
    }
}
