package io.dagctl.hooks.postgres;

import io.dagctl.RetryAdvice;
import io.dagctl.Secrets;
import java.sql.SQLException;
import java.util.Set;

/**
 * A database operation of a {@link PostgresHook} failed. The message names the connection, never its password. What
 * the database refused for its content (SQLSTATE class 22, data exception, as a bad CSV value; 23, constraint
 * violation; 42, syntax error or unknown table or column) fails the task without retry; otherwise its cause decides.
 */
public final class PostgresHookException extends RuntimeException implements RetryAdvice {
    private static final Set<String> REFUSED_CONTENT = Set.of("22", "23", "42");

    PostgresHookException(String message, Throwable cause) {
        super(Secrets.mask(message), cause);
    }

    @Override
    public boolean worthRetrying() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().length() >= 2
                    && REFUSED_CONTENT.contains(sql.getSQLState().substring(0, 2))) {
                return false;
            }
        }
        // Otherwise the cause decides: what failed while reading the CSV of a COPY, say.
        return RetryAdvice.allowsRetry(getCause());
    }
}
