package io.dagctl.internal.store;

import java.sql.Connection;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Migration 8: a task transition writes fewer pages. H2 writes every changed page at commit, and the entry of every
 * index of a row it updates, so each table and index a hop touches costs its pages on every hop.
 *
 * <p>On both databases, a task's return value moves into its instance's row ({@code task_instance.return_value}),
 * which the end of the try updates anyway, and the {@code xcom} table goes: every value was a return value.
 *
 * <p>On H2 only, the worker queue's indexes on the state and the foreign key to {@code dag_run} (which H2 gives an
 * index of its own) are dropped: workers refuse H2, the primary key's {@code (dag_id, run_id, ...)} prefix serves
 * per-run reads, and the foreign key only cascaded the deletion of a run, which
 * {@link MetadataStore.Transaction#deleteEndedRun} now does itself. PostgreSQL keeps them: its workers query by
 * state, and an update that changes no indexed column writes no index entry there.
 *
 * <p>A Java migration because it asks which database it migrates.
 */
public final class V8__Lean_transitions extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        try (Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE task_instance ADD COLUMN return_value VARCHAR");
            statement.execute("UPDATE task_instance t SET return_value = (SELECT x.xcom_value FROM xcom x"
                    + " WHERE x.dag_id = t.dag_id AND x.run_id = t.run_id AND x.task_id = t.task_id"
                    + " AND x.map_index = t.map_index AND x.xcom_key = 'return_value')");
            statement.execute("DROP TABLE xcom");
            if (connection.getMetaData().getDatabaseProductName().equals("H2")) {
                statement.execute("DROP INDEX task_instance_by_run_state");
                statement.execute("DROP INDEX task_instance_by_state_queued_at");
                statement.execute("ALTER TABLE task_instance DROP CONSTRAINT task_instance_run_fk");
            }
        }
    }
}
