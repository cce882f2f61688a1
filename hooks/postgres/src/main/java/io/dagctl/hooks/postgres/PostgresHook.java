package io.dagctl.hooks.postgres;

import io.dagctl.ConnectionUri;
import io.dagctl.hooks.postgres.internal.Identifiers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.stream.Collectors;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A PostgreSQL database: CSV streamed in and out with {@code COPY} (memory does not grow with the data), and
 * {@link #jdbi()} for everything else. Each call opens its own connection; nothing is pooled or kept open.
 */
public final class PostgresHook {
    private static final int DEFAULT_PORT = 5432;

    private final ConnectionUri connection;
    private final PGSimpleDataSource dataSource;
    private final Jdbi jdbi;

    /**
     * @throws IllegalArgumentException naming the connection, when it is not a usable {@code postgresql://} URI
     */
    public PostgresHook(ConnectionUri connection) {
        this.connection = connection;
        this.dataSource = dataSource(connection);
        this.jdbi = Jdbi.create(dataSource).installPlugin(new PostgresPlugin());
    }

    public ConnectionUri connection() {
        return connection;
    }

    /** Jdbi (with the PostgreSQL plugin) on this database, for ordinary SQL. */
    public Jdbi jdbi() {
        return jdbi;
    }

    /** Runs {@code callback} in one transaction: committed when it returns, rolled back when it throws. */
    public <R, X extends Exception> R inTransaction(HandleCallback<R, X> callback) throws X {
        return jdbi.inTransaction(callback);
    }

    /**
     * Streams the result of {@code query} to {@code out} as CSV with a header line
     * ({@code COPY (query) TO STDOUT WITH (FORMAT csv, HEADER)}). A trailing semicolon is allowed. {@code out} is
     * left open.
     *
     * @return the number of rows copied
     * @throws PostgresHookException when the query or the connection fails, or {@code out} cannot be written
     */
    public long copyOut(String query, OutputStream out) {
        try (Handle handle = open()) {
            return copyOut(handle, query, out);
        }
    }

    /**
     * Writes the result of {@code query} to {@code file} as CSV with a header line. The file appears, whole, only
     * when the copy succeeds; a failed copy leaves no file behind (and an existing file untouched).
     */
    public long copyOut(String query, Path file) {
        Path target = file.toAbsolutePath();
        Path partial = null;
        try {
            partial = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".partial");
            long rows;
            try (OutputStream out = Files.newOutputStream(partial)) {
                rows = copyOut(query, out);
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            partial = null;
            return rows;
        } catch (IOException e) {
            throw new PostgresHookException("COPY out of " + connection + " into " + target + " failed: "
                    + e.getMessage(), e);
        } finally {
            deleteQuietly(partial);
        }
    }

    /** {@link #copyOut(String, OutputStream)} on an open handle, inside the caller's transaction. */
    public long copyOut(Handle handle, String query, OutputStream out) {
        String copy = "COPY (" + withoutTrailingSemicolons(query) + "\n) TO STDOUT WITH (FORMAT csv, HEADER)";
        try {
            return copyManager(handle).copyOut(copy, out);
        } catch (SQLException | IOException e) {
            throw new PostgresHookException("COPY out of " + connection + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Loads CSV into {@code table} with {@code COPY table (columns) FROM STDIN}. The load is one statement, so a
     * failure (bad row, lost connection, failing input stream) leaves the table as it was. {@code csv} is left open.
     *
     * @param table {@code name} or {@code schema.name}; letters, digits and _ only (it is quoted, so case matters)
     * @return the number of rows loaded
     * @throws IllegalArgumentException when the table or a column name is not an identifier
     * @throws PostgresHookException when the load fails
     */
    public long copyIn(String table, InputStream csv, CsvOptions options) {
        String statement = copyInStatement(table, options);
        if (options.replaceExisting()) {
            try (Handle handle = open()) {
                return handle.inTransaction(h -> {
                    h.execute("TRUNCATE TABLE " + Identifiers.table(table));
                    return copyIn(h, statement, table, csv);
                });
            }
        }
        try (Handle handle = open()) {
            return copyIn(handle, statement, table, csv);
        }
    }

    public long copyIn(String table, Path csv, CsvOptions options) {
        try (InputStream in = Files.newInputStream(csv)) {
            return copyIn(table, in, options);
        } catch (IOException e) {
            throw new PostgresHookException("COPY into " + table + " on " + connection + " could not read " + csv
                    + ": " + e.getMessage(), e);
        }
    }

    /** {@link #copyIn(String, InputStream, CsvOptions)} on an open handle, inside the caller's transaction. */
    public long copyIn(Handle handle, String table, InputStream csv, CsvOptions options) {
        if (options.replaceExisting()) {
            handle.execute("TRUNCATE TABLE " + Identifiers.table(table));
        }
        return copyIn(handle, copyInStatement(table, options), table, csv);
    }

    private long copyIn(Handle handle, String statement, String table, InputStream csv) {
        try {
            return copyManager(handle).copyIn(statement, csv);
        } catch (SQLException | IOException e) {
            throw new PostgresHookException("COPY into " + table + " on " + connection + " failed: "
                    + e.getMessage(), e);
        }
    }

    private static String copyInStatement(String table, CsvOptions options) {
        String columns = options.columns().isEmpty() ? "" : options.columns().stream()
                .map(Identifiers::column).collect(Collectors.joining(", ", " (", ")"));
        return "COPY " + Identifiers.table(table) + columns + " FROM STDIN WITH (FORMAT csv, HEADER "
                + options.header() + ", DELIMITER " + Identifiers.literal(String.valueOf(options.delimiter()))
                + ", NULL " + Identifiers.literal(options.nullString()) + ", ENCODING 'UTF8')";
    }

    private Handle open() {
        try {
            return jdbi.open();
        } catch (ConnectionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new PostgresHookException("could not connect to " + connection + ": " + cause.getMessage(), e);
        }
    }

    private CopyManager copyManager(Handle handle) throws SQLException {
        Connection jdbc = handle.getConnection();
        return jdbc.unwrap(PGConnection.class).getCopyAPI();
    }

    private static String withoutTrailingSemicolons(String query) {
        String trimmed = query.strip();
        while (trimmed.endsWith(";")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1).strip();
        }
        return trimmed;
    }

    private static PGSimpleDataSource dataSource(ConnectionUri connection) {
        String id = connection.id();
        if (!connection.scheme().equals("postgresql") && !connection.scheme().equals("postgres")) {
            throw new IllegalArgumentException("connection '" + id + "' has scheme '" + connection.scheme()
                    + "': a PostgresHook needs postgresql://login:password@host:port/database");
        }
        if (connection.host() == null) {
            throw new IllegalArgumentException("connection '" + id + "' has no host: a PostgresHook needs "
                    + "postgresql://login:password@host:port/database");
        }
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] {connection.host()});
        dataSource.setPortNumbers(new int[] {connection.port() < 0 ? DEFAULT_PORT : connection.port()});
        dataSource.setDatabaseName(connection.path().isEmpty() ? "postgres" : connection.path());
        connection.loginIfAny().ifPresent(dataSource::setUser);
        connection.passwordIfAny().ifPresent(dataSource::setPassword);
        dataSource.setApplicationName("dagctl");
        dataSource.setConnectTimeout(10);
        dataSource.setTcpKeepAlive(true);
        connection.query().forEach((key, value) -> {
            try {
                dataSource.setProperty(key, value);
            } catch (SQLException e) {
                throw new IllegalArgumentException("connection '" + id + "' has parameter '" + key
                        + "', which the PostgreSQL driver does not know", e);
            }
        });
        return dataSource;
    }

    private static void deleteQuietly(Path partial) {
        if (partial == null) {
            return;
        }
        try {
            Files.deleteIfExists(partial);
        } catch (IOException e) {
            // The copy already failed; that failure is the one to report.
        }
    }

    @Override
    public String toString() {
        return "PostgresHook[" + connection + "]";
    }
}
