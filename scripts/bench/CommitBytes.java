import io.dagctl.RunState;
import io.dagctl.TaskState;
import io.dagctl.internal.store.DagRun;
import io.dagctl.internal.store.MetadataStore;
import io.dagctl.internal.store.RunType;
import io.dagctl.internal.store.StoreLocation;
import io.dagctl.internal.store.TaskInstance;
import io.dagctl.internal.store.XComEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Bytes H2 writes, and time taken, per chain hop of the metadata store on the class path (the end of one task, the
 * start of the next and the first one's return value, through the store's own statements, in one transaction of a
 * {@link MetadataStore.Writer}, as the runtime's hop commits them) and per task of floor (b) (an insert and an
 * update, each committed), on H2 files with the store's settings. The two alternate, round by round, each on a new
 * file; the times are medians of the rounds. Put another build's classes on the class path to compare builds.
 *
 * <p>Run: {@code java -cp <bench class path> scripts/bench/CommitBytes.java 500 [rounds]}
 */
public class CommitBytes {
    private static final String RUN_ID = "manual__2026-12-05T01:16:53.123456+00:00";

    /** What a loop of hops or floor tasks cost, per hop or task. */
    record Cost(long bytes, long nanos) {
    }

    public static void main(String[] args) throws Exception {
        int hops = Integer.parseInt(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        long[] hopNanos = new long[rounds];
        long[] floorNanos = new long[rounds];
        Cost hop = null;
        Cost floor = null;
        for (int round = 0; round < rounds; round++) {
            hop = chainHop(hops);
            floor = floorTask(hops);
            hopNanos[round] = hop.nanos();
            floorNanos[round] = floor.nanos();
        }
        Arrays.sort(hopNanos);
        Arrays.sort(floorNanos);
        long hopMedian = hopNanos[rounds / 2];
        long floorMedian = floorNanos[rounds / 2];
        System.out.printf("chain hop through the store %32d bytes %9.1f us%n", hop.bytes(), hopMedian / 1e3);
        System.out.printf("floor (b) task %45d bytes %9.1f us%n", floor.bytes(), floorMedian / 1e3);
        System.out.printf("hop / floor (b) task: %.2fx the bytes, %.2fx the time (medians of %d rounds)%n",
                (double) hop.bytes() / floor.bytes(), (double) hopMedian / floorMedian, rounds);
    }

    private static Cost chainHop(int hops) throws Exception {
        Path directory = Files.createTempDirectory("commit-bytes-");
        try (MetadataStore store = MetadataStore.open(StoreLocation.h2File(directory.resolve("metadata")))) {
            Instant now = Instant.now();
            List<TaskInstance> tasks = new ArrayList<>();
            for (int i = 0; i < hops; i++) {
                tasks.add(TaskInstance.fresh("chain", RUN_ID, taskId(i), 1));
            }
            store.write(tx -> {
                tx.insertRun(new DagRun("chain", RUN_ID, RunState.RUNNING, RunType.MANUAL, now, now, now, Map.of(),
                        now, Optional.of(now), Optional.empty(), Optional.empty(), Optional.empty()));
                tx.insertTasks(tasks);
            });
            TaskInstance first = tasks.get(0).startedTry(now, "host", 1234);
            store.write(tx -> tx.updateTasks(List.of(first)));
            TaskInstance running = first;
            long before = written(store);
            long start = System.nanoTime();
            try (MetadataStore.Writer writer = store.writer()) {
                for (int i = 1; i < hops; i++) {
                    TaskInstance ended = running.endedTry(TaskState.SUCCESS, Instant.now(), Optional.empty(),
                            Optional.empty());
                    TaskInstance next = tasks.get(i).startedTry(Instant.now(), "host", 1234);
                    XComEntry value = XComEntry.returnValue("chain", RUN_ID, ended.taskId(), String.valueOf(i));
                    writer.write(tx -> tx.updateTasks(List.of(ended, next), List.of(value)));
                    running = next;
                }
            }
            long nanos = System.nanoTime() - start;
            return new Cost((written(store) - before) / (hops - 1), nanos / (hops - 1));
        }
    }

    private static Cost floorTask(int tasks) throws Exception {
        Path directory = Files.createTempDirectory("commit-bytes-");
        try (Connection c = DriverManager.getConnection(StoreLocation.h2File(directory.resolve("floor")).jdbcUrl(),
                "sa", "")) {
            c.createStatement().execute("CREATE TABLE task (run INT, id VARCHAR(100), state VARCHAR(20),"
                    + " value_json VARCHAR, PRIMARY KEY (run, id))");
            long before = written(c);
            long start = System.nanoTime();
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
            long nanos = System.nanoTime() - start;
            return new Cost((written(c) - before) / tasks, nanos / tasks);
        }
    }

    private static String taskId(int i) {
        return String.format("t%05d", i);
    }

    private static long written(MetadataStore store) {
        return store.withHandle(h -> {
            try {
                return written(h.getConnection());
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static long written(Connection c) throws SQLException {
        try (ResultSet row = c.createStatement().executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                + " WHERE SETTING_NAME = 'info.FILE_WRITE_BYTES'")) {
            row.next();
            return Long.parseLong(row.getString(1));
        }
    }
}
