package io.dagctl.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
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
        assertThat(maxCompactTime(location.forReading())).isEqualTo("0");
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
}
