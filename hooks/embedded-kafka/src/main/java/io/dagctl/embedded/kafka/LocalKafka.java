package io.dagctl.embedded.kafka;

import io.dagctl.embedded.internal.Directories;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka broker (the {@code kafka_2.13} server, broker and controller in one process, KRaft
 * mode) on loopback ports, inside this JVM: for a first run without a Kafka cluster, and for tests.
 * {@link #start(Path)} keeps the log and its ports under a directory across restarts, so that a broker started
 * again serves the same records at the same address; {@link #startEphemeral()} uses a temporary directory that
 * {@link #close()} deletes. A second start on a directory whose broker another process runs uses that broker.
 *
 * <p>Layout of the directory: {@code data/} (the broker's and the controller's logs) and {@code ports.properties}
 * (the client and controller ports, chosen free on first start).
 */
public final class LocalKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalKafka.class);
    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String PORTS_FILE = "ports.properties";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

    private final Path directory;
    private final boolean ephemeral;
    private final int port;
    /** Null when another process runs the broker of the directory and this one only uses it. */
    private final KafkaRaftServer server;
    private final Thread shutdownHook;
    private boolean closed;

    private LocalKafka(Path directory, boolean ephemeral, int port, KafkaRaftServer server) {
        this.directory = directory;
        this.ephemeral = ephemeral;
        this.port = port;
        this.server = server;
        this.shutdownHook = new Thread(this::close, "dagctl-kafka-" + port + "-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts a broker on the log in {@code directory}, formatting it on first use.
     *
     * @throws UncheckedIOException naming the directory, when the log cannot be created or the broker does not start
     */
    public static LocalKafka start(Path directory) {
        return start(directory.toAbsolutePath(), false);
    }

    /** Starts a broker on a fresh temporary directory; {@link #close()} deletes it. */
    public static LocalKafka startEphemeral() {
        try {
            return start(Files.createTempDirectory("dagctl-kafka-"), true);
        } catch (IOException e) {
            throw new UncheckedIOException("temporary directory for a local Kafka broker cannot be created: "
                    + e.getMessage(), e);
        }
    }

    private static LocalKafka start(Path directory, boolean ephemeral) {
        long started = System.nanoTime();
        try {
            Files.createDirectories(directory);
            Path data = directory.resolve("data");
            if (heldByAnotherBroker(data)) {
                // Another dagctl process (a scheduler, say) runs the broker of this directory: share it.
                int port = Integer.parseInt(readPorts(directory.resolve(PORTS_FILE)).getProperty("port"));
                awaitReady(port);
                LOG.info("Kafka broker on 127.0.0.1:{} (log in {}) is run by another process: using it", port, data);
                return new LocalKafka(directory, false, port, null);
            }
            Properties ports = readOrChoosePorts(directory.resolve(PORTS_FILE));
            int port = Integer.parseInt(ports.getProperty("port"));
            int controllerPort = Integer.parseInt(ports.getProperty("controller_port"));
            KafkaConfig config = new KafkaConfig(brokerProperties(data, port, controllerPort), false);
            formatOnce(data);
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            try {
                server.startup();
                awaitReady(port);
            } catch (RuntimeException | IOException e) {
                server.shutdown();
                throw e;
            }
            LocalKafka kafka = new LocalKafka(directory, ephemeral, port, server);
            LOG.info("Kafka broker on 127.0.0.1:{} (log in {}) started in {} ms", port, data,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException("local Kafka broker in " + directory + " did not start: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("local Kafka broker in " + directory + " did not start: " + e.getMessage(),
                    e);
        }
    }

    private static Map<String, String> brokerProperties(Path data, int port, int controllerPort) {
        return Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", String.valueOf(NODE_ID)),
                Map.entry("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort),
                Map.entry("listeners", "PLAINTEXT://127.0.0.1:" + port + "," + CONTROLLER_LISTENER + "://127.0.0.1:"
                        + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port),
                Map.entry("controller.listener.names", CONTROLLER_LISTENER),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("log.dirs", data.toString()),
                // One node: every internal topic has one replica, and few partitions so that it starts fast.
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("offsets.topic.num.partitions", "1"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("transaction.state.log.num.partitions", "1"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                // A topic name with a typo should fail, not appear empty.
                Map.entry("auto.create.topics.enable", "false"));
    }

    /** Formats the log directory for this node, as {@code kafka-storage.sh format} does, unless a start did. */
    private static void formatOnce(Path data) throws IOException {
        if (Files.exists(data.resolve("meta.properties"))) {
            return;
        }
        Files.createDirectories(data);
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(data.toString()))
                    .setMetadataLogDirectory(data.toString())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
        } catch (Exception e) {
            throw new IOException("its log directory " + data + " cannot be formatted: " + e.getMessage(), e);
        }
    }

    /** Waits until the broker answers a metadata request, which it does only once it has joined the quorum. */
    private static void awaitReady(int port) throws IOException {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
        try (Admin admin = Admin.create(properties)) {
            admin.describeCluster().nodes().get(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the broker on port " + port, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("the broker on port " + port + " did not answer within "
                    + STARTUP_TIMEOUT.toSeconds() + " s", e);
        }
    }

    /** Whether a running broker holds the lock Kafka takes on its log directory. */
    private static boolean heldByAnotherBroker(Path data) throws IOException {
        Path lock = data.resolve(".lock");
        if (!Files.exists(lock)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE)) {
            FileLock held = channel.tryLock();
            if (held == null) {
                return true;
            }
            held.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true; // a broker of this JVM
        }
    }

    private static Properties readPorts(Path file) throws IOException {
        Properties ports = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            ports.load(in);
        }
        return ports;
    }

    private static Properties readOrChoosePorts(Path file) throws IOException {
        Properties ports = new Properties();
        if (Files.exists(file)) {
            ports = readPorts(file);
            if (isFree(Integer.parseInt(ports.getProperty("port")))
                    && isFree(Integer.parseInt(ports.getProperty("controller_port")))) {
                return ports;
            }
            LOG.warn("the ports of the local Kafka broker in {} are taken: choosing new ones", file.getParent());
        }
        ports.setProperty("port", String.valueOf(freePort()));
        ports.setProperty("controller_port", String.valueOf(freePort()));
        Path temporary = Files.createTempFile(file.getParent(), PORTS_FILE, ".tmp");
        try (OutputStream out = Files.newOutputStream(temporary)) {
            ports.store(out, "ports of the local Kafka broker, kept so that it restarts at the same address");
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        return ports;
    }

    private static boolean isFree(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** {@code 127.0.0.1:<port>}, the clients' {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** A connection URI for KafkaHook: {@code kafka://127.0.0.1:<port>}. */
    public String connectionUri() {
        return "kafka://" + bootstrapServers();
    }

    public int port() {
        return port;
    }

    /** Where the broker keeps its log and ports. */
    public Path directory() {
        return directory;
    }

    /** Stops the broker (its log stays, unless it is ephemeral); a second call does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // Called from the shutdown hook itself.
        }
        if (server == null) {
            return;
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("local Kafka broker on port {} did not stop cleanly: {}", port, e.toString());
        }
        if (ephemeral) {
            try {
                Directories.deleteRecursively(directory);
            } catch (IOException e) {
                LOG.warn("temporary Kafka directory {} was not fully deleted: {}", directory, e.toString());
            }
        }
    }
}
