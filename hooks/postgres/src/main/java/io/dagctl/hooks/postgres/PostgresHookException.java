package io.dagctl.hooks.postgres;

import io.dagctl.Secrets;

/** A database operation of a {@link PostgresHook} failed. The message names the connection, never its password. */
public final class PostgresHookException extends RuntimeException {
    PostgresHookException(String message, Throwable cause) {
        super(Secrets.mask(message), cause);
    }
}
