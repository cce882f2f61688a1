package io.dagctl.hooks.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dagctl.ConnectionUri;
import io.dagctl.embedded.LocalPostgres;
import io.dagctl.embedded.testing.SharedPostgres;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database connection dies in the middle of a COPY: the hook fails clearly, leaves nothing half-done. */
class CopyFaultTest {
    private static final String ROWS = "SELECT g AS id, md5(g::text) AS digest FROM generate_series(1, 200000) g";
    /** The same rows, but the server stalls after about 2 MB, so the fault always lands mid-copy. */
    private static final String STALLING_ROWS = "SELECT g AS id, md5(g::text) AS digest,"
            + " CASE WHEN g = 50000 THEN pg_sleep(60)::text END AS stall FROM generate_series(1, 200000) g";
    private static String database;
    private static PostgresHook hook;

    @TempDir
    Path temp;

    @BeforeAll
    static void createDatabase() {
        String uri = SharedPostgres.freshDatabase("faults");
        database = uri.substring(uri.lastIndexOf('/') + 1);
        hook = new PostgresHook(ConnectionUri.parse("faults", uri));
        hook.jdbi().useHandle(h -> h.execute("CREATE TABLE digests (id integer, digest text)"));
    }

    @Test
    void aBackendKilledMidCopyOutFailsClearly() {
        assertThatThrownBy(() -> hook.copyOut(STALLING_ROWS, new TerminatingOutputStream()))
                .isInstanceOf(PostgresHookException.class)
                .hasMessageStartingWith("COPY out of postgresql://postgres:***@127.0.0.1:")
                .hasMessageEndingWith(" failed: Database connection failed when reading from copy");

        assertThat(hook.copyOut(ROWS, OutputStream.nullOutputStream())).isEqualTo(200_000);
    }

    @Test
    void aBackendKilledMidCopyOutToAFileLeavesNoFileThenARetryWritesItWhole() throws Exception {
        Path file = temp.resolve("digests.csv");
        Thread killer = new Thread(() -> {
            try {
                while (partialFileSize() < 1 << 20) {
                    Thread.sleep(5);
                }
                terminateCopyBackends();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        killer.start();

        assertThatThrownBy(() -> hook.copyOut(STALLING_ROWS, file))
                .isInstanceOf(PostgresHookException.class)
                .hasMessageStartingWith("COPY out of postgresql://postgres:***@127.0.0.1:");
        killer.join();
        assertThat(temp).isEmptyDirectory();

        assertThat(hook.copyOut(ROWS, file)).isEqualTo(200_000);
        try (var lines = Files.lines(file)) {
            assertThat(lines.count()).isEqualTo(200_001);
        }
    }

    private long partialFileSize() throws IOException {
        try (var files = Files.list(temp)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".partial"))
                    .mapToLong(f -> f.toFile().length()).sum();
        }
    }

    @Test
    void aBackendKilledMidCopyInLoadsNothingThenARetryLoadsEverything() throws Exception {
        assertThatThrownBy(() -> hook.copyIn("digests", new TerminatingInputStream(rowsCsv(200_000)),
                CsvOptions.defaults()))
                .isInstanceOf(PostgresHookException.class)
                .hasMessageStartingWith("COPY into digests on postgresql://postgres:***@127.0.0.1:");
        assertThat(count()).isZero();

        assertThat(hook.copyIn("digests", rowsCsv(200_000), CsvOptions.defaults().replacingExisting()))
                .isEqualTo(200_000);
        assertThat(count()).isEqualTo(200_000);
    }

    @Test
    void aServerStoppedMidCopyFailsClearlyAndAHealthyServerTakesTheRetry() throws Exception {
        Path file = temp.resolve("out.csv");
        try (LocalPostgres doomed = LocalPostgres.startEphemeral();
                LocalPostgres healthy = LocalPostgres.startEphemeral()) {
            PostgresHook onDoomed = new PostgresHook(ConnectionUri.parse("doomed", doomed.connectionUri()));
            assertThatThrownBy(() -> onDoomed.copyOut(STALLING_ROWS, new StoppingOutputStream(file, doomed)))
                    .isInstanceOf(PostgresHookException.class)
                    .hasMessageStartingWith("COPY out of postgresql://postgres:***@127.0.0.1:" + doomed.port());
            assertThat(doomed.isRunning()).isFalse();

            PostgresHook onHealthy = new PostgresHook(ConnectionUri.parse("healthy", healthy.connectionUri()));
            assertThat(onHealthy.copyOut(ROWS, file)).isEqualTo(200_000);
        }
    }

    /** Kills the backend serving the COPY once the first megabyte has arrived. */
    private static final class TerminatingOutputStream extends FilterOutputStream {
        private long written;

        TerminatingOutputStream() {
            super(OutputStream.nullOutputStream());
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            written += len;
            if (written > 1 << 20 && written - len <= 1 << 20) {
                terminateCopyBackends();
            }
        }
    }

    private static final class StoppingOutputStream extends FilterOutputStream {
        private final LocalPostgres server;
        private long written;

        StoppingOutputStream(Path file, LocalPostgres server) throws IOException {
            super(Files.newOutputStream(file));
            this.server = server;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            written += len;
            if (written > 1 << 20 && server.isRunning()) {
                server.close();
            }
        }
    }

    /** Feeds CSV, and kills the backend receiving it halfway through. */
    private static final class TerminatingInputStream extends InputStream {
        private final InputStream csv;
        private long read;
        private boolean terminated;

        TerminatingInputStream(InputStream csv) {
            this.csv = csv;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = csv.read(b, off, len);
            read += Math.max(n, 0);
            if (!terminated && read > 1 << 20) {
                terminated = true;
                terminateCopyBackends();
            }
            return n;
        }
    }

    private static InputStream rowsCsv(int rows) {
        StringBuilder csv = new StringBuilder("id,digest\n");
        for (int i = 1; i <= rows; i++) {
            csv.append(i).append(",digest-").append(i).append('\n');
        }
        return new java.io.ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void terminateCopyBackends() throws IOException {
        try (Connection admin = SharedPostgres.server().connect("postgres");
                Statement statement = admin.createStatement();
                ResultSet killed = statement.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                        + " WHERE datname = '" + database + "' AND query LIKE 'COPY %' AND pid <> pg_backend_pid()")) {
            killed.next();
            if (killed.getInt(1) != 1) {
                throw new IllegalStateException("expected one COPY backend to kill, found " + killed.getInt(1));
            }
        } catch (SQLException e) {
            throw new IOException(e);
        }
    }

    private static long count() {
        return hook.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM digests").mapTo(Long.class).one());
    }
}
