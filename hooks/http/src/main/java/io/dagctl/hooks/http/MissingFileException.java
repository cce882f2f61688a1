package io.dagctl.hooks.http;

import io.dagctl.RetryAdvice;
import java.nio.file.NoSuchFileException;

/** A {@code file:} URL names no file: the task fails without retry, as another try would find none either. */
public final class MissingFileException extends NoSuchFileException implements RetryAdvice {
    public MissingFileException(String file) {
        super(file);
    }

    @Override
    public boolean worthRetrying() {
        return false;
    }
}
