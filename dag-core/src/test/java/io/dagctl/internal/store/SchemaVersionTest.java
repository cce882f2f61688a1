package io.dagctl.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.api.MigrationInfo;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** Opening a store whose schema is current costs one query: Flyway runs only for a new or older schema. */
class SchemaVersionTest {
    @Test
    void expectsTheNewestMigrationAsTheCurrentSchemaVersion() {
        JdbcDataSource empty = new JdbcDataSource();
        empty.setURL(StoreLocation.h2InMemory("schema-" + UUID.randomUUID()).jdbcUrl());

        MigrationInfo[] migrations = MetadataStore.flyway(empty).info().all();

        assertThat(migrations[migrations.length - 1].getVersion().getVersion())
                .as("the newest of %s", Arrays.stream(migrations).map(MigrationInfo::getScript).toList())
                .isEqualTo(MetadataStore.SCHEMA_VERSION);
    }

    @Test
    void opensAStoreAtTheCurrentVersionWithoutRunningFlywayAgain() {
        StoreLocation location = StoreLocation.h2InMemory("schema-" + UUID.randomUUID());
        try (MetadataStore first = MetadataStore.open(location)) {
            // Flyway's validation would refuse the changed checksum; the version check does not look at it.
            first.withHandle(h -> h.execute("UPDATE \"dagctl_schema_history\" SET \"checksum\" = \"checksum\" + 1"
                    + " WHERE \"version\" = '1'"));

            try (MetadataStore second = MetadataStore.open(location)) {
                int tasks = second.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM task_instance")
                        .mapTo(Integer.class).one());
                assertThat(tasks).isZero();
            }
        }
    }

    @Test
    void indexesTheTablesATaskTransitionWritesOnlyByTheirPrimaryKeysOnH2() {
        try (MetadataStore store = MetadataStore.open(StoreLocation.h2InMemory("schema-" + UUID.randomUUID()))) {
            List<String> indexes = store.withHandle(h -> h.createQuery("SELECT table_name || ': ' || index_type_name FROM"
                    + " information_schema.indexes WHERE table_name IN ('task_instance', 'xcom')"
                    + " ORDER BY table_name, index_name").mapTo(String.class).list());

            // H2 rewrites every index entry of an updated row: workers (which refuse H2) and cascades (replaced by
            // explicit deletes) no longer cost each transition an index each.
            assertThat(indexes).containsExactly("task_instance: PRIMARY KEY", "xcom: PRIMARY KEY");
        }
    }

    @Test
    void findsNoVersionInADatabaseFlywayHasNotMigrated() {
        JdbcDataSource empty = new JdbcDataSource();
        empty.setURL(StoreLocation.h2InMemory("schema-" + UUID.randomUUID()).jdbcUrl());

        assertThat(MetadataStore.schemaVersion(empty)).isEmpty();
    }
}
