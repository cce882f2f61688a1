package io.dagctl.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dagctl.TaskState;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2MetadataStoreTest extends MetadataStoreContract {
    @Override
    MetadataStore openStore() {
        return MetadataStore.open(StoreLocation.h2InMemory("store-" + UUID.randomUUID()));
    }

    @Test
    void keepsTheFileDatabaseInTheDagctlHomeByDefault(@TempDir Path home) {
        StoreLocation location = StoreLocation.fromEnvironment(Map.of(), home);

        try (MetadataStore fileStore = MetadataStore.open(location)) {
            assertThat(fileStore.runs(Optional.empty(), 10)).isEmpty();
        }
        assertThat(home.resolve("metadata.mv.db")).exists();
    }

    @Test
    void aProcessThatOnlyReadsTheFileLeavesItsCompactionToThoseThatWrite(@TempDir Path home) {
        StoreLocation location = StoreLocation.fromEnvironment(Map.of(), home);

        assertThat(maxCompactTime(location)).isEqualTo("200");
        assertThat(maxCompactTime(location.forReading().throughServer())).isEqualTo("0");
        // While no other process holds the file, a reader opens it read-only: it writes nothing, so compacts nothing.
        try (MetadataStore store = MetadataStore.open(location.forReading())) {
            boolean readOnly = store.withHandle(handle -> handle.createQuery("SELECT READONLY()").mapTo(Boolean.class)
                    .one());
            assertThat(readOnly).isTrue();
        }
        StoreLocation inMemory = StoreLocation.h2InMemory("store-" + UUID.randomUUID());
        assertThat(inMemory.forReading()).isEqualTo(inMemory);
    }

    /** How long H2 compacts the file as this process closes it, in milliseconds, as H2 reports it. */
    private static String maxCompactTime(StoreLocation location) {
        try (MetadataStore store = MetadataStore.open(location)) {
            return store.withHandle(handle -> handle.createQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                    + " WHERE SETTING_NAME = 'MAX_COMPACT_TIME'").mapTo(String.class).one());
        }
    }

    @Test
    void readsAPostgresUriFromTheEnvironmentWithoutShowingItsPassword() {
        StoreLocation location = StoreLocation.fromEnvironment(
                Map.of("DAGCTL_DB_URL", "postgresql://dagctl:s3cret-pw@db.example:5433/meta"), Path.of("."));

        assertThat(location.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:5433/meta");
        assertThat(location.user()).contains("dagctl");
        assertThat(location.password()).contains("s3cret-pw");
        assertThat(location.isPostgres()).isTrue();
    }

    @Test
    void refusesADatabaseUriOfAnotherKind() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StoreLocation.fromEnvironment(
                        Map.of("DAGCTL_DB_URL", "mysql://u:p@h/db"), Path.of(".")))
                .hasMessage("DAGCTL_DB_URL has scheme 'mysql': expected jdbc:..., or"
                        + " postgresql://user:password@host:port/database");
    }

    @Test
    void aWriterKeepsItsConnectionAcrossTransactionsAndReplacesItAfterOneFailed() throws Exception {
        createRun("manual__1", "extract");
        TaskInstance fresh = store.findTaskInstance("bikes", "manual__1", "extract").orElseThrow();
        List<Connection> used = new ArrayList<>();
        try (MetadataStore.Writer writer = store.writer()) {
            writer.write(tx -> {
                used.add(tx.handle().getConnection());
                tx.updateTasks(List.of(fresh.withState(TaskState.SCHEDULED)));
            });
            writer.write(tx -> {
                used.add(tx.handle().getConnection());
                tx.updateTasks(List.of(fresh.withState(TaskState.QUEUED)));
            });
            // Broken under the writer, as a connection is when the database goes away: the transaction that finds
            // it so fails, and the next one works on another connection, with its statements prepared again.
            used.get(1).close();
            assertThatThrownBy(() -> writer.write(tx -> tx.updateTasks(List.of(fresh.withState(TaskState.FAILED)))))
                    .hasMessage("Failed to test for transaction status");
            writer.write(tx -> {
                used.add(tx.handle().getConnection());
                tx.updateTasks(List.of(fresh.startedTry(Instant.now(), "host-a", 42)),
                        List.of(XComEntry.returnValue("bikes", "manual__1", "extract", "1")));
            });
        }

        assertThat(used.get(1)).isSameAs(used.get(0));
        assertThat(used.get(2)).isNotSameAs(used.get(1));
        assertThat(used.get(2).isClosed()).isTrue();
        assertThat(store.findTaskInstance("bikes", "manual__1", "extract").orElseThrow().state())
                .isEqualTo(TaskState.RUNNING);
        assertThat(store.xcoms("bikes", "manual__1")).extracting(XComEntry::storedValue).containsExactly("1");
    }
}
