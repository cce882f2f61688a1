package io.dagctl.internal.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * On PostgreSQL, where workers execute runs, every task instance row records the transaction that last wrote what
 * {@link TaskInstance} shows of it ({@code change_xid}, set by a trigger, so that no writer can forget it), indexed
 * per run: a follower of a run then reads only the rows written since its last read ({@link ChangeJournal}). On H2
 * the migration does nothing: a run there executes in one process, whose follower reads the process's own journal,
 * and H2's commits stay as small as they were.
 */
public final class V9__Change_journal extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        if (!connection.getMetaData().getDatabaseProductName().equals("PostgreSQL")) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            // The full 64-bit id (epoch and xid), which never wraps around.
            statement.execute("ALTER TABLE task_instance ADD COLUMN change_xid xid8");
            statement.execute("CREATE FUNCTION task_instance_changed() RETURNS trigger LANGUAGE plpgsql AS $$"
                    + " BEGIN NEW.change_xid := pg_current_xact_id(); RETURN NEW; END $$");
            // Not on writes of columns a follower does not show (heartbeats, pools, the queuing time): a heartbeat
            // then changes no indexed column, and PostgreSQL updates the row without new index entries (HOT).
            statement.execute("CREATE TRIGGER task_instance_changed BEFORE INSERT OR UPDATE OF state, try_number,"
                    + " max_tries, start_date, end_date, duration, error, next_try_at, hostname, pid"
                    + " ON task_instance FOR EACH ROW EXECUTE FUNCTION task_instance_changed()");
            statement.execute("CREATE INDEX task_instance_by_run_change ON task_instance (dag_id, run_id, change_xid)");
        }
    }
}
