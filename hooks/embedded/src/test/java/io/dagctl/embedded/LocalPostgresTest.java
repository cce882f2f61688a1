package io.dagctl.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dagctl.embedded.internal.Directories;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalPostgresTest {
    @TempDir
    Path temp;

    @BeforeEach
    void letTheServerAccountEnterTheTemporaryDirectory() throws IOException {
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwx--x--x"));
    }

    @Test
    void anEphemeralServerAcceptsConnectionsAndLeavesNothingBehindWhenClosed() throws Exception {
        Path directory;
        int port;
        try (LocalPostgres postgres = LocalPostgres.startEphemeral()) {
            port = postgres.port();
            System.out.println("ephemeral LocalPostgres started in " + postgres.startupTime().toMillis() + " ms");
            assertThat(postgres.connectionUri())
                    .isEqualTo("postgresql://postgres:" + postgres.password() + "@127.0.0.1:" + port + "/postgres");
            assertThat(postgres.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + port + "/postgres");
            try (Connection connection = postgres.connect("postgres")) {
                assertThat(single(connection, "SELECT current_user || ' ' || current_setting('server_version_num')"))
                        .startsWith("postgres 17");
                directory = Path.of(single(connection, "SHOW data_directory")).getParent();
            }
            assertThat(directory).isDirectory();
        }
        assertThat(directory).doesNotExist();
        assertThat(accepts(port)).isFalse();
    }

    @Test
    void asRootTheServerRunsAsAnUnprivilegedAccount() throws Exception {
        assumeTrue(System.getProperty("user.name").equals("root"), "only meaningful when the tests run as root");
        try (LocalPostgres postgres = LocalPostgres.start(temp.resolve("pg"))) {
            Path data = temp.resolve("pg/pgdata");
            assertThat(Files.getOwner(data).getName()).isEqualTo("nobody");
            assertThat(ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().orElse("").contains(" -D " + data + " "))
                    .map(p -> p.info().user().orElse("?")))
                    .containsExactly("nobody");
        }
    }

    @Test
    void aPersistentDirectoryKeepsItsDataAndPasswordAcrossRestarts() throws Exception {
        Path directory = temp.resolve("home/.dagctl/postgres");
        String password;
        try (LocalPostgres first = LocalPostgres.start(directory)) {
            password = first.password();
            try (Connection connection = first.connect("postgres"); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE kept (note text)");
                statement.execute("INSERT INTO kept VALUES ('still here')");
            }
        }
        try (LocalPostgres second = LocalPostgres.start(directory)) {
            System.out.println("persistent LocalPostgres restarted in " + second.startupTime().toMillis() + " ms");
            assertThat(second.password()).isEqualTo(password);
            try (Connection connection = second.connect("postgres")) {
                assertThat(single(connection, "SELECT note FROM kept")).isEqualTo("still here");
            }
        }
        assertThat(directory.resolve("pgdata/PG_VERSION")).exists();
    }

    @Test
    void aFirstStartInterruptedDuringInitdbIsStartedOverNextTime() throws Exception {
        Path directory = temp.resolve("interrupted");
        Files.createDirectories(directory.resolve("pgdata.initializing/base"));
        Files.writeString(directory.resolve("pgdata.initializing/PG_VERSION"), "17\n");
        Files.writeString(directory.resolve("password"), "left-from-before");

        try (LocalPostgres postgres = LocalPostgres.start(directory)) {
            assertThat(postgres.password()).isNotEqualTo("left-from-before");
            try (Connection connection = postgres.connect("postgres")) {
                assertThat(single(connection, "SELECT 'up'")).isEqualTo("up");
            }
        }
        assertThat(directory.resolve("pgdata.initializing")).doesNotExist();
    }

    @Test
    void createsDatabasesWithSafeNamesOnly() throws Exception {
        try (LocalPostgres postgres = LocalPostgres.startEphemeral()) {
            String uri = postgres.createDatabase("orders_1");
            assertThat(uri).endsWith("@127.0.0.1:" + postgres.port() + "/orders_1");
            try (Connection connection = postgres.connect("orders_1")) {
                assertThat(single(connection, "SELECT current_database()")).isEqualTo("orders_1");
            }
            assertThatThrownBy(() -> postgres.createDatabase("x; DROP DATABASE postgres"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("database name 'x; DROP DATABASE postgres' must be a lower-case identifier of "
                            + "letters, digits and _");
        }
    }

    @Test
    void asRootAClusterInADirectoryTheServerAccountCannotEnterLivesUnderVarTmpBehindALink() throws Exception {
        assumeTrue(System.getProperty("user.name").equals("root"), "only root runs the server as another account");
        Path closed = Files.createDirectories(temp.resolve("closed"));
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
        Path directory = closed.resolve("postgres");
        Path relocated;
        try (LocalPostgres postgres = LocalPostgres.start(directory)) {
            assertThat(directory).isSymbolicLink();
            relocated = directory.toRealPath();
            assertThat(relocated.getParent()).isEqualTo(Path.of("/var/tmp/dagctl-postgres"));
            try (Connection connection = postgres.connect("postgres"); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE kept (note text)");
                statement.execute("INSERT INTO kept VALUES ('still here')");
            }
        }
        try (LocalPostgres again = LocalPostgres.start(directory); Connection connection = again.connect("postgres")) {
            assertThat(single(connection, "SELECT note FROM kept")).isEqualTo("still here");
        } finally {
            Directories.deleteRecursively(relocated);
        }
    }

    @Test
    void theServerStopsWhenTheJvmThatStartedItIsKilled() throws Exception {
        Path directory = temp.resolve("orphan");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), StartAndWait.class.getName(), directory.toString())
                .redirectErrorStream(true).start();
        int port;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            StringBuilder output = new StringBuilder();
            String line;
            do {
                line = out.readLine();
                assertThat(line).as("child output before the port: %s", output).isNotNull();
                output.append(line).append('\n');
            } while (!line.startsWith("port="));
            port = Integer.parseInt(line.substring("port=".length()));
        }
        assertThat(accepts(port)).isTrue();

        child.destroyForcibly();
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();

        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (accepts(port) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(accepts(port)).as("server still listening after its JVM died").isFalse();
    }

    /** Started in a child JVM by the test above. */
    public static final class StartAndWait {
        public static void main(String[] args) throws Exception {
            LocalPostgres postgres = LocalPostgres.start(Path.of(args[0]));
            System.out.println("port=" + postgres.port());
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String single(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
