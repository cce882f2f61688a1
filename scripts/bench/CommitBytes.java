import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

/**
 * Bytes H2 writes per chain hop (two task_instance rows updated, one xcom row inserted, one commit) with the
 * metadata tables as migrated and without each of their secondary indexes, and per task of floor (b) (an insert and
 * an update, each committed), on H2 file databases with the store's settings.
 *
 * <p>Run: {@code java -cp ~/.m2/repository/com/h2database/h2/2.3.232/h2-2.3.232.jar scripts/bench/CommitBytes.java 500}
 */
public class CommitBytes {
    private static final String OPTIONS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";
    private static final String RUN_ID = "manual__2026-12-05T01:16:53.123456+00:00";
    private static final List<String> WITHOUT = List.of("", "task_instance_by_run_state",
            "task_instance_by_state_queued_at", "xcom_task_instance_fk", "task_instance_run_fk", "all");

    public static void main(String[] args) throws Exception {
        int hops = Integer.parseInt(args[0]);
        for (String without : WITHOUT) {
            System.out.printf("chain hop, %-42s %7d bytes%n", without.isEmpty() ? "as migrated"
                    : without.equals("all") ? "with primary keys only" : "without " + without,
                    chainHop(hops, without));
        }
        System.out.printf("floor (b) task %50d bytes%n", floorTask(hops));
    }

    private static long chainHop(int hops, String without) throws Exception {
        Set<String> dropped = without.equals("all") ? Set.copyOf(WITHOUT) : Set.of(without);
        try (Connection c = open()) {
            Statement s = c.createStatement();
            s.execute("CREATE TABLE dag_run (dag_id VARCHAR(250), run_id VARCHAR(250), PRIMARY KEY (dag_id, run_id))");
            s.execute("CREATE TABLE task_instance (dag_id VARCHAR(250) NOT NULL, run_id VARCHAR(250) NOT NULL,"
                    + " task_id VARCHAR(250) NOT NULL, map_index INT NOT NULL, state VARCHAR(20) NOT NULL,"
                    + " try_number INT NOT NULL, max_tries INT NOT NULL, start_date TIMESTAMP WITH TIME ZONE,"
                    + " end_date TIMESTAMP WITH TIME ZONE, duration DOUBLE PRECISION, error VARCHAR,"
                    + " next_try_at TIMESTAMP WITH TIME ZONE, hostname VARCHAR(250), pid INT,"
                    + " pool VARCHAR(250) NOT NULL DEFAULT 'default_pool', pool_slots INT NOT NULL DEFAULT 1,"
                    + " queued_at TIMESTAMP WITH TIME ZONE, worker VARCHAR(250), heartbeat_at TIMESTAMP WITH TIME ZONE,"
                    + " PRIMARY KEY (dag_id, run_id, task_id, map_index)"
                    + (dropped.contains("task_instance_run_fk") ? "" : ", CONSTRAINT task_instance_run_fk FOREIGN KEY"
                            + " (dag_id, run_id) REFERENCES dag_run (dag_id, run_id) ON DELETE CASCADE") + ")");
            if (!dropped.contains("task_instance_by_run_state")) {
                s.execute("CREATE INDEX task_instance_by_run_state ON task_instance (dag_id, run_id, state)");
            }
            if (!dropped.contains("task_instance_by_state_queued_at")) {
                s.execute("CREATE INDEX task_instance_by_state_queued_at ON task_instance (state, queued_at)");
            }
            s.execute("CREATE TABLE xcom (dag_id VARCHAR(250) NOT NULL, run_id VARCHAR(250) NOT NULL,"
                    + " task_id VARCHAR(250) NOT NULL, map_index INT NOT NULL, xcom_key VARCHAR(512) NOT NULL,"
                    + " xcom_value VARCHAR NOT NULL, created_at TIMESTAMP WITH TIME ZONE NOT NULL,"
                    + " PRIMARY KEY (dag_id, run_id, task_id, map_index, xcom_key)"
                    + (dropped.contains("xcom_task_instance_fk") ? "" : ", CONSTRAINT xcom_task_instance_fk FOREIGN KEY"
                            + " (dag_id, run_id, task_id, map_index) REFERENCES task_instance (dag_id, run_id,"
                            + " task_id, map_index) ON DELETE CASCADE") + ")");
            s.execute("INSERT INTO dag_run VALUES ('chain', '" + RUN_ID + "')");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO task_instance (dag_id, run_id, task_id,"
                    + " map_index, state, try_number, max_tries) VALUES ('chain', ?, ?, -1, 'none', 0, 1)")) {
                for (int i = 0; i < hops; i++) {
                    insert.setString(1, RUN_ID);
                    insert.setString(2, taskId(i));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            c.setAutoCommit(false);
            long before = written(c);
            OffsetDateTime now = OffsetDateTime.now();
            for (int i = 0; i < hops - 1; i++) {
                try (PreparedStatement update = c.prepareStatement("UPDATE task_instance SET state = ?,"
                        + " try_number = 1, start_date = ?, end_date = ?, duration = ?, hostname = 'host', pid = 1234"
                        + " WHERE dag_id = 'chain' AND run_id = ? AND task_id = ? AND map_index = -1")) {
                    for (int k = 0; k < 2; k++) {
                        update.setString(1, k == 0 ? "success" : "running");
                        update.setObject(2, now);
                        update.setObject(3, k == 0 ? now : null, Types.TIMESTAMP_WITH_TIMEZONE);
                        update.setObject(4, k == 0 ? 0.001 : null, Types.DOUBLE);
                        update.setString(5, RUN_ID);
                        update.setString(6, taskId(i + k));
                        update.addBatch();
                    }
                    update.executeBatch();
                }
                try (PreparedStatement value = c.prepareStatement(
                        "INSERT INTO xcom VALUES ('chain', ?, ?, -1, 'return_value', ?, ?)")) {
                    value.setString(1, RUN_ID);
                    value.setString(2, taskId(i));
                    value.setString(3, String.valueOf(i));
                    value.setObject(4, now);
                    value.executeUpdate();
                }
                c.commit();
            }
            return (written(c) - before) / (hops - 1);
        }
    }

    private static long floorTask(int tasks) throws Exception {
        try (Connection c = open()) {
            c.createStatement().execute("CREATE TABLE task (run INT, id VARCHAR(100), state VARCHAR(20),"
                    + " value_json VARCHAR, PRIMARY KEY (run, id))");
            long before = written(c);
            for (int i = 0; i < tasks; i++) {
                try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO task (run, id, state) VALUES (1, ?, 'running')")) {
                    insert.setString(1, taskId(i));
                    insert.executeUpdate();
                }
                try (PreparedStatement update = c.prepareStatement(
                        "UPDATE task SET state = 'success', value_json = ? WHERE run = 1 AND id = ?")) {
                    update.setString(1, String.valueOf(i));
                    update.setString(2, taskId(i));
                    update.executeUpdate();
                }
            }
            return (written(c) - before) / tasks;
        }
    }

    private static Connection open() throws Exception {
        Path directory = Files.createTempDirectory("commit-bytes-");
        return DriverManager.getConnection("jdbc:h2:file:" + directory.resolve("db") + OPTIONS, "sa", "");
    }

    private static String taskId(int i) {
        return String.format("t%05d", i);
    }

    private static long written(Connection c) throws SQLException {
        try (ResultSet row = c.createStatement().executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                + " WHERE SETTING_NAME = 'info.FILE_WRITE_BYTES'")) {
            row.next();
            return Long.parseLong(row.getString(1));
        }
    }
}
