package io.dagctl.hooks.postgres;

import io.dagctl.ConnectionUri;
import io.dagctl.HookFactory;

/** Makes a {@link PostgresHook} from a {@code postgresql://} (or {@code postgres://}) connection. */
public final class PostgresHookFactory implements HookFactory<PostgresHook> {
    public static final String DEFAULT_CONNECTION_ID = "postgres_default";

    @Override
    public Class<PostgresHook> hookType() {
        return PostgresHook.class;
    }

    @Override
    public String defaultConnectionId() {
        return DEFAULT_CONNECTION_ID;
    }

    @Override
    public PostgresHook create(ConnectionUri connection) {
        return new PostgresHook(connection);
    }
}
