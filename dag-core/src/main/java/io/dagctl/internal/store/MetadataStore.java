package io.dagctl.internal.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dagctl.KafkaBatch;
import io.dagctl.RunState;
import io.dagctl.TaskState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.ConnectionPoolDataSource;
import javax.sql.DataSource;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;
import org.h2.jdbcx.JdbcDataSource;
import java.util.concurrent.ThreadLocalRandom;
import org.h2.api.ErrorCode;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.HandleConsumer;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The metadata database: runs, task instances and the values they returned, on H2 or PostgreSQL, migrated by Flyway
 * on open.
 * Reads stand alone; writes go through {@link #write}, one transaction each, so that a batch of state changes is
 * committed whole or not at all.
 */
public final class MetadataStore implements AutoCloseable {
    private static final String TASK_COLUMNS = "dag_id, run_id, task_id, map_index, state, try_number, max_tries,"
            + " start_date, end_date, duration, error, next_try_at, hostname, pid";

    /**
     * How long a caller waits for a pooled connection before the database counts as unreachable: long enough for a
     * busy machine to open one.
     */
    private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(10);
    /** How many connections a process holds at most. */
    public static final int POOL_SIZE = 32;
    /**
     * The newest migration, in {@code db/migration/metadata} or among the Java ones: a store at this version is opened
     * without Flyway.
     */
    static final String SCHEMA_VERSION = "9";
    private static final String SCHEMA_HISTORY = "dagctl_schema_history";

    private final StoreLocation location;
    private final DataSource pool;
    private final Runnable closePool;
    private final Calls jdbi;
    /**
     * Opens a connection of its own, outside the pool, for each {@link Writer} on H2; made at the first writer's first
     * write and kept: a Jdbi made per writer (its configuration registry) cost each run about a millisecond.
     */
    private Jdbi ownJdbi;

    private MetadataStore(StoreLocation location, DataSource pool, Runnable closePool) {
        this.location = location;
        this.pool = pool;
        this.closePool = closePool;
        this.jdbi = new Calls(Jdbi.create(pool), !location.isPostgres());
    }

    /** Opens the database and brings its schema up to date. */
    public static MetadataStore open(StoreLocation location) {
        MetadataStore store = withPool(location, POOL_SIZE);
        try {
            // One query instead of Flyway's validation, which costs a command-line call about a second.
            boolean current = store.jdbi.retryingHandOver(() -> {
                if (schemaVersion(store.pool).equals(Optional.of(SCHEMA_VERSION))) {
                    return true;
                }
                if (location.readOnlyUrl().isEmpty()) {
                    flyway(store.pool).migrate();
                    return true;
                }
                return false;
            });
            if (current) {
                return store;
            }
        } catch (RuntimeException e) {
            store.close();
            throw new IllegalStateException("metadata database " + location + " could not be migrated: "
                    + e.getMessage(), e);
        }
        // A reader of a file that this version has not migrated yet: its read-only connections cannot migrate it.
        store.close();
        open(location.throughServer()).close();
        return open(location);
    }

    static Flyway flyway(DataSource dataSource) {
        return Flyway.configure(MetadataStore.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration/metadata")
                .javaMigrations(new V8__Lean_transitions(), new V9__Change_journal())
                .table(SCHEMA_HISTORY)
                .load();
    }

    /** The version of the newest migration applied, or empty for a database Flyway has not migrated yet. */
    static Optional<String> schemaVersion(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT \"version\" FROM \"" + SCHEMA_HISTORY + "\""
                     + " WHERE \"success\" = TRUE AND \"version\" IS NOT NULL ORDER BY \"installed_rank\" DESC")) {
            return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
        } catch (SQLException e) {
            return Optional.empty(); // no history table: a new database, which Flyway creates
        }
    }

    /**
     * The same database through connections of its own, opened for each use, for rare work that must never wait
     * behind the shared pool nor behind its reconnection backoff (a worker's heartbeats while its tasks hold every
     * pooled connection, or right after an outage). The schema is the one {@link #open} migrated.
     */
    public MetadataStore unpooled() {
        if (!location.isPostgres()) {
            return withPool(location, 1);
        }
        return new MetadataStore(location, postgresDataSource(location), () -> { });
    }

    private static PGSimpleDataSource postgresDataSource(StoreLocation location) {
        PGSimpleDataSource postgres = new PGSimpleDataSource();
        postgres.setURL(location.jdbcUrl());
        location.user().ifPresent(postgres::setUser);
        location.password().ifPresent(postgres::setPassword);
        return postgres;
    }

    /**
     * Retires the pooled connections: idle ones are closed now, lent ones when they come back. After an outage the
     * pool may hold connections the server closed, which it lends unchecked if they were used in the last half
     * second.
     */
    public void discardPooledConnections() {
        if (pool instanceof HikariDataSource hikari && hikari.getHikariPoolMXBean() != null) {
            hikari.getHikariPoolMXBean().softEvictConnections();
        }
    }

    /**
     * PostgreSQL connections go through HikariCP, which checks an idle connection before lending it: after a restart
     * of the database the first caller gets a working connection, not one of the pool's broken ones.
     */
    private static MetadataStore withPool(StoreLocation location, int size) {
        if (location.isPostgres()) {
            HikariConfig config = new HikariConfig();
            config.setPoolName("dagctl-metadata");
            config.setJdbcUrl(location.jdbcUrl());
            location.user().ifPresent(config::setUsername);
            location.password().ifPresent(config::setPassword);
            config.setMaximumPoolSize(size);
            config.setMinimumIdle(0);
            config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
            // An unreachable database is reported by the first statement, with the callers' own message.
            config.setInitializationFailTimeout(-1);
            HikariDataSource postgres = new HikariDataSource(config);
            return new MetadataStore(location, postgres, postgres::close);
        }
        JdbcConnectionPool h2 = h2Pool(location);
        h2.setMaxConnections(size);
        return new MetadataStore(location, h2, h2::dispose);
    }

    /**
     * Pooled connections to an H2 database; a shared file opened for reading is read straight from the file when no
     * other process holds it.
     */
    public static JdbcConnectionPool h2Pool(StoreLocation location) {
        JdbcDataSource shared = h2DataSource(location, location.jdbcUrl());
        return JdbcConnectionPool.create(location.readOnlyUrl()
                .<ConnectionPoolDataSource>map(url -> new H2ReaderDataSource(h2DataSource(location, url), shared))
                .orElse(shared));
    }

    private static JdbcDataSource h2DataSource(StoreLocation location, String url) {
        if (!url.startsWith("jdbc:h2:")) {
            throw new IllegalArgumentException("metadata database " + location
                    + " is neither PostgreSQL (jdbc:postgresql:) nor H2 (jdbc:h2:)");
        }
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(url);
        h2.setUser(location.user().orElse("sa"));
        h2.setPassword(location.password().orElse(""));
        return h2;
    }

    public StoreLocation location() {
        return location;
    }

    /** Runs {@code changes} in one transaction, committed when it returns normally. */
    public void write(Consumer<Transaction> changes) {
        jdbi.useTransaction(handle -> changes.accept(new Transaction(handle)));
    }

    /**
     * A writer of transactions one at a time, for a run's coordinator, which commits on every turn: see
     * {@link Writer}. Close it when the run's execution ends.
     */
    public Writer writer() {
        return new Writer();
    }

    /**
     * Transactions one at a time. On H2, on a connection of its own, kept until {@link #close}, so that the statements
     * that every turn of a run executes are prepared once per connection rather than once per transaction: H2's pool
     * lends a new connection object each time, and its prepared statements die with it. That connection is not the
     * pool's: runs executing at once must not take every pooled connection for as long as they run. After a failed
     * transaction the connection is closed with its statements, and the next transaction opens another, so that one
     * broken (H2 handing the file over to another process) is never used again. On PostgreSQL each transaction
     * borrows from the pool, as {@link MetadataStore#write} does: the driver keeps a statement prepared on the server
     * for as long as the pooled connection lives, and a connection held per executing run would count against the
     * server's limit, shared by every scheduler and worker.
     */
    public final class Writer implements AutoCloseable {
        private Handle handle;
        private Statements statements;

        private Writer() {
        }

        /** Runs {@code changes} in one transaction, committed when it returns normally. */
        public void write(Consumer<Transaction> changes) {
            if (location.isPostgres()) {
                MetadataStore.this.write(changes);
                return;
            }
            jdbi.retryingHandOver(() -> {
                if (handle == null) {
                    handle = ownJdbi().open();
                    statements = new Statements(handle);
                }
                Transaction transaction = new Transaction(handle, statements);
                try {
                    handle.useTransaction(h -> changes.accept(transaction));
                } catch (RuntimeException | Error e) {
                    close();
                    throw e;
                }
                return null;
            });
        }

        /** Closes the connection with its statements; a later {@link #write} opens another. */
        @Override
        public void close() {
            if (handle != null) {
                Handle open = handle;
                handle = null;
                try {
                    open.close();
                } catch (RuntimeException e) {
                    // A connection that broke cannot be closed cleanly; it is dropped all the same, and what broke
                    // it is what the failed transaction reported.
                }
            }
        }
    }

    private synchronized Jdbi ownJdbi() {
        if (ownJdbi == null) {
            ownJdbi = Jdbi.create(h2DataSource(location, location.jdbcUrl()));
        }
        return ownJdbi;
    }

    /** Runs {@code work} against the database outside a transaction: for PostgreSQL's LISTEN, which waits. */
    public <R> R withHandle(Function<Handle, R> work) {
        return jdbi.withHandle(work::apply);
    }

    /** Runs {@code work} in one transaction and returns its result. */
    public <R> R inTransaction(Function<Transaction, R> work) {
        return jdbi.inTransaction(handle -> work.apply(new Transaction(handle)));
    }

    public Optional<DagRun> findRun(String dagId, String runId) {
        return jdbi.withHandle(handle -> new Transaction(handle).findRun(dagId, runId));
    }

    /** The runs with this id, one per DAG that has one. */
    public List<DagRun> runsWithId(String runId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM dag_run WHERE run_id = :runId ORDER BY dag_id")
                .bind("runId", runId)
                .map((rs, ctx) -> run(rs))
                .list());
    }

    /** The runs, newest logical date first, of one DAG or of all. */
    public List<DagRun> runs(Optional<String> dagId, int limit) {
        return runs(dagId, Optional.empty(), limit);
    }

    /** The newest {@code limit} runs, of one DAG or all, in one state or any. */
    public List<DagRun> runs(Optional<String> dagId, Optional<RunState> state, int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM dag_run WHERE 1 = 1"
                        + (dagId.isPresent() ? " AND dag_id = :dagId" : "")
                        + (state.isPresent() ? " AND state = :state" : "")
                        + " ORDER BY logical_date DESC, created_at DESC LIMIT :limit")
                .bind("dagId", dagId.orElse(null))
                .bind("state", state.map(RunState::label).orElse(null))
                .bind("limit", limit)
                .map((rs, ctx) -> run(rs))
                .list());
    }

    /**
     * The newest {@code perDag} runs of each DAG, or of one, in one query whatever the number of DAGs: newest logical
     * date first within a DAG.
     */
    public List<DagRun> latestRunsPerDag(Optional<String> dagId, int perDag) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM (SELECT r.*, ROW_NUMBER() OVER ("
                        + "PARTITION BY dag_id ORDER BY logical_date DESC, created_at DESC) AS newness FROM dag_run r"
                        + (dagId.isPresent() ? " WHERE dag_id = :dagId" : "") + ") ranked"
                        + " WHERE newness <= :perDag ORDER BY dag_id, newness")
                .bind("dagId", dagId.orElse(null))
                .bind("perDag", perDag)
                .map((rs, ctx) -> run(rs))
                .list());
    }

    /** How many runs of each DAG, or of one, are in {@code state}; DAGs without such runs are left out. */
    public Map<String, Integer> runCounts(Optional<String> dagId, RunState state) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT dag_id, COUNT(*) FROM dag_run WHERE state = :state"
                        + (dagId.isPresent() ? " AND dag_id = :dagId" : "") + " GROUP BY dag_id")
                .bind("state", state.label())
                .bind("dagId", dagId.orElse(null))
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getInt(2)))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    /**
     * One page of a DAG's runs (or all DAGs'), newest first, filtered in the database, and how many match in all:
     * two queries whatever the page or the number of runs.
     */
    public RunPage runPage(Optional<String> dagId, Optional<RunState> state, Optional<String> runType, int limit,
            int offset) {
        Map<String, Object> filters = new LinkedHashMap<>();
        dagId.ifPresent(id -> filters.put("dag_id", id));
        state.ifPresent(s -> filters.put("state", s.label()));
        runType.ifPresent(type -> filters.put("run_type", type));
        String where = filters.isEmpty() ? "" : filters.keySet().stream().map(column -> column + " = :" + column)
                .collect(Collectors.joining(" AND ", " WHERE ", ""));
        return jdbi.withHandle(handle -> {
            int total = handle.createQuery("SELECT COUNT(*) FROM dag_run" + where)
                    .bindMap(filters)
                    .mapTo(Integer.class).one();
            List<DagRun> runs = handle.createQuery("SELECT * FROM dag_run" + where
                            + " ORDER BY logical_date DESC, created_at DESC, dag_id, run_id LIMIT :limit OFFSET :offset")
                    .bindMap(filters)
                    .bind("limit", limit)
                    .bind("offset", offset)
                    .map((rs, ctx) -> run(rs))
                    .list();
            return new RunPage(runs, total);
        });
    }

    /** Runs of a page, and how many runs the filter matches in all. */
    public record RunPage(List<DagRun> runs, int total) {
        public RunPage {
            runs = List.copyOf(runs);
        }
    }

    /** The task instances of several runs of one DAG, in one query. */
    public List<TaskInstance> taskInstancesOfRuns(String dagId, Collection<String> runIds) {
        if (runIds.isEmpty()) {
            return List.of();
        }
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + TASK_COLUMNS + " FROM task_instance"
                        + " WHERE dag_id = :dagId AND run_id IN (<runIds>)")
                .bind("dagId", dagId)
                .bindList("runIds", List.copyOf(runIds))
                .map((rs, ctx) -> taskInstance(rs))
                .list());
    }

    /** A task instance's state alone, as a grid of many runs shows it. */
    public record TaskStateRow(String runId, String taskId, int mapIndex, TaskState state) {
    }

    /** The states of the task instances of several runs of one DAG, in one query that reads nothing else. */
    public List<TaskStateRow> taskStatesOfRuns(String dagId, Collection<String> runIds) {
        if (runIds.isEmpty()) {
            return List.of();
        }
        return jdbi.withHandle(handle -> handle.createQuery("SELECT run_id, task_id, map_index, state"
                        + " FROM task_instance WHERE dag_id = :dagId AND run_id IN (<runIds>)")
                .bind("dagId", dagId)
                .bindList("runIds", List.copyOf(runIds))
                .map((rs, ctx) -> new TaskStateRow(rs.getString(1), rs.getString(2), rs.getInt(3),
                        TaskState.ofLabel(rs.getString(4))))
                .list());
    }

    public List<DagRun> runsInStates(Set<RunState> states) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM dag_run WHERE state IN (<states>)"
                        + " ORDER BY created_at")
                .bindList("states", states.stream().map(RunState::label).collect(Collectors.toList()))
                .map((rs, ctx) -> run(rs))
                .list());
    }

    public List<TaskInstance> taskInstances(String dagId, String runId) {
        return jdbi.withHandle(handle -> new Transaction(handle).taskInstances(dagId, runId));
    }

    /** The instances of one task of a run (several when it is mapped), without reading the run's other tasks. */
    public List<TaskInstance> taskInstancesOfTask(String dagId, String runId, String taskId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + TASK_COLUMNS + " FROM task_instance"
                        + " WHERE dag_id = :dagId AND run_id = :runId AND task_id = :taskId ORDER BY start_date, map_index")
                .bind("dagId", dagId)
                .bind("runId", runId)
                .bind("taskId", taskId)
                .map((rs, ctx) -> taskInstance(rs))
                .list());
    }

    public Optional<TaskInstance> findTaskInstance(String dagId, String runId, String taskId) {
        return taskInstances(dagId, runId).stream().filter(t -> t.taskId().equals(taskId)).findFirst();
    }

    public List<XComEntry> xcoms(String dagId, String runId) {
        return jdbi.withHandle(handle -> new Transaction(handle).xcoms(dagId, runId));
    }

    public Optional<XComEntry> findXCom(String dagId, String runId, String taskId, String key) {
        return xcoms(dagId, runId).stream()
                .filter(x -> x.taskId().equals(taskId) && x.key().equals(key))
                .findFirst();
    }

    @Override
    public void close() {
        closePool.run();
    }

    /**
     * The store's Jdbi calls. On H2, processes share the file through H2's automatic mixed mode: the first one serves
     * it to the others, and when that one exits another takes over, which breaks the connections of those in the
     * middle of a call; a process that only reads holds the file, unserved, while it reads ({@link
     * StoreLocation#readOnlyUrl}); and a process waits for the table locks of another that migrates the schema. Such
     * calls are made again, for a bounded time; every call is one whole transaction or a read, so nothing is half
     * done.
     */
    private static final class Calls {
        private static final Duration HAND_OVER_TIMEOUT = Duration.ofSeconds(20);
        private static final Set<Integer> HAND_OVER_ERRORS = Set.of(ErrorCode.CONNECTION_BROKEN_1,
                ErrorCode.DATABASE_CALLED_AT_SHUTDOWN, ErrorCode.DATABASE_ALREADY_OPEN_1,
                ErrorCode.DATABASE_IS_CLOSED, ErrorCode.LOCK_TIMEOUT_1);

        private final Jdbi jdbi;
        private final boolean h2;

        Calls(Jdbi jdbi, boolean h2) {
            this.jdbi = jdbi;
            this.h2 = h2;
        }

        <R, X extends Exception> R withHandle(HandleCallback<R, X> callback) throws X {
            return retryingHandOver(() -> jdbi.withHandle(callback));
        }

        <R, X extends Exception> R inTransaction(HandleCallback<R, X> callback) throws X {
            return retryingHandOver(() -> jdbi.inTransaction(callback));
        }

        <X extends Exception> void useTransaction(HandleConsumer<X> consumer) throws X {
            retryingHandOver(() -> {
                jdbi.useTransaction(consumer);
                return null;
            });
        }

        <R, X extends Exception> R retryingHandOver(Call<R, X> call) throws X {
            if (!h2) {
                return call.run();
            }
            long deadline = System.nanoTime() + HAND_OVER_TIMEOUT.toNanos();
            while (true) {
                try {
                    return call.run();
                } catch (RuntimeException e) {
                    if (!isHandOver(e)) {
                        throw e;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the metadata database is held by another dagctl process"
                                + " that did not share it within " + HAND_OVER_TIMEOUT.toSeconds() + " s: "
                                + e.getMessage(), e);
                    }
                    try {
                        Thread.sleep(50 + ThreadLocalRandom.current().nextInt(200));
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        throw e;
                    }
                }
            }
        }

        private static boolean isHandOver(Throwable e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof SQLException sql && (HAND_OVER_ERRORS.contains(sql.getErrorCode())
                        // Two processes racing to serve the file: one finds the other's fresh lock, or sees the
                        // lock file change while it writes its own.
                        || sql.getErrorCode() == ErrorCode.ERROR_OPENING_DATABASE_1
                                && (String.valueOf(sql.getMessage()).contains("Lock file")
                                        || String.valueOf(sql.getMessage()).contains("Concurrent update")))) {
                    return true;
                }
            }
            return false;
        }

        interface Call<R, X extends Exception> {
            R run() throws X;
        }
    }

    private static String rowKey(String dagId, String runId, String label) {
        return dagId + '\n' + runId + '\n' + label;
    }

    /** Saves a task instance's columns and, where it returned one, its value: {@link Transaction#updateTasks}. */
    private static final String TASK_UPDATE = "UPDATE task_instance"
            + " SET state = ?, try_number = ?, max_tries = ?, start_date = ?, end_date = ?, duration = ?,"
            + " error = ?, next_try_at = ?, hostname = ?, pid = ?,"
            + " return_value = COALESCE(CAST(? AS VARCHAR), return_value)"
            + " WHERE dag_id = ? AND run_id = ? AND task_id = ? AND map_index = ?"
            + " AND (CAST(? AS VARCHAR) IS NULL OR return_value IS NULL)";

    /**
     * The statements of every turn, prepared at their first use on a connection and closed with its handle: after
     * one transaction on a pooled connection, when a {@link Writer} closes on its own.
     */
    private static final class Statements {
        private final Handle handle;
        private PreparedStatement taskUpdate;

        Statements(Handle handle) {
            this.handle = handle;
        }

        PreparedStatement taskUpdate() throws SQLException {
            if (taskUpdate == null) {
                PreparedStatement prepared = handle.getConnection().prepareStatement(TASK_UPDATE);
                handle.addCleanable(prepared::close);
                taskUpdate = prepared;
            }
            return taskUpdate;
        }
    }

    /** The statements of one transaction. */
    public static final class Transaction {
        private final Handle handle;
        private final Statements statements;

        private Transaction(Handle handle) {
            this(handle, new Statements(handle));
        }

        private Transaction(Handle handle, Statements statements) {
            this.handle = handle;
            this.statements = statements;
        }

        Handle handle() {
            return handle;
        }

        /**
         * The state of the run of the batch before run {@code :runId}'s batch, if that run is made. The run's batch is
         * found through {@code kafka_batch_by_run}, the one before it through the primary key: the cost does not grow
         * with the DAG's batches.
         */
        static final String PREVIOUS_BATCH_STATE = "SELECT r.state FROM kafka_batch c JOIN kafka_batch b"
                + " ON b.dag_id = c.dag_id AND b.topic = c.topic AND b.batch_no = c.batch_no - 1 LEFT JOIN dag_run r"
                + " ON r.dag_id = b.dag_id AND r.run_id = b.run_id WHERE c.dag_id = :dagId AND c.run_id = :runId";

        /**
         * Whether batch run {@code runId} of a Kafka-triggered DAG waits for the batch before it: that batch's run is
         * not made yet, or has not succeeded (a skipped batch's run has). A DAG's first batch, or a run that covers
         * no batch, waits for nothing.
         */
        public boolean waitsForPreviousBatch(String dagId, String runId) {
            return handle.createQuery(PREVIOUS_BATCH_STATE)
                    .bind("dagId", dagId)
                    .bind("runId", runId)
                    .map((rs, ctx) -> Optional.ofNullable(rs.getString(1)))
                    .findOne()
                    .map(previousState -> !previousState.equals(Optional.of(RunState.SUCCESS.label())))
                    .orElse(false);
        }

        /**
         * Claims batch {@code batchNo} of {@code dagId} on the batch's topic: records its run id and its offset ranges.
         * When another claim covers the same offsets or took the same number first, the database refuses it with a
         * unique violation.
         */
        public void claimKafkaBatch(String dagId, long batchNo, KafkaBatch batch, String runId, Instant now) {
            handle.createUpdate("INSERT INTO kafka_batch (dag_id, topic, batch_no, run_id, claimed_at)"
                            + " VALUES (:dagId, :topic, :batchNo, :runId, :now)")
                    .bind("dagId", dagId).bind("topic", batch.topic()).bind("batchNo", batchNo)
                    .bind("runId", runId).bindByType("now", offset(now), OffsetDateTime.class).execute();
            PreparedBatch ranges = handle.prepareBatch("INSERT INTO kafka_batch_range (dag_id, topic, partition_no,"
                    + " first_offset, last_offset, batch_no) VALUES (:dagId, :topic, :partition, :first, :last,"
                    + " :batchNo)");
            for (KafkaBatch.OffsetRange range : batch.ranges()) {
                ranges.bind("dagId", dagId).bind("topic", batch.topic()).bind("partition", range.partition())
                        .bind("first", range.first()).bind("last", range.last()).bind("batchNo", batchNo).add();
            }
            ranges.execute();
        }

        /** How many runs of {@code dagId} are queued, and how many running; through the index on the state. */
        public Map<RunState, Integer> unfinishedRunCounts(String dagId) {
            return handle.createQuery("SELECT state, COUNT(*) FROM dag_run WHERE state IN ('queued', 'running')"
                            + " AND dag_id = :dagId GROUP BY state")
                    .bind("dagId", dagId)
                    .map((rs, ctx) -> Map.entry(RunState.ofLabel(rs.getString(1)), rs.getInt(2)))
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        }

        public Optional<DagRun> findRun(String dagId, String runId) {
            return handle.createQuery("SELECT * FROM dag_run WHERE dag_id = :dagId AND run_id = :runId")
                    .bind("dagId", dagId)
                    .bind("runId", runId)
                    .map((rs, ctx) -> run(rs))
                    .findOne();
        }

        public List<TaskInstance> taskInstances(String dagId, String runId) {
            return handle.createQuery("SELECT " + TASK_COLUMNS + " FROM task_instance"
                            + " WHERE dag_id = :dagId AND run_id = :runId ORDER BY start_date, task_id")
                    .bind("dagId", dagId)
                    .bind("runId", runId)
                    .map((rs, ctx) -> taskInstance(rs))
                    .list();
        }

        /** The values the run's task instances returned, kept in their rows since migration 8. */
        public List<XComEntry> xcoms(String dagId, String runId) {
            return handle.createQuery("SELECT task_id, map_index, return_value FROM task_instance"
                            + " WHERE dag_id = :dagId AND run_id = :runId AND return_value IS NOT NULL")
                    .bind("dagId", dagId)
                    .bind("runId", runId)
                    .map((rs, ctx) -> new XComEntry(dagId, runId, rs.getString(1), rs.getInt(2),
                            XComEntry.RETURN_VALUE, rs.getString(3)))
                    .list();
        }

        public void insertRun(DagRun run) {
            bindRun(handle.createUpdate("INSERT INTO dag_run (dag_id, run_id, state, run_type, logical_date,"
                    + " data_interval_start, data_interval_end, params, created_at, started_at, ended_at, owner,"
                    + " heartbeat_at) VALUES (:dagId, :runId, :state, :runType, :logicalDate, :dataIntervalStart,"
                    + " :dataIntervalEnd, :params, :createdAt, :startedAt, :endedAt, :owner, :heartbeatAt)"), run)
                    .execute();
        }

        /** Saves the run's mutable columns: state, times and owner. */
        public void updateRun(DagRun run) {
            bindRun(handle.createUpdate("UPDATE dag_run SET state = :state, started_at = :startedAt,"
                    + " ended_at = :endedAt, owner = :owner, heartbeat_at = :heartbeatAt"
                    + " WHERE dag_id = :dagId AND run_id = :runId"), run)
                    .execute();
        }

        /**
         * Makes {@code newOwner} the owner of a run as it was read ({@code asRead}: its owner, or nobody, and its
         * state); false when it changed since: someone else took it first, or it ended and left nobody owning it,
         * which only the state tells.
         */
        public boolean takeOver(DagRun asRead, String newOwner, Instant at) {
            return handle.createUpdate("UPDATE dag_run SET owner = :newOwner, heartbeat_at = :at,"
                            + " state = 'running', started_at = COALESCE(started_at, :at), ended_at = NULL"
                            + " WHERE dag_id = :dagId AND run_id = :runId AND state = :expectedState AND "
                            + (asRead.owner().isPresent() ? "owner = :expectedOwner" : "owner IS NULL"))
                    .bind("newOwner", newOwner)
                    .bindByType("at", offset(at), OffsetDateTime.class)
                    .bind("dagId", asRead.dagId())
                    .bind("runId", asRead.runId())
                    .bind("expectedState", asRead.state().label())
                    .bind("expectedOwner", asRead.owner().orElse(null))
                    .execute() == 1;
        }

        public void heartbeat(String dagId, String runId, String owner, Instant at) {
            handle.createUpdate("UPDATE dag_run SET heartbeat_at = :at"
                            + " WHERE dag_id = :dagId AND run_id = :runId AND owner = :owner")
                    .bindByType("at", offset(at), OffsetDateTime.class)
                    .bind("dagId", dagId)
                    .bind("runId", runId)
                    .bind("owner", owner)
                    .execute();
        }

        public void insertTasks(Collection<TaskInstance> tasks) {
            if (tasks.isEmpty()) {
                return;
            }
            PreparedBatch batch = handle.prepareBatch("INSERT INTO task_instance (" + TASK_COLUMNS + ") VALUES"
                    + " (:dagId, :runId, :taskId, :mapIndex, :state, :tryNumber, :maxTries, :startDate, :endDate,"
                    + " :duration, :error, :nextTryAt, :hostname, :pid)");
            tasks.forEach(task -> bindTask(batch, task).add());
            batch.execute();
        }

        /** Saves every column of the tasks but their keys. */
        public void updateTasks(Collection<TaskInstance> tasks) {
            updateTasks(tasks, List.of());
        }

        /**
         * Saves every column of the tasks but their keys, and with them the values some of them returned, kept in
         * their rows: the end of a try and its value are one update of one row, so a chain hop's commit writes no
         * other statement. A value is refused for an instance that has one already, as the {@code xcom} table's key
         * refused it before, or that is not among {@code tasks}.
         */
        public void updateTasks(Collection<TaskInstance> tasks, Collection<XComEntry> values) {
            if (tasks.isEmpty() && values.isEmpty()) {
                return;
            }
            Map<String, XComEntry> valueOf = new HashMap<>();
            for (XComEntry entry : values) {
                if (!entry.key().equals(XComEntry.RETURN_VALUE)) {
                    throw new IllegalArgumentException("XCom key " + entry.key() + " of " + entry.label()
                            + ": only return values are kept");
                }
                valueOf.put(rowKey(entry.dagId(), entry.runId(), entry.label()), entry);
            }
            List<TaskInstance> rows = List.copyOf(tasks);
            boolean[] withValue = new boolean[rows.size()];
            // Plain JDBC, prepared once per connection: this runs in every coordinator turn, where Jdbi's
            // per-statement binding cost more than the rows. Failures stay JdbiExceptions, which callers retry or
            // classify.
            try {
                PreparedStatement update = statements.taskUpdate();
                for (int i = 0; i < rows.size(); i++) {
                    TaskInstance task = rows.get(i);
                    XComEntry value = valueOf.remove(rowKey(task.dagId(), task.runId(), task.label()));
                    String stored = value == null ? null : value.storedValue();
                    withValue[i] = value != null;
                    update.setString(1, task.state().label());
                    update.setInt(2, task.tryNumber());
                    update.setInt(3, task.maxTries());
                    update.setObject(4, offset(task.startDate()), Types.TIMESTAMP_WITH_TIMEZONE);
                    update.setObject(5, offset(task.endDate()), Types.TIMESTAMP_WITH_TIMEZONE);
                    update.setObject(6, task.duration().map(d -> d.toNanos() / 1e9).orElse(null), Types.DOUBLE);
                    update.setString(7, task.error().orElse(null));
                    update.setObject(8, offset(task.nextTryAt()), Types.TIMESTAMP_WITH_TIMEZONE);
                    update.setString(9, task.hostname().orElse(null));
                    update.setObject(10, task.pid().orElse(null), Types.INTEGER);
                    update.setString(11, stored);
                    update.setString(12, task.dagId());
                    update.setString(13, task.runId());
                    update.setString(14, task.taskId());
                    update.setInt(15, task.mapIndex());
                    update.setString(16, stored);
                    update.addBatch();
                }
                if (!valueOf.isEmpty()) {
                    update.clearBatch();
                    XComEntry entry = valueOf.values().iterator().next();
                    throw new IllegalArgumentException("the value of task instance " + entry.label() + " of run "
                            + entry.runId() + " of DAG " + entry.dagId() + " comes without the instance");
                }
                int[] counts = update.executeBatch();
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] != 1 && withValue[i]) {
                        TaskInstance task = rows.get(i);
                        throw new IllegalStateException("task instance " + task.label() + " of run " + task.runId()
                                + " of DAG " + task.dagId() + " has a return value already, or no row");
                    }
                }
            } catch (SQLException e) {
                throw new UnableToExecuteStatementException("task_instance: could not save " + rows.size()
                        + " task instances: " + e.getMessage(), e, null);
            }
        }

        /**
         * Deletes a run that has ended, with its task instances and their values: on H2 no foreign key cascades (see
         * {@link V8__Lean_transitions}), so the rows are deleted here, in the same transaction, on both databases.
         */
        public boolean deleteEndedRun(String dagId, String runId) {
            boolean deleted = handle.createUpdate("DELETE FROM dag_run WHERE dag_id = :dagId AND run_id = :runId"
                            + " AND state IN ('success', 'failed')")
                    .bind("dagId", dagId)
                    .bind("runId", runId)
                    .execute() == 1;
            if (deleted) {
                handle.createUpdate("DELETE FROM task_instance WHERE dag_id = :dagId AND run_id = :runId")
                        .bind("dagId", dagId)
                        .bind("runId", runId)
                        .execute();
            }
            return deleted;
        }

        public void deleteXComs(String dagId, String runId, Collection<String> taskIds) {
            if (taskIds.isEmpty()) {
                return;
            }
            handle.createUpdate("UPDATE task_instance SET return_value = NULL WHERE dag_id = :dagId"
                            + " AND run_id = :runId AND task_id IN (<taskIds>)")
                    .bind("dagId", dagId)
                    .bind("runId", runId)
                    .bindList("taskIds", List.copyOf(taskIds))
                    .execute();
        }
    }

    private static <S extends SqlStatement<S>> S bindRun(S statement, DagRun run) {
        return statement.bind("dagId", run.dagId())
                .bind("runId", run.runId())
                .bind("state", run.state().label())
                .bind("runType", run.runType().label())
                .bindByType("logicalDate", offset(run.logicalDate()), OffsetDateTime.class)
                .bindByType("dataIntervalStart", offset(run.dataIntervalStart()), OffsetDateTime.class)
                .bindByType("dataIntervalEnd", offset(run.dataIntervalEnd()), OffsetDateTime.class)
                .bind("params", paramsJson(run.params()))
                .bindByType("createdAt", offset(run.createdAt()), OffsetDateTime.class)
                .bindByType("startedAt", offset(run.startedAt()), OffsetDateTime.class)
                .bindByType("endedAt", offset(run.endedAt()), OffsetDateTime.class)
                .bind("owner", run.owner().orElse(null))
                .bindByType("heartbeatAt", offset(run.heartbeatAt()), OffsetDateTime.class);
    }

    private static PreparedBatch bindTask(PreparedBatch batch, TaskInstance task) {
        return batch.bind("dagId", task.dagId())
                .bind("runId", task.runId())
                .bind("taskId", task.taskId())
                .bind("mapIndex", task.mapIndex())
                .bind("state", task.state().label())
                .bind("tryNumber", task.tryNumber())
                .bind("maxTries", task.maxTries())
                .bindByType("startDate", offset(task.startDate()), OffsetDateTime.class)
                .bindByType("endDate", offset(task.endDate()), OffsetDateTime.class)
                .bindByType("duration", task.duration().map(d -> d.toNanos() / 1e9).orElse(null), Double.class)
                .bindByType("error", task.error().orElse(null), String.class)
                .bindByType("nextTryAt", offset(task.nextTryAt()), OffsetDateTime.class)
                .bindByType("hostname", task.hostname().orElse(null), String.class)
                .bindByType("pid", task.pid().orElse(null), Integer.class);
    }

    static DagRun run(ResultSet rs) throws SQLException {
        return new DagRun(rs.getString("dag_id"), rs.getString("run_id"), RunState.ofLabel(rs.getString("state")),
                RunType.ofLabel(rs.getString("run_type")), instant(rs, "logical_date").orElseThrow(),
                instant(rs, "data_interval_start").orElseThrow(), instant(rs, "data_interval_end").orElseThrow(),
                params(rs.getString("params")), instant(rs, "created_at").orElseThrow(), instant(rs, "started_at"),
                instant(rs, "ended_at"), Optional.ofNullable(rs.getString("owner")), instant(rs, "heartbeat_at"));
    }

    static TaskInstance taskInstance(ResultSet rs) throws SQLException {
        double seconds = rs.getDouble("duration");
        Optional<Duration> duration = rs.wasNull() ? Optional.empty()
                : Optional.of(Duration.ofNanos(Math.round(seconds * 1e9)));
        int pid = rs.getInt("pid");
        Optional<Integer> processId = rs.wasNull() ? Optional.empty() : Optional.of(pid);
        return new TaskInstance(rs.getString("dag_id"), rs.getString("run_id"), rs.getString("task_id"),
                rs.getInt("map_index"), TaskState.ofLabel(rs.getString("state")), rs.getInt("try_number"),
                rs.getInt("max_tries"), instant(rs, "start_date"), instant(rs, "end_date"), duration,
                Optional.ofNullable(rs.getString("error")), instant(rs, "next_try_at"),
                Optional.ofNullable(rs.getString("hostname")), processId);
    }

    static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(rs.getObject(column, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
    }

    static OffsetDateTime offset(Instant instant) {
        return instant.atOffset(java.time.ZoneOffset.UTC);
    }

    private static OffsetDateTime offset(Optional<Instant> instant) {
        return instant.map(MetadataStore::offset).orElse(null);
    }

    private static String paramsJson(Map<String, String> params) {
        try {
            return Json.MAPPER.writeValueAsString(params);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("params could not be written as JSON: " + e.getMessage(), e);
        }
    }

    /** Most runs have no params: reading those needs no JSON parser, which would cost a command that reads runs. */
    private static Map<String, String> params(String json) {
        if (json.equals("{}")) {
            return Map.of();
        }
        try {
            return Json.MAPPER.readValue(json, new TypeReference<Map<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("dag_run.params is not a JSON object of strings: " + e.getMessage(), e);
        }
    }

    /** Made at the first use, not with the class (see {@link #params}). */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }
}
