package io.dagctl.internal.store;

import java.util.List;
import java.util.Optional;

/**
 * The task instances of one run that changed since a previous read, on PostgreSQL, where each row carries the id of
 * the transaction that last wrote it ({@link V9__Change_journal}).
 *
 * <p>Transactions take their ids in one order and commit in another, so a read cannot go on after the highest id it
 * saw: a transaction with a lower id may commit after it. A read returns its snapshot instead, and the next read
 * takes the rows written by transactions that snapshot did not see (still in flight, or not begun): each committed
 * write is read once, however the commits interleave. The index on {@code (dag_id, run_id, change_xid)} finds them
 * from the oldest transaction in flight at the previous read on.
 */
public final class ChangeJournal {
    private ChangeJournal() {
    }

    /**
     * What changed, and the snapshot the next read goes on from.
     *
     * @param changed the instances as they are now, in no particular order
     */
    public record Page(List<TaskInstance> changed, String snapshot) {
        public Page {
            changed = List.copyOf(changed);
        }
    }

    /**
     * The instances of the run written since the previous page's {@link Page#snapshot}; every instance when there is
     * none. One query, so that the rows and the snapshot handed on are of one moment.
     */
    public static Page read(MetadataStore store, String dagId, String runId, Optional<String> since) {
        List<Row> rows = store.withHandle(handle -> handle.createQuery("SELECT pg_current_snapshot()::text AS now,"
                        + " t.* FROM (SELECT 1) one LEFT JOIN task_instance t"
                        + " ON t.dag_id = :dagId AND t.run_id = :runId"
                        + (since.isPresent() ? " AND t.change_xid >= pg_snapshot_xmin(CAST(:since AS pg_snapshot))"
                                + " AND NOT pg_visible_in_snapshot(t.change_xid, CAST(:since AS pg_snapshot))" : ""))
                .bind("dagId", dagId)
                .bind("runId", runId)
                .bind("since", since.orElse(null))
                .map((rs, ctx) -> new Row(rs.getString("now"), rs.getString("dag_id") == null ? Optional.empty()
                        : Optional.of(MetadataStore.taskInstance(rs))))
                .list());
        return new Page(rows.stream().flatMap(row -> row.instance().stream()).toList(), rows.get(0).snapshot());
    }

    /** A row of the read: the snapshot, repeated, and a changed instance, absent when none changed. */
    private record Row(String snapshot, Optional<TaskInstance> instance) {
    }
}
