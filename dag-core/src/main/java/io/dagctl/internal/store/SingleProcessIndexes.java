package io.dagctl.internal.store;

import java.sql.Connection;
import java.sql.Statement;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * Migration 8: on H2, drops what only workers and cascading deletes used. H2 rewrites the entry of every index of a
 * row it updates, so each index cost its pages on every task transition. Workers refuse H2, so the worker queue's
 * indexes on the state serve nothing there (the primary key's {@code (dag_id, run_id, ...)} prefix serves per-run
 * reads), and the foreign keys, which H2 gives an index each, only cascaded deletes that the store now makes
 * explicitly ({@link MetadataStore.Transaction#deleteEndedRun}). PostgreSQL keeps all of them: its workers query by
 * state, and an update that changes no indexed column writes no index entry there. A Java migration because it
 * asks which database it migrates; SQL migrations are the same for both.
 */
final class SingleProcessIndexes implements JavaMigration {
    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("8");
    }

    @Override
    public String getDescription() {
        return "single process indexes";
    }

    @Override
    public Integer getChecksum() {
        return null;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        if (!connection.getMetaData().getDatabaseProductName().equals("H2")) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP INDEX task_instance_by_run_state");
            statement.execute("DROP INDEX task_instance_by_state_queued_at");
            statement.execute("ALTER TABLE xcom DROP CONSTRAINT xcom_task_instance_fk");
            statement.execute("ALTER TABLE task_instance DROP CONSTRAINT task_instance_run_fk");
        }
    }
}
