package io.dagctl.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
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
    void indexesTaskInstancesOnlyByTheirPrimaryKeyOnH2() {
        try (MetadataStore store = MetadataStore.open(StoreLocation.h2InMemory("schema-" + UUID.randomUUID()))) {
            List<String> indexes = store.withHandle(h -> h.createQuery("SELECT table_name || ': ' || index_type_name"
                    + " FROM information_schema.indexes WHERE table_name = 'task_instance'"
                    + " ORDER BY table_name, index_name").mapTo(String.class).list());

            // H2 rewrites every index entry of an updated row: workers (which refuse H2) and the cascade (replaced by
            // an explicit delete) no longer cost each transition an index each.
            assertThat(indexes).containsExactly("task_instance: PRIMARY KEY");
        }
    }

    @Test
    void carriesTheValuesOfTheXComTableIntoTheRowsOfTheTaskInstancesThatReturnedThem() throws SQLException {
        StoreLocation location = StoreLocation.h2InMemory("schema-" + UUID.randomUUID());
        JdbcDataSource database = new JdbcDataSource();
        database.setURL(location.jdbcUrl());
        database.setUser("sa");
        // The connection keeps the in-memory database between the two migrations.
        try (Connection held = database.getConnection()) {
            Flyway.configure().configuration(MetadataStore.flyway(database).getConfiguration()).target("7").load()
                    .migrate();
            held.createStatement().execute("INSERT INTO dag_run (dag_id, run_id, state, run_type, logical_date,"
                    + " data_interval_start, data_interval_end, params, created_at) VALUES ('bikes', 'manual__1',"
                    + " 'success', 'manual', now(), now(), now(), '{}', now())");
            held.createStatement().execute("INSERT INTO task_instance (dag_id, run_id, task_id, map_index, state,"
                    + " max_tries) VALUES ('bikes', 'manual__1', 'extract', -1, 'success', 1),"
                    + " ('bikes', 'manual__1', 'split', 0, 'success', 1),"
                    + " ('bikes', 'manual__1', 'load', -1, 'failed', 1)");
            held.createStatement().execute("INSERT INTO xcom (dag_id, run_id, task_id, map_index, xcom_value,"
                    + " created_at) VALUES ('bikes', 'manual__1', 'extract', -1, '{\"rows\":3}', now()),"
                    + " ('bikes', 'manual__1', 'split', 0, '\"a\"', now())");

            try (MetadataStore store = MetadataStore.open(location)) {
                assertThat(store.xcoms("bikes", "manual__1")).containsExactlyInAnyOrder(
                        XComEntry.returnValue("bikes", "manual__1", "extract", "{\"rows\":3}"),
                        new XComEntry("bikes", "manual__1", "split", 0, XComEntry.RETURN_VALUE, "\"a\""));
                int xcomTables = store.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM information_schema.tables"
                        + " WHERE table_name = 'xcom'").mapTo(Integer.class).one());
                assertThat(xcomTables).isZero();
            }
        }
    }

    @Test
    void findsNoVersionInADatabaseFlywayHasNotMigrated() {
        JdbcDataSource empty = new JdbcDataSource();
        empty.setURL(StoreLocation.h2InMemory("schema-" + UUID.randomUUID()).jdbcUrl());

        assertThat(MetadataStore.schemaVersion(empty)).isEmpty();
    }
}
