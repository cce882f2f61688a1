package io.dagctl.internal.store;

import java.io.PrintWriter;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.ConnectionPoolDataSource;
import javax.sql.PooledConnection;
import org.h2.api.ErrorCode;
import org.h2.jdbcx.JdbcDataSource;

/**
 * Connections of a process that only reads a shared H2 file: read-only straight from the file while no other process
 * holds it, through the process that serves it otherwise ({@link StoreLocation#readOnlyUrl}). Each connection asks
 * again, so a reader that finds the file taken between two connections follows it to its server.
 */
final class H2ReaderDataSource implements ConnectionPoolDataSource {
    private final JdbcDataSource readOnly;
    private final JdbcDataSource shared;

    H2ReaderDataSource(JdbcDataSource readOnly, JdbcDataSource shared) {
        this.readOnly = readOnly;
        this.shared = shared;
    }

    @Override
    public PooledConnection getPooledConnection() throws SQLException {
        return getPooledConnection(shared.getUser(), shared.getPassword());
    }

    @Override
    public PooledConnection getPooledConnection(String user, String password) throws SQLException {
        try {
            return readOnly.getPooledConnection(user, password);
        } catch (SQLException held) {
            // H2 refuses a read-only open while another process holds the file: its lock file is there, or a process
            // that came to write holds the file's lock.
            if (held.getErrorCode() != ErrorCode.DATABASE_ALREADY_OPEN_1) {
                throw held;
            }
            return shared.getPooledConnection(user, password);
        }
    }

    @Override
    public PrintWriter getLogWriter() {
        return shared.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        readOnly.setLogWriter(out);
        shared.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) {
        readOnly.setLoginTimeout(seconds);
        shared.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() {
        return shared.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return shared.getParentLogger();
    }
}
