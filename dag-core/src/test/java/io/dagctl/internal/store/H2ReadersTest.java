package io.dagctl.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dagctl.RunState;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.flywaydb.core.Flyway;
import org.h2.api.ErrorCode;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process that only reads a home's H2 file reads it straight from the file, without serving it, while no other
 * process holds it; a process that comes to write meanwhile waits until the reader closes it, and a reader that comes
 * while another process holds the file reads through that process.
 */
class H2ReadersTest {
    private static final Instant LOGICAL = Instant.parse("2026-12-01T00:00:00Z");

    @TempDir
    Path home;

    private StoreLocation location;
    private Process holder;

    @BeforeEach
    void recordOneRun() {
        location = StoreLocation.fromEnvironment(Map.of(), home);
        try (MetadataStore store = MetadataStore.open(location)) {
            store.write(tx -> tx.insertRun(new DagRun("bikes", "first", RunState.SUCCESS, RunType.MANUAL, LOGICAL,
                    LOGICAL, LOGICAL, Map.of(), LOGICAL, Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty())));
        }
    }

    @AfterEach
    void stopHolder() {
        if (holder != null) {
            holder.destroyForcibly();
        }
    }

    @Test
    void aWriterThatComesWhileAProcessReadsTheFileWaitsUntilItClosesTheFileThenWrites() throws Exception {
        hold("read");
        // Read straight from the file: no lock file, no server, and a writer is refused while the reader holds it.
        assertThat(home.resolve("metadata.lock.db")).doesNotExist();
        assertThatThrownBy(() -> DriverManager.getConnection(location.jdbcUrl(), "sa", "").close())
                .isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.DATABASE_ALREADY_OPEN_1));
        // A second reader shares the file with the first.
        try (MetadataStore reader = MetadataStore.open(location.forReading())) {
            assertThat(reader.runs(Optional.empty(), 10)).extracting(DagRun::runId).containsExactly("first");
        }

        AtomicReference<Thread> writerThread = new AtomicReference<>();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            writerThread.set(Thread.currentThread());
            try (MetadataStore store = MetadataStore.open(location)) {
                store.write(tx -> tx.insertRun(new DagRun("bikes", "second", RunState.QUEUED, RunType.MANUAL, LOGICAL,
                        LOGICAL, LOGICAL, Map.of(), LOGICAL, Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.empty())));
            }
        });
        while (writerThread.get() == null || !backsOffAfterARefusal(writerThread.get())) {
            assertThat(writer).isNotDone();
            Thread.sleep(5);
        }
        release();

        writer.get(60, TimeUnit.SECONDS);
        try (MetadataStore reader = MetadataStore.open(location.forReading())) {
            assertThat(reader.runs(Optional.empty(), 10)).extracting(DagRun::runId)
                    .containsExactlyInAnyOrder("first", "second");
        }
    }

    @Test
    void aReaderThatComesWhileAnotherProcessWritesReadsThroughIt() throws Exception {
        hold("write");
        assertThat(home.resolve("metadata.lock.db")).exists();

        try (MetadataStore reader = MetadataStore.open(location.forReading())) {
            assertThat(reader.runs(Optional.empty(), 10)).extracting(DagRun::runId).containsExactly("first");
        }
        release();
    }

    @Test
    void aReaderOfAFileThisVersionHasNotMigratedMigratesItThroughTheServer() throws Exception {
        Path older = Files.createDirectories(home.resolve("older"));
        StoreLocation olderLocation = StoreLocation.h2File(older.resolve("metadata"));
        Flyway.configure(MetadataStore.class.getClassLoader())
                .dataSource(olderLocation.jdbcUrl(), "sa", "")
                .locations("classpath:db/migration/metadata")
                .javaMigrations(new V8__Lean_transitions(), new V9__Change_journal())
                .table("dagctl_schema_history")
                .target("8")
                .load().migrate();

        try (MetadataStore reader = MetadataStore.open(olderLocation.forReading())) {
            assertThat(reader.runs(Optional.empty(), 10)).isEmpty();
        }
        JdbcDataSource file = new JdbcDataSource();
        file.setURL(olderLocation.jdbcUrl());
        file.setUser("sa");
        assertThat(MetadataStore.schemaVersion(file)).contains(MetadataStore.SCHEMA_VERSION);
    }

    /** Whether the writer sleeps between two tries to open the file, after H2 refused one. */
    private static boolean backsOffAfterARefusal(Thread writer) {
        StackTraceElement[] stack = writer.getStackTrace();
        return stack.length > 0 && stack[0].getMethodName().equals("sleep") && Arrays.stream(stack)
                .anyMatch(frame -> frame.getMethodName().equals("retryingHandOver"));
    }

    /** Starts a process that opens the home's store to read or to write, and holds it until {@link #release}. */
    private void hold(String mode) throws Exception {
        holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Holder.class.getName(), home.toString(), mode)
                .redirectErrorStream(true).start();
        BufferedReader output = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                StandardCharsets.UTF_8));
        assertThat(output.readLine()).isEqualTo("holding 1 run");
    }

    private void release() throws Exception {
        OutputStream input = holder.getOutputStream();
        input.write('\n');
        input.flush();
        assertThat(holder.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(holder.exitValue()).isZero();
    }

    /** Opens the store of the home given to read or to write, reads its runs, and closes it at a line on stdin. */
    static final class Holder {
        public static void main(String[] args) throws Exception {
            StoreLocation location = StoreLocation.fromEnvironment(Map.of(), Path.of(args[0]));
            try (MetadataStore store = MetadataStore.open(args[1].equals("read") ? location.forReading() : location)) {
                System.out.println("holding " + store.runs(Optional.empty(), 10).size() + " run");
                System.out.flush();
                System.in.read();
            }
        }
    }
}
