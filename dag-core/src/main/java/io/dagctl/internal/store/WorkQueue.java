package io.dagctl.internal.store;

import io.dagctl.RunState;
import io.dagctl.TaskState;
import io.dagctl.internal.store.MetadataStore.Transaction;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * The statements of distributed execution on PostgreSQL: runs handed to workers, task instances queued under the
 * concurrency limits, claimed with {@code FOR UPDATE SKIP LOCKED}, heartbeats and zombies. Every decision about a
 * run is made holding its row lock ({@link #lockRun}); queuing holds one transaction-scoped advisory lock, so that
 * any number of workers may do it without counting a slot twice.
 */
public final class WorkQueue {
    /** The channel workers LISTEN on; notified when tasks are queued or runs created. */
    public static final String CHANNEL = "dagctl_work";
    public static final String WORKERS = "workers";
    public static final String LOCAL = "local";

    /** The advisory lock key of queuing ("dagctl" in ASCII, then 1). */
    private static final long QUEUEING_LOCK = 0x0064_6167_6374_6c01L;
    private static final String UNFINISHED = "('none', 'scheduled', 'queued', 'running', 'up_for_retry')";
    private static final String TI_KEY = "dag_id = :dagId AND run_id = :runId AND task_id = :taskId"
            + " AND map_index = :mapIndex";
    /** How many instances inserted at once make the table's statistics too old to plan by. */
    private static final int WIDE = 1000;

    private WorkQueue() {
    }

    /** A task instance's key. */
    public record TaskKey(String dagId, String runId, String taskId, int mapIndex) {
    }

    /** A scheduled task instance and what it needs to be queued. */
    public record Candidate(TaskKey key, String pool, int poolSlots, int maxActiveTasks) {
    }

    /** A named pool. */
    public record Pool(String name, int slots, String description) {
    }

    /** Which executor runs the run, and the DAG's limits at its creation. */
    public static void setExecution(Transaction tx, String dagId, String runId, String executor, int maxActiveRuns,
            int maxActiveTasks) {
        tx.handle().createUpdate("UPDATE dag_run SET executor = :executor, max_active_runs = :maxActiveRuns,"
                        + " max_active_tasks = :maxActiveTasks WHERE dag_id = :dagId AND run_id = :runId")
                .bind("executor", executor)
                .bind("maxActiveRuns", maxActiveRuns)
                .bind("maxActiveTasks", maxActiveTasks)
                .bind("dagId", dagId)
                .bind("runId", runId)
                .execute();
    }

    /** Sets the pool of the named tasks of a run (all their mapped instances). */
    public static void assignPool(Transaction tx, String dagId, String runId, String taskId, String pool, int slots) {
        tx.handle().createUpdate("UPDATE task_instance SET pool = :pool, pool_slots = :slots"
                        + " WHERE dag_id = :dagId AND run_id = :runId AND task_id = :taskId")
                .bind("pool", pool)
                .bind("slots", slots)
                .bind("dagId", dagId)
                .bind("runId", runId)
                .bind("taskId", taskId)
                .execute();
    }

    public static Optional<String> executor(Transaction tx, String dagId, String runId) {
        return tx.handle().createQuery("SELECT executor FROM dag_run WHERE dag_id = :dagId AND run_id = :runId")
                .bind("dagId", dagId)
                .bind("runId", runId)
                .mapTo(String.class)
                .findOne();
    }

    /** The run, its row locked until the transaction ends. */
    public static Optional<DagRun> lockRun(Transaction tx, String dagId, String runId) {
        return tx.handle().createQuery("SELECT * FROM dag_run WHERE dag_id = :dagId AND run_id = :runId FOR UPDATE")
                .bind("dagId", dagId)
                .bind("runId", runId)
                .map((rs, ctx) -> MetadataStore.run(rs))
                .findOne();
    }

    /** Every instance (mapped ones included) of the named tasks of a run. */
    public static List<TaskInstance> tasks(Transaction tx, String dagId, String runId, Collection<String> taskIds) {
        if (taskIds.isEmpty()) {
            return List.of();
        }
        return tx.handle().createQuery("SELECT * FROM task_instance WHERE dag_id = :dagId AND run_id = :runId"
                        + " AND task_id = ANY(:taskIds) ORDER BY task_id, map_index")
                .bind("dagId", dagId)
                .bind("runId", runId)
                .bindArray("taskIds", String.class, taskIds)
                .map((rs, ctx) -> MetadataStore.taskInstance(rs))
                .list();
    }

    /** The return values of the named tasks of a run, mapped ones in map index order. */
    public static List<XComEntry> returnValues(Transaction tx, String dagId, String runId,
            Collection<String> taskIds) {
        if (taskIds.isEmpty()) {
            return List.of();
        }
        return tx.handle().createQuery("SELECT task_id, map_index, return_value FROM task_instance"
                        + " WHERE dag_id = :dagId AND run_id = :runId AND task_id = ANY(:taskIds)"
                        + " AND return_value IS NOT NULL ORDER BY task_id, map_index")
                .bind("dagId", dagId)
                .bind("runId", runId)
                .bindArray("taskIds", String.class, taskIds)
                .map((rs, ctx) -> new XComEntry(dagId, runId, rs.getString(1), rs.getInt(2), XComEntry.RETURN_VALUE,
                        rs.getString(3)))
                .list();
    }

    public static boolean anyUnfinished(Transaction tx, String dagId, String runId) {
        return tx.handle().createQuery(anyUnfinishedQuery(":dagId", ":runId"))
                .bind("dagId", dagId)
                .bind("runId", runId)
                .mapTo(Boolean.class)
                .one();
    }

    /**
     * One equality per state, so that the (dag_id, run_id, state) index answers each without reading the run's
     * finished rows, even before the table has statistics.
     */
    private static String anyUnfinishedQuery(String dagId, String runId) {
        String exists = " EXISTS (SELECT 1 FROM task_instance WHERE dag_id = " + dagId + " AND run_id = " + runId
                + " AND state = ";
        return "SELECT" + exists + "'none') OR" + exists + "'scheduled') OR" + exists + "'queued') OR" + exists
                + "'running') OR" + exists + "'up_for_retry')";
    }

    /** A run whose row the transaction has locked, and whether it had unfinished instances once it was locked. */
    public record LockedRun(DagRun run, boolean anyUnfinished) {
    }

    /**
     * {@link #lockRun} then {@link #anyUnfinished}, in one round trip. Two statements, not one: a statement reads
     * from a snapshot taken before it waited for the lock, and would miss the ends that the transaction holding the
     * lock committed; the second statement's snapshot is taken once the first has the lock.
     */
    public static Optional<LockedRun> lockRunAndAskUnfinished(Transaction tx, String dagId, String runId) {
        try (PreparedStatement statements = tx.handle().getConnection().prepareStatement(
                "SELECT * FROM dag_run WHERE dag_id = ? AND run_id = ? FOR UPDATE; " + anyUnfinishedQuery("?", "?"))) {
            statements.setString(1, dagId);
            statements.setString(2, runId);
            for (int parameter = 3; parameter <= 12; parameter += 2) {
                statements.setString(parameter, dagId);
                statements.setString(parameter + 1, runId);
            }
            statements.execute();
            Optional<DagRun> run;
            try (ResultSet locked = statements.getResultSet()) {
                run = locked.next() ? Optional.of(MetadataStore.run(locked)) : Optional.empty();
            }
            statements.getMoreResults();
            try (ResultSet unfinished = statements.getResultSet()) {
                unfinished.next();
                boolean any = unfinished.getBoolean(1);
                return run.map(r -> new LockedRun(r, any));
            }
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException("dag_run: could not lock run " + runId + " of DAG " + dagId
                    + ": " + e.getMessage(), e, null);
        }
    }

    /**
     * Replaces a mapped task's placeholder (map index -1) with one scheduled instance per element.
     *
     * @return the instances, in index order
     */
    public static List<TaskInstance> expand(Transaction tx, TaskInstance placeholder, int count, String pool,
            int poolSlots) {
        tx.handle().createUpdate("DELETE FROM task_instance WHERE " + TI_KEY)
                .bind("dagId", placeholder.dagId())
                .bind("runId", placeholder.runId())
                .bind("taskId", placeholder.taskId())
                .bind("mapIndex", placeholder.mapIndex())
                .execute();
        PreparedBatch batch = tx.handle().prepareBatch("INSERT INTO task_instance (dag_id, run_id, task_id,"
                + " map_index, state, try_number, max_tries, pool, pool_slots) VALUES (:dagId, :runId, :taskId,"
                + " :mapIndex, 'scheduled', 0, :maxTries, :pool, :poolSlots)");
        for (int i = 0; i < count; i++) {
            batch.bind("dagId", placeholder.dagId())
                    .bind("runId", placeholder.runId())
                    .bind("taskId", placeholder.taskId())
                    .bind("mapIndex", i)
                    .bind("maxTries", placeholder.maxTries())
                    .bind("pool", pool)
                    .bind("poolSlots", poolSlots)
                    .add();
        }
        batch.execute();
        analyzeIfWide(tx, count);
        List<TaskInstance> mapped = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            mapped.add(new TaskInstance(placeholder.dagId(), placeholder.runId(), placeholder.taskId(), i,
                    TaskState.SCHEDULED, 0, placeholder.maxTries(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
        }
        return mapped;
    }

    /**
     * Renews the statistics of {@code task_instance} in the transaction that inserted or scheduled {@code changed}
     * instances of one run, when they are many. Planned without them, PostgreSQL takes the rows of a new run, or the
     * scheduled instances of a run whose tasks were inserted as {@code none}, for none, and picks an index on the
     * state over the primary key for statements naming one instance: each end or queuing of a 10,000-task fan-out
     * then read every scheduled instance of the run.
     */
    public static void analyzeIfWide(Transaction tx, int changed) {
        if (changed >= WIDE) {
            tx.handle().execute("ANALYZE task_instance");
        }
    }

    /**
     * Renews the statistics in the transaction that ends a run of many instances: those taken while its instances
     * were scheduled would count them as scheduled long after, and the queuing pass's read of scheduled instances
     * would then scan the whole table on every hop of a chain.
     */
    public static void analyzeIfWideRunEnds(Transaction tx, String dagId, String runId) {
        analyzeIfWide(tx, tx.handle().createQuery("SELECT COUNT(*) FROM (SELECT 1 FROM task_instance"
                        + " WHERE dag_id = :dagId AND run_id = :runId LIMIT :wide) instances")
                .bind("dagId", dagId)
                .bind("runId", runId)
                .bind("wide", WIDE)
                .mapTo(Integer.class)
                .one());
    }

    /** Replaces every instance of a mapped task with a placeholder, to be expanded again over a new list. */
    public static void unexpand(Transaction tx, TaskInstance placeholder, String pool, int poolSlots) {
        tx.handle().createUpdate("DELETE FROM task_instance WHERE dag_id = :dagId AND run_id = :runId"
                        + " AND task_id = :taskId")
                .bind("dagId", placeholder.dagId())
                .bind("runId", placeholder.runId())
                .bind("taskId", placeholder.taskId())
                .execute();
        tx.insertTasks(List.of(placeholder));
        assignPool(tx, placeholder.dagId(), placeholder.runId(), placeholder.taskId(), pool, poolSlots);
    }

    /** Skips the not yet started instances of the named tasks (a branch or short-circuit decided so). */
    public static void skipUnstarted(Transaction tx, String dagId, String runId, Collection<String> taskIds,
            Instant at) {
        if (taskIds.isEmpty()) {
            return;
        }
        tx.handle().createUpdate("UPDATE task_instance SET state = 'skipped', start_date = COALESCE(start_date, :at),"
                        + " end_date = :at, duration = 0 WHERE dag_id = :dagId AND run_id = :runId"
                        + " AND task_id = ANY(:taskIds) AND state IN ('none', 'scheduled')")
                .bindByType("at", MetadataStore.offset(at), OffsetDateTime.class)
                .bind("dagId", dagId)
                .bind("runId", runId)
                .bindArray("taskIds", String.class, taskIds)
                .execute();
    }

    /** Takes the transaction-scoped queuing lock unless another transaction holds it. */
    public static boolean tryLockQueueing(Transaction tx) {
        return tx.handle().createQuery("SELECT pg_try_advisory_xact_lock(:key)")
                .bind("key", QUEUEING_LOCK)
                .mapTo(Boolean.class)
                .one();
    }

    /** Queued runs handed to workers, oldest first. */
    public static List<DagRun> queuedWorkerRuns(Transaction tx, int limit) {
        return tx.handle().createQuery("SELECT * FROM dag_run WHERE executor = 'workers' AND state = 'queued'"
                        + " ORDER BY created_at LIMIT :limit")
                .bind("limit", limit)
                .map((rs, ctx) -> MetadataStore.run(rs))
                .list();
    }

    /** How many runs of each DAG are running, and the limit its newest queued run carries. */
    public static Map<String, Integer> runningRunsByDag(Transaction tx) {
        Map<String, Integer> counts = new HashMap<>();
        tx.handle().createQuery("SELECT dag_id, COUNT(*) AS n FROM dag_run WHERE state = 'running' GROUP BY dag_id")
                .map((rs, ctx) -> counts.put(rs.getString("dag_id"), rs.getInt("n")))
                .list();
        return counts;
    }

    public static int maxActiveRuns(Transaction tx, String dagId, String runId) {
        return tx.handle().createQuery("SELECT max_active_runs FROM dag_run WHERE dag_id = :dagId AND run_id = :runId")
                .bind("dagId", dagId)
                .bind("runId", runId)
                .mapTo(Integer.class)
                .one();
    }

    /** Tries of worker runs whose retry delay has passed go back to scheduled. */
    public static int scheduleDueRetries(Transaction tx, Instant now) {
        return tx.handle().createUpdate("UPDATE task_instance SET state = 'scheduled' WHERE state = 'up_for_retry'"
                        + " AND next_try_at <= :now AND (dag_id, run_id) IN (SELECT dag_id, run_id FROM dag_run"
                        + " WHERE executor = 'workers' AND state = 'running')")
                .bindByType("now", MetadataStore.offset(now), OffsetDateTime.class)
                .execute();
    }

    /** The slots of each pool held by queued and running tries. */
    public static Map<String, Integer> heldPoolSlots(Transaction tx) {
        Map<String, Integer> held = new HashMap<>();
        tx.handle().createQuery("SELECT pool, SUM(pool_slots) AS n FROM task_instance"
                        + " WHERE state IN ('queued', 'running') GROUP BY pool")
                .map((rs, ctx) -> held.put(rs.getString("pool"), rs.getInt("n")))
                .list();
        return held;
    }

    /** What a queuing pass counts its limits from: pool sizes, slots held, active tries per DAG, queued tries. */
    public record QueueLoad(Map<String, Integer> poolSlots, Map<String, Integer> heldPoolSlots,
            Map<String, Integer> activeTasksByDag, int queued) {
    }

    /** The {@link QueueLoad} in one round trip: a queuing pass runs on every hop of a chain. */
    public static QueueLoad queueLoad(Transaction tx) {
        Map<String, Integer> pools = new HashMap<>();
        Map<String, Integer> held = new HashMap<>();
        Map<String, Integer> active = new HashMap<>();
        int[] queued = new int[1];
        tx.handle().createQuery("SELECT 'pool' AS kind, name AS name, slots AS n FROM pool"
                        + " UNION ALL SELECT 'held', pool, SUM(pool_slots) FROM task_instance"
                        + " WHERE state IN ('queued', 'running') GROUP BY pool"
                        + " UNION ALL SELECT 'active', dag_id, COUNT(*) FROM task_instance"
                        + " WHERE state IN ('queued', 'running') GROUP BY dag_id"
                        + " UNION ALL SELECT 'queued', '', COUNT(*) FROM task_instance WHERE state = 'queued'")
                .map((rs, ctx) -> {
                    String name = rs.getString("name");
                    int n = rs.getInt("n");
                    switch (rs.getString("kind")) {
                        case "pool" -> pools.put(name, n);
                        case "held" -> held.put(name, n);
                        case "active" -> active.put(name, n);
                        default -> queued[0] = n;
                    }
                    return n;
                })
                .list();
        return new QueueLoad(pools, held, active, queued[0]);
    }

    /** Scheduled instances of running worker runs, in no particular order (sorting thousands would cost more). */
    public static List<Candidate> scheduled(Transaction tx, int limit) {
        return tx.handle().createQuery("SELECT t.dag_id, t.run_id, t.task_id, t.map_index, t.pool, t.pool_slots,"
                        + " r.max_active_tasks FROM task_instance t JOIN dag_run r"
                        + " ON r.dag_id = t.dag_id AND r.run_id = t.run_id"
                        + " WHERE t.state = 'scheduled' AND r.executor = 'workers' AND r.state = 'running'"
                        + " LIMIT :limit")
                .bind("limit", limit)
                .map((rs, ctx) -> new Candidate(new TaskKey(rs.getString("dag_id"), rs.getString("run_id"),
                        rs.getString("task_id"), rs.getInt("map_index")), rs.getString("pool"),
                        rs.getInt("pool_slots"), rs.getInt("max_active_tasks")))
                .list();
    }

    /** Scheduled → queued. */
    public static void queue(Transaction tx, Collection<TaskKey> keys, Instant now) {
        if (keys.isEmpty()) {
            return;
        }
        PreparedBatch batch = tx.handle().prepareBatch("UPDATE task_instance SET state = 'queued', queued_at = :now"
                + " WHERE " + TI_KEY + " AND state = 'scheduled'");
        for (TaskKey key : keys) {
            batch.bindByType("now", MetadataStore.offset(now), OffsetDateTime.class)
                    .bind("dagId", key.dagId())
                    .bind("runId", key.runId())
                    .bind("taskId", key.taskId())
                    .bind("mapIndex", key.mapIndex())
                    .add();
        }
        batch.execute();
    }

    /**
     * Wakes the listening workers once the transaction commits; {@code from} is the notifying worker's id (which
     * that worker's listener ignores), or empty.
     */
    public static void notifyWorkers(Transaction tx, String from) {
        tx.handle().createQuery("SELECT pg_notify(:channel, :from)").bind("channel", CHANNEL).bind("from", from)
                .mapTo(String.class).one();
    }

    /**
     * Queued → running for this worker: up to {@code limit} of the oldest queued instances of the given DAGs that no
     * other worker is claiming at the same moment. The database clock stamps the heartbeat.
     */
    public static List<TaskInstance> claim(Transaction tx, Collection<String> dagIds, int limit, String worker,
            String host, int pid, Instant now) {
        return tx.handle().createQuery("UPDATE task_instance t SET state = 'running', try_number = t.try_number + 1,"
                        + " start_date = :now, end_date = NULL, duration = NULL, error = NULL, next_try_at = NULL,"
                        + " hostname = :host, pid = :pid, worker = :worker, heartbeat_at = CURRENT_TIMESTAMP"
                        + " FROM (SELECT dag_id, run_id, task_id, map_index FROM task_instance"
                        + " WHERE state = 'queued' AND dag_id = ANY(:dagIds) ORDER BY queued_at LIMIT :limit"
                        + " FOR UPDATE SKIP LOCKED) c"
                        + " WHERE t.dag_id = c.dag_id AND t.run_id = c.run_id AND t.task_id = c.task_id"
                        + " AND t.map_index = c.map_index RETURNING t.*")
                .bindByType("now", MetadataStore.offset(now), OffsetDateTime.class)
                .bind("host", host)
                .bind("pid", pid)
                .bind("worker", worker)
                .bindArray("dagIds", String.class, dagIds)
                .bind("limit", limit)
                .map((rs, ctx) -> MetadataStore.taskInstance(rs))
                .list();
    }

    /** The tries the database says {@code worker} runs. */
    public static List<TaskInstance> runningOn(Transaction tx, String worker) {
        return tx.handle().createQuery("SELECT * FROM task_instance WHERE worker = :worker AND state = 'running'")
                .bind("worker", worker)
                .map((rs, ctx) -> MetadataStore.taskInstance(rs))
                .list();
    }

    /**
     * Records the ends of tries, in one round trip, where {@code worker} still runs them (a try found to be a zombie
     * and retried elsewhere is not written back); with {@code staleFor}, only if the worker has also been silent that
     * long. {@code returnValues} holds, for each end, the stored value its task returned, or null: written by the
     * same statement, into the row it updates anyway, a value is kept exactly when its end is.
     *
     * @return for each end, whether it was recorded
     */
    public static boolean[] endTries(Transaction tx, List<TaskInstance> ended, List<String> returnValues,
            String worker, Optional<Duration> staleFor) {
        boolean[] recorded = new boolean[ended.size()];
        if (ended.isEmpty()) {
            return recorded;
        }
        PreparedBatch batch = tx.handle().prepareBatch("UPDATE task_instance SET state = :state, end_date = :endDate,"
                + " duration = :duration, error = :error, next_try_at = :nextTryAt, worker = NULL,"
                + " return_value = COALESCE(:returnValue, return_value)"
                + " WHERE " + TI_KEY + " AND state = 'running' AND worker = :worker AND try_number = :tryNumber"
                + (staleFor.isPresent() ? " AND heartbeat_at < CURRENT_TIMESTAMP - :seconds * INTERVAL '1 second'"
                        : ""));
        for (int i = 0; i < ended.size(); i++) {
            TaskInstance end = ended.get(i);
            batch.bind("state", end.state().label())
                    .bindByType("endDate", MetadataStore.offset(end.endDate().orElseThrow()), OffsetDateTime.class)
                    .bindByType("duration", end.duration().map(d -> d.toNanos() / 1e9).orElse(null), Double.class)
                    .bindByType("error", end.error().orElse(null), String.class)
                    .bindByType("nextTryAt", end.nextTryAt().map(MetadataStore::offset).orElse(null),
                            OffsetDateTime.class)
                    .bind("dagId", end.dagId())
                    .bind("runId", end.runId())
                    .bind("taskId", end.taskId())
                    .bind("mapIndex", end.mapIndex())
                    .bind("worker", worker)
                    .bind("tryNumber", end.tryNumber())
                    .bind("seconds", staleFor.map(d -> d.toMillis() / 1000.0).orElse(0.0))
                    .bindByType("returnValue", returnValues.get(i), String.class)
                    .add();
        }
        int[] counts = batch.execute();
        for (int i = 0; i < counts.length; i++) {
            recorded[i] = counts[i] == 1;
        }
        return recorded;
    }

    /**
     * Says that {@code worker} is alive for every try it runs. Rows locked by a transaction recording an end are
     * skipped rather than waited for: waiting would deadlock with it, and the next beat comes soon.
     */
    public static int heartbeat(Transaction tx, String worker) {
        return tx.handle().createUpdate("UPDATE task_instance SET heartbeat_at = CURRENT_TIMESTAMP"
                        + " WHERE (dag_id, run_id, task_id, map_index) IN (SELECT dag_id, run_id, task_id, map_index"
                        + " FROM task_instance WHERE worker = :worker AND state = 'running' FOR UPDATE SKIP LOCKED)")
                .bind("worker", worker)
                .execute();
    }

    /** A try whose worker has been silent too long, and that worker. */
    public record Zombie(TaskInstance task, String worker) {
    }

    /** Tries silent for {@code silentFor}, but not {@code asking}'s own: a worker knows its tries are alive. */
    public static List<Zombie> zombies(Transaction tx, Duration silentFor, String asking, int limit) {
        return tx.handle().createQuery("SELECT * FROM task_instance WHERE state = 'running' AND worker IS NOT NULL"
                        + " AND worker <> :asking"
                        + " AND heartbeat_at < CURRENT_TIMESTAMP - :seconds * INTERVAL '1 second'"
                        + " ORDER BY heartbeat_at LIMIT :limit")
                .bind("asking", asking)
                .bind("seconds", silentFor.toMillis() / 1000.0)
                .bind("limit", limit)
                .map((rs, ctx) -> new Zombie(MetadataStore.taskInstance(rs), rs.getString("worker")))
                .list();
    }

    public static void endRun(Transaction tx, DagRun run, RunState state, Instant at) {
        tx.updateRun(run.ended(state, at));
    }

    /** The states of the instances of the named tasks. */
    public static List<TaskState> states(Transaction tx, String dagId, String runId, Collection<String> taskIds) {
        return tasks(tx, dagId, runId, taskIds).stream().map(TaskInstance::state).toList();
    }

    public static void setPool(MetadataStore store, Pool pool) {
        if (pool.slots() < 0) {
            throw new IllegalArgumentException("pool " + pool.name() + " needs 0 or more slots, not " + pool.slots());
        }
        store.write(tx -> {
            int updated = tx.handle().createUpdate("UPDATE pool SET slots = :slots, description = :description"
                            + " WHERE name = :name")
                    .bind("name", pool.name()).bind("slots", pool.slots()).bind("description", pool.description())
                    .execute();
            if (updated == 0) {
                tx.handle().createUpdate("INSERT INTO pool (name, slots, description)"
                                + " VALUES (:name, :slots, :description)")
                        .bind("name", pool.name()).bind("slots", pool.slots())
                        .bind("description", pool.description())
                        .execute();
            }
        });
    }

    public static boolean deletePool(MetadataStore store, String name) {
        return store.inTransaction(tx -> tx.handle().createUpdate("DELETE FROM pool WHERE name = :name")
                .bind("name", name).execute() == 1);
    }

    public static List<Pool> pools(MetadataStore store) {
        return store.inTransaction(WorkQueue::pools);
    }

    public static List<Pool> pools(Transaction tx) {
        return tx.handle().createQuery("SELECT name, slots, description FROM pool ORDER BY name")
                .map((rs, ctx) -> new Pool(rs.getString("name"), rs.getInt("slots"), rs.getString("description")))
                .list();
    }
}
