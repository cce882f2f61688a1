package io.dagctl.embedded;

import io.dagctl.embedded.internal.Directories;
import io.dagctl.embedded.internal.PostgresBinaries;
import io.dagctl.embedded.internal.ServerUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server on 127.0.0.1, run from the binaries packaged in Maven: for a first run without a database
 * server, and for tests. Root may start it too (PostgreSQL refuses to run as root, so it then runs as
 * {@code nobody}). The server stops on {@link #close()}, when the JVM exits, and when the JVM dies.
 *
 * <p>Layout of the directory it is given: {@code pgdata/} (the cluster), {@code password} (the superuser's,
 * generated on first use) and {@code postgres.log} (the server's output since its last start).
 */
public final class LocalPostgres implements AutoCloseable {
    /** The superuser, and the database the connection URIs point at unless another is named. */
    public static final String USER = "postgres";
    public static final String DATABASE = "postgres";
    /** Where clusters go whose requested directory the server's account cannot reach. */
    private static final Path RELOCATED_CLUSTERS = Path.of("/var/tmp/dagctl-postgres");

    private static final Logger LOG = LoggerFactory.getLogger(LocalPostgres.class);
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(20);
    private static final int START_ATTEMPTS = 3;

    private final Path directory;
    private final boolean ephemeral;
    private final String password;
    private final int port;
    private Process server;
    private final Duration startupTime;
    private final Thread shutdownHook;
    private boolean closed;

    private LocalPostgres(Path directory, boolean ephemeral, String password, int port, Process server,
            Duration startupTime) {
        this.directory = directory;
        this.ephemeral = ephemeral;
        this.password = password;
        this.port = port;
        this.server = server;
        this.startupTime = startupTime;
        this.shutdownHook = new Thread(this::close, "dagctl-postgres-" + port + "-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts a server on the cluster in {@code directory}, creating the cluster on first use, so that data lives on
     * from one start to the next.
     *
     * @throws IOException naming the directory, when the cluster cannot be created or the server does not start
     */
    public static LocalPostgres start(Path directory) throws IOException {
        return start(reachableLocation(directory.toAbsolutePath()), false);
    }

    /**
     * Where the cluster of {@code requested} lives: there, when the server's account can reach it; otherwise (root
     * working in a home directory closed to others, typically) in a directory under {@code /var/tmp} named after it,
     * which a symbolic link at {@code requested} points to, so the data still shows where it was asked for.
     */
    private static Path reachableLocation(Path requested) throws IOException {
        if (Files.isSymbolicLink(requested)) {
            return requested.toRealPath();
        }
        if (ServerUser.forThisProcess().canReach(requested)) {
            return requested;
        }
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(requested.toString().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Path relocated = RELOCATED_CLUSTERS.resolve(HexFormat.of().formatHex(digest, 0, 8));
        Files.createDirectories(RELOCATED_CLUSTERS);
        Files.setPosixFilePermissions(RELOCATED_CLUSTERS, PosixFilePermissions.fromString("rwx--x--x"));
        Files.createDirectories(relocated);
        Files.createDirectories(requested.getParent());
        Files.createSymbolicLink(requested, relocated);
        LOG.info("the PostgreSQL account cannot reach {}: its cluster lives in {} (linked from there)", requested,
                relocated);
        return relocated;
    }

    /** Starts a server on a new cluster in a temporary directory, which {@link #close()} deletes. */
    public static LocalPostgres startEphemeral() throws IOException {
        Path directory = Files.createTempDirectory("dagctl-postgres-");
        try {
            return start(directory, true);
        } catch (IOException | RuntimeException e) {
            Directories.deleteRecursively(directory);
            throw e;
        }
    }

    private static LocalPostgres start(Path directory, boolean ephemeral) throws IOException {
        long started = System.nanoTime();
        ServerUser user = ServerUser.forThisProcess();
        PostgresBinaries binaries = binaries();
        Files.createDirectories(directory);
        // Others (the server account) must be able to enter, not to list.
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx--x--x"));
        user.checkCanReach(directory);
        Path data = directory.resolve("pgdata");
        String password = Files.exists(data.resolve("PG_VERSION"))
                ? Files.readString(directory.resolve("password")).strip()
                : initializeCluster(binaries, user, directory, data, ephemeral);
        IOException lastFailure = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int port = freePort();
            try {
                Process server = launch(binaries, user, directory, data, port, ephemeral);
                awaitReady(server, port, password, directory);
                Duration startupTime = Duration.ofNanos(System.nanoTime() - started);
                LOG.info("PostgreSQL on 127.0.0.1:{} (data in {}, running as {}) started in {} ms", port, data,
                        user.name(), startupTime.toMillis());
                return new LocalPostgres(directory, ephemeral, password, port, server, startupTime);
            } catch (PortTakenException e) {
                // Another process took the port between our probe and the server's bind: try another.
                lastFailure = e;
            }
        }
        throw lastFailure;
    }

    private static PostgresBinaries binaries() throws IOException {
        return PostgresBinaries.unpackedUnder(Path.of(System.getProperty("java.io.tmpdir"), "dagctl-postgres-binaries"));
    }

    /**
     * Runs initdb into a side directory renamed into place on success, so that an interrupted first start leaves
     * nothing that a later start would mistake for a cluster.
     */
    private static String initializeCluster(PostgresBinaries binaries, ServerUser user, Path directory, Path data,
            boolean ephemeral) throws IOException {
        Path initializing = directory.resolve("pgdata.initializing");
        Directories.deleteRecursively(initializing);
        Files.createDirectories(initializing,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        user.own(initializing);
        String password = newPassword();
        Path passwordFile = directory.resolve("password");
        Files.deleteIfExists(passwordFile);
        Files.writeString(Files.createFile(passwordFile,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))), password);
        user.own(passwordFile);
        List<String> arguments = new ArrayList<>(List.of("-D", initializing.toString(), "-U", USER,
                "--pwfile=" + passwordFile, "--auth-host=scram-sha-256", "--auth-local=peer",
                "-E", "UTF8", "--locale=C", "--no-instructions"));
        if (ephemeral) {
            arguments.add("--no-sync");
        }
        Path log = directory.resolve("initdb.log");
        Process initdb = new ProcessBuilder(user.command(binaries.bin("initdb"), arguments))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!initdb.waitFor(2, TimeUnit.MINUTES)) {
                initdb.destroyForcibly();
                throw new IOException("initdb of " + data + " did not finish within 2 minutes");
            }
        } catch (InterruptedException e) {
            initdb.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while initdb created " + data, e);
        }
        if (initdb.exitValue() != 0) {
            throw new IOException("initdb could not create a cluster in " + data + " (exit " + initdb.exitValue()
                    + "): " + tail(log));
        }
        Files.delete(log);
        Directories.deleteRecursively(data);
        Files.move(initializing, data, StandardCopyOption.ATOMIC_MOVE);
        return password;
    }

    /**
     * Starts the postmaster from a thread that lives exactly as long as it: the parent-death signal is tied to the
     * thread that forked, so only such a thread makes the signal mean "the JVM is gone".
     */
    private static Process launch(PostgresBinaries binaries, ServerUser user, Path directory, Path data, int port,
            boolean ephemeral) throws IOException {
        List<String> arguments = new ArrayList<>(List.of("-D", data.toString(), "-p", Integer.toString(port),
                "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "timezone=UTC",
                "-c", "max_connections=100"));
        if (ephemeral) {
            // Nothing to protect across a crash: trade durability for speed.
            arguments.addAll(List.of("-c", "fsync=off", "-c", "synchronous_commit=off",
                    "-c", "full_page_writes=off"));
        }
        ProcessBuilder builder = new ProcessBuilder(user.command(binaries.bin("postgres"), arguments))
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("postgres.log").toFile());
        CompletableFuture<Process> launched = new CompletableFuture<>();
        Thread owner = new Thread(() -> {
            try {
                Process process = builder.start();
                launched.complete(process);
                process.waitFor();
            } catch (IOException e) {
                launched.completeExceptionally(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "dagctl-postgres-" + port);
        owner.setDaemon(true);
        owner.start();
        try {
            return launched.get();
        } catch (ExecutionException e) {
            throw new IOException("could not launch PostgreSQL for " + data + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while launching PostgreSQL for " + data, e);
        }
    }

    private static void awaitReady(Process server, int port, String password, Path directory) throws IOException {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        Path log = directory.resolve("postgres.log");
        while (true) {
            if (!server.isAlive()) {
                String tail = tail(log);
                if (tail.contains("could not bind") || tail.contains("Address already in use")) {
                    throw new PortTakenException(port);
                }
                throw new IOException("PostgreSQL in " + directory + " exited with " + server.exitValue()
                        + " while starting: " + tail);
            }
            try (Connection ignored = DriverManager.getConnection(jdbcUrl(port, DATABASE), credentials(password))) {
                return;
            } catch (SQLException notYet) {
                if (System.nanoTime() > deadline) {
                    stop(server);
                    throw new IOException("PostgreSQL in " + directory + " did not accept connections on port "
                            + port + " within " + STARTUP_TIMEOUT.toSeconds() + " s: " + tail(log));
                }
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                stop(server);
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for PostgreSQL in " + directory, e);
            }
        }
    }

    public int port() {
        return port;
    }

    public String password() {
        return password;
    }

    /** How long {@code start} took, from the call to the first accepted connection. */
    public Duration startupTime() {
        return startupTime;
    }

    /** {@code jdbc:postgresql://127.0.0.1:port/postgres}; user and password are separate. */
    public String jdbcUrl() {
        return jdbcUrl(DATABASE);
    }

    public String jdbcUrl(String database) {
        return jdbcUrl(port, database);
    }

    /** {@code postgresql://postgres:password@127.0.0.1:port/postgres}, the form {@code DAGCTL_CONN_<ID>} takes. */
    public String connectionUri() {
        return connectionUri(DATABASE);
    }

    public String connectionUri(String database) {
        return "postgresql://" + USER + ":" + password + "@127.0.0.1:" + port + "/" + database;
    }

    /** An open JDBC connection as the superuser. */
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), credentials(password));
    }

    /**
     * Creates an empty database (tests give each class its own) and returns its connection URI.
     *
     * @throws IllegalArgumentException when the name is not a lower-case SQL identifier
     */
    public String createDatabase(String name) {
        if (!DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("database name '" + name
                    + "' must be a lower-case identifier of letters, digits and _");
        }
        try (Connection connection = connect(DATABASE); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database '" + name + "' on 127.0.0.1:" + port + ": "
                    + e.getMessage(), e);
        }
        return connectionUri(name);
    }

    /** Stops the server (fast shutdown: open sessions are ended) and, if ephemeral, deletes its directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // Called from the hook itself.
        }
        stop(server);
        if (ephemeral) {
            try {
                Directories.deleteRecursively(directory);
            } catch (IOException e) {
                throw new UncheckedIOException("could not delete the PostgreSQL directory " + directory, e);
            }
        }
    }

    /**
     * Stops the server (fast shutdown: open sessions are ended), keeps it down for {@code down}, and starts it again on
     * the same port and data: a database restart as its clients see one, for tests of their recovery.
     */
    public synchronized void restart(Duration down) throws IOException {
        stopServer();
        try {
            Thread.sleep(down.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while PostgreSQL on port " + port + " was down", e);
        }
        startAgain();
        LOG.info("PostgreSQL on 127.0.0.1:{} restarted after {} ms down", port, down.toMillis());
    }

    /**
     * Stops the server (fast shutdown: open sessions are ended) until {@link #startAgain}: an outage as its clients
     * see one, for tests that look at them while the database is away.
     */
    public synchronized void stopServer() {
        if (closed) {
            throw new IllegalStateException("PostgreSQL on port " + port + " was closed");
        }
        stop(server);
    }

    /** Starts the server again on the same port and data, after {@link #stopServer}. */
    public synchronized void startAgain() throws IOException {
        if (closed) {
            throw new IllegalStateException("PostgreSQL on port " + port + " was closed");
        }
        ServerUser user = ServerUser.forThisProcess();
        PostgresBinaries binaries = binaries();
        Path data = directory.resolve("pgdata");
        server = launch(binaries, user, directory, data, port, ephemeral);
        awaitReady(server, port, password, directory);
    }

    /** Whether the server process is still running (false after {@link #close()} or a crash). */
    public boolean isRunning() {
        return server.isAlive();
    }

    private static void stop(Process server) {
        if (!server.isAlive()) {
            return;
        }
        try {
            // SIGINT is PostgreSQL's fast shutdown; Process.destroy's SIGTERM would wait for every client to leave.
            new ProcessBuilder("kill", "-INT", Long.toString(server.pid())).inheritIO().start().waitFor();
            if (!server.waitFor(SHUTDOWN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                LOG.warn("PostgreSQL (pid {}) did not stop within {} s: killing it", server.pid(),
                        SHUTDOWN_TIMEOUT.toSeconds());
                server.destroyForcibly().waitFor();
            }
        } catch (IOException e) {
            server.destroyForcibly();
        } catch (InterruptedException e) {
            server.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String jdbcUrl(int port, String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private static Properties credentials(String password) {
        Properties properties = new Properties();
        properties.setProperty("user", USER);
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", "5");
        return properties;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String newPassword() {
        String alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            password.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return password.toString();
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(log " + log + " unreadable: " + e.getMessage() + ")";
        }
    }

    private static final class PortTakenException extends IOException {
        PortTakenException(int port) {
            super("port " + port + " was taken before PostgreSQL could bind it");
        }
    }
}
