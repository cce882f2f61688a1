package io.dagctl.internal.schedule;

import io.dagctl.KafkaBatch;
import io.dagctl.RunState;
import io.dagctl.internal.store.MetadataStore;
import io.dagctl.internal.store.StoreLocation;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementException;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The scheduler's tables ({@code V2__scheduling.sql}) in the metadata database, and the few questions it asks of the
 * run tables. Each write is one statement in its own transaction; an insert that loses to another scheduler's equal
 * row reports {@code false} instead of failing.
 */
public final class SchedulerStore implements AutoCloseable {
    private static final String UNIQUE_VIOLATION = "23505";

    private final Jdbi jdbi;
    private final Runnable closer;

    private SchedulerStore(DataSource dataSource, Runnable closer) {
        this.jdbi = Jdbi.create(dataSource);
        this.closer = closer;
    }

    /** Connects to the database of an open {@code MetadataStore}, which has migrated it. */
    public static SchedulerStore open(StoreLocation location) {
        if (location.isPostgres()) {
            PGSimpleDataSource postgres = new PGSimpleDataSource();
            postgres.setURL(location.jdbcUrl());
            location.user().ifPresent(postgres::setUser);
            location.password().ifPresent(postgres::setPassword);
            return new SchedulerStore(postgres, () -> { });
        }
        JdbcConnectionPool pool = MetadataStore.h2Pool(location);
        return new SchedulerStore(pool, pool::dispose);
    }

    /** Whether a DAG is paused, and since when the scheduler knows it. */
    public record DagState(String dagId, boolean paused, Instant knownSince) {
    }

    /** The DAG's state, recorded with {@code pausedAtCreation} the first time it is seen. */
    public DagState register(String dagId, boolean pausedAtCreation, Instant now) {
        // Read first: a scheduler registers at every pass, and an insert refused by the key costs an exception.
        return state(dagId).orElseGet(() -> {
            insertOnce("INSERT INTO dag_schedule (dag_id, paused, created_at) VALUES (:dagId, :paused, :now)",
                    Map.of("dagId", dagId, "paused", pausedAtCreation, "now", timestamp(now)));
            return state(dagId).orElseThrow();
        });
    }

    public Optional<DagState> state(String dagId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT dag_id, paused, created_at FROM dag_schedule WHERE dag_id = :dagId")
                .bind("dagId", dagId)
                .map((rs, ctx) -> new DagState(rs.getString(1), rs.getBoolean(2), instant(rs.getObject(3, OffsetDateTime.class))))
                .findOne());
    }

    /** The states of every DAG the scheduler knows, by DAG id, in one query. */
    public Map<String, DagState> states() {
        return jdbi.withHandle(h -> h.createQuery("SELECT dag_id, paused, created_at FROM dag_schedule")
                .map((rs, ctx) -> new DagState(rs.getString(1), rs.getBoolean(2), instant(rs.getObject(3, OffsetDateTime.class))))
                .collect(Collectors.toMap(DagState::dagId, s -> s)));
    }

    /** Pauses or unpauses a DAG, registering it when new. */
    public void setPaused(String dagId, boolean paused, Instant now) {
        register(dagId, paused, now);
        jdbi.useHandle(h -> h.createUpdate("UPDATE dag_schedule SET paused = :paused WHERE dag_id = :dagId")
                .bind("paused", paused).bind("dagId", dagId).execute());
    }

    /** The logical date of the newest run the schedule (or a backfill) made. */
    public Optional<Instant> lastScheduledLogicalDate(String dagId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT MAX(logical_date) FROM dag_run"
                        + " WHERE dag_id = :dagId AND run_type IN ('scheduled', 'backfill')")
                .bind("dagId", dagId)
                .map((rs, ctx) -> Optional.ofNullable(rs.getObject(1, OffsetDateTime.class)).map(SchedulerStore::instant))
                .one());
    }

    /** The logical date of the newest run the schedule (or a backfill) made, by DAG id, in one query. */
    public Map<String, Instant> lastScheduledLogicalDates() {
        return jdbi.withHandle(h -> h.createQuery("SELECT dag_id, MAX(logical_date) FROM dag_run"
                        + " WHERE run_type IN ('scheduled', 'backfill') GROUP BY dag_id")
                .map((rs, ctx) -> Map.entry(rs.getString(1), instant(rs.getObject(2, OffsetDateTime.class))))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    /**
     * Records an update of {@code asset} for each success of {@code taskId} that ended at or after {@code since} and
     * is not recorded yet.
     *
     * @return how many updates were recorded
     */
    public int recordAssetUpdates(String asset, String dagId, String taskId, Instant since, Instant now) {
        try {
            return jdbi.withHandle(h -> h.createUpdate("INSERT INTO asset_event"
                            + " (asset_uri, dag_id, run_id, task_id, task_ended_at, created_at)"
                            + " SELECT :asset, ti.dag_id, ti.run_id, ti.task_id, ti.end_date, :now FROM task_instance ti"
                            + " WHERE ti.dag_id = :dagId AND ti.task_id = :taskId AND ti.state = 'success'"
                            + " AND ti.end_date >= :since AND NOT EXISTS (SELECT 1 FROM asset_event e"
                            + " WHERE e.asset_uri = :asset AND e.dag_id = ti.dag_id AND e.run_id = ti.run_id"
                            + " AND e.task_id = ti.task_id AND e.task_ended_at = ti.end_date)")
                    .bind("asset", asset).bind("dagId", dagId).bind("taskId", taskId)
                    .bind("since", timestamp(since)).bind("now", timestamp(now))
                    .execute());
        } catch (StatementException e) {
            if (isUniqueViolation(e)) {
                return 0; // another scheduler recorded them at the same moment
            }
            throw e;
        }
    }

    /** One update of an asset. */
    public record AssetEvent(long eventId, String asset, String dagId, String runId, String taskId, Instant createdAt) {
    }

    /** The newest update of each asset after what {@code dagId} consumed; empty unless every asset has one. */
    public Optional<Map<String, AssetEvent>> pendingAssetBatch(String dagId, List<String> assets) {
        Map<String, AssetEvent> newest = new LinkedHashMap<>();
        for (String asset : assets) {
            Optional<AssetEvent> event = jdbi.withHandle(h -> h.createQuery("SELECT e.event_id, e.asset_uri,"
                            + " e.dag_id, e.run_id, e.task_id, e.created_at FROM asset_event e WHERE e.asset_uri = :asset"
                            + " AND e.event_id > COALESCE((SELECT w.last_event_id FROM asset_watermark w"
                            + " WHERE w.dag_id = :dagId AND w.asset_uri = :asset), 0)"
                            + " ORDER BY e.event_id DESC LIMIT 1")
                    .bind("asset", asset).bind("dagId", dagId)
                    .map((rs, ctx) -> new AssetEvent(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), instant(rs.getObject(6, OffsetDateTime.class))))
                    .findOne());
            if (event.isEmpty()) {
                return Optional.empty();
            }
            newest.put(asset, event.get());
        }
        return Optional.of(newest);
    }

    /** Marks the updates up to these events as consumed by {@code dagId}; never moves a watermark back. */
    public void consumeAssetBatch(String dagId, Map<String, AssetEvent> batch) {
        batch.forEach((asset, event) -> {
            insertOnce("INSERT INTO asset_watermark (dag_id, asset_uri, last_event_id) VALUES (:dagId, :asset, 0)",
                    Map.of("dagId", dagId, "asset", asset));
            jdbi.useHandle(h -> h.createUpdate("UPDATE asset_watermark SET last_event_id = :eventId"
                            + " WHERE dag_id = :dagId AND asset_uri = :asset AND last_event_id < :eventId")
                    .bind("eventId", event.eventId()).bind("dagId", dagId).bind("asset", asset).execute());
        });
    }

    /** A finished run of a watched DAG. */
    public record FinishedRun(String runId, Instant endedAt) {
    }

    /** Runs of {@code sourceDagId} that ended in {@code state} at or after {@code since}, not judged for {@code dagId}. */
    public List<FinishedRun> unjudgedRuns(String dagId, String sourceDagId, RunState state, Instant since) {
        return jdbi.withHandle(h -> h.createQuery("SELECT r.run_id, r.ended_at FROM dag_run r"
                        + " WHERE r.dag_id = :source AND r.state = :state AND r.ended_at >= :since"
                        + " AND NOT EXISTS (SELECT 1 FROM trigger_judgement j WHERE j.dag_id = :dagId"
                        + " AND j.source_dag_id = r.dag_id AND j.source_run_id = r.run_id) ORDER BY r.ended_at")
                .bind("source", sourceDagId).bind("state", state.label()).bind("since", timestamp(since))
                .bind("dagId", dagId)
                .map((rs, ctx) -> new FinishedRun(rs.getString(1), instant(rs.getObject(2, OffsetDateTime.class))))
                .list());
    }

    /** Records that {@code dagId} judged a run, and the run it triggered if any; false when already judged. */
    public boolean judge(String dagId, String sourceDagId, String sourceRunId, Optional<String> runId, Instant now) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("dagId", dagId);
        values.put("source", sourceDagId);
        values.put("sourceRun", sourceRunId);
        values.put("runId", runId.orElse(null));
        values.put("now", timestamp(now));
        return insertOnce("INSERT INTO trigger_judgement (dag_id, source_dag_id, source_run_id, run_id, judged_at)"
                + " VALUES (:dagId, :source, :sourceRun, :runId, :now)", values);
    }

    /** An object under a watched prefix and the run made for it. */
    public record SeenObject(String dagId, String bucket, String key, String etag, String runId) {
    }

    /** Claims an object for {@code dagId}: true for exactly one caller, across processes and restarts. */
    public boolean claimObject(SeenObject object, Instant now) {
        return insertOnce("INSERT INTO seen_object (dag_id, bucket, object_key, etag, run_id, seen_at)"
                        + " VALUES (:dagId, :bucket, :key, :etag, :runId, :now)",
                Map.of("dagId", object.dagId(), "bucket", object.bucket(), "key", object.key(), "etag", object.etag(),
                        "runId", object.runId(), "now", timestamp(now)));
    }

    /** Objects claimed for {@code dagId} whose run was not created: the claimer stopped in between. */
    public List<SeenObject> claimedWithoutRun(String dagId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT s.dag_id, s.bucket, s.object_key, s.etag, s.run_id"
                        + " FROM seen_object s WHERE s.dag_id = :dagId AND NOT EXISTS (SELECT 1 FROM dag_run r"
                        + " WHERE r.dag_id = s.dag_id AND r.run_id = s.run_id) ORDER BY s.seen_at")
                .bind("dagId", dagId)
                .map((rs, ctx) -> new SeenObject(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5)))
                .list());
    }

    /** A claimed micro-batch of a topic's records and the run that covers it. */
    public record KafkaClaim(String dagId, long batchNo, KafkaBatch batch, String runId) {
    }

    /** The number of a DAG's next batch of a topic, and per partition the offset it starts at, where one is known. */
    public record NextKafkaBatch(long number, Map<Integer, Long> offsets) {
    }

    /** {@link #nextKafkaOffsets}, and the number after the last batch of {@code dagId} on {@code topic}. */
    public NextKafkaBatch nextKafkaBatch(String dagId, String topic, Collection<Integer> partitions) {
        long number = jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(MAX(batch_no), 0) + 1 FROM kafka_batch"
                        + " WHERE dag_id = :dagId AND topic = :topic")
                .bind("dagId", dagId).bind("topic", topic).mapTo(Long.class).one());
        return new NextKafkaBatch(number, nextKafkaOffsets(dagId, topic, partitions));
    }

    /**
     * Per partition of {@code topic} among {@code partitions}, the offset after the last one a batch of
     * {@code dagId} covers; a partition no batch covered yet is absent.
     */
    public Map<Integer, Long> nextKafkaOffsets(String dagId, String topic, Collection<Integer> partitions) {
        // Ranges of a partition never overlap: the one that starts last ends last, found through the primary key
        // without reading the partition's other ranges.
        return jdbi.withHandle(h -> {
            Map<Integer, Long> next = new TreeMap<>();
            for (int partition : partitions) {
                h.createQuery("SELECT last_offset + 1 FROM kafka_batch_range WHERE dag_id = :dagId AND topic = :topic"
                                + " AND partition_no = :partition ORDER BY first_offset DESC LIMIT 1")
                        .bind("dagId", dagId).bind("topic", topic).bind("partition", partition)
                        .mapTo(Long.class).findOne().ifPresent(offset -> next.put(partition, offset));
            }
            return next;
        });
    }

    /**
     * Batches of {@code dagId} on {@code topic} whose run was not made: recorded by a version that claimed a batch
     * before making its run, which stopped in between.
     */
    public List<KafkaClaim> kafkaBatchesWithoutRun(String dagId, String topic) {
        return jdbi.withHandle(h -> h.createQuery("SELECT b.batch_no, b.topic, b.run_id, r.partition_no,"
                        + " r.first_offset, r.last_offset FROM kafka_batch b JOIN kafka_batch_range r"
                        + " ON r.dag_id = b.dag_id AND r.topic = b.topic AND r.batch_no = b.batch_no"
                        + " WHERE b.dag_id = :dagId AND b.topic = :topic"
                        + " AND NOT EXISTS (SELECT 1 FROM dag_run d WHERE d.dag_id = b.dag_id AND d.run_id = b.run_id)"
                        + " ORDER BY b.batch_no, r.partition_no")
                .bind("dagId", dagId).bind("topic", topic)
                .reduceRows(new LinkedHashMap<Long, KafkaClaim>(), (claims, row) -> {
                    long batchNo = row.getColumn(1, Long.class);
                    KafkaClaim claim = claims.computeIfAbsent(batchNo, n -> new KafkaClaim(dagId, n,
                            new KafkaBatch(row.getColumn(2, String.class), List.of()), row.getColumn(3, String.class)));
                    List<KafkaBatch.OffsetRange> ranges = new ArrayList<>(claim.batch().ranges());
                    ranges.add(new KafkaBatch.OffsetRange(row.getColumn(4, Integer.class),
                            row.getColumn(5, Long.class), row.getColumn(6, Long.class)));
                    claims.put(batchNo, new KafkaClaim(dagId, batchNo, new KafkaBatch(claim.batch().topic(), ranges),
                            claim.runId()));
                    return claims;
                })
                .values().stream().toList());
    }

    private boolean insertOnce(String sql, Map<String, ?> values) {
        try {
            return jdbi.withHandle(h -> h.createUpdate(sql).bindMap(values).execute()) == 1;
        } catch (StatementException e) {
            if (isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    static boolean isUniqueViolation(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }

    @Override
    public void close() {
        closer.run();
    }
}
