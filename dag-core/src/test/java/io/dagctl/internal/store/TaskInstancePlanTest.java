package io.dagctl.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.embedded.testing.SharedPostgres;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On PostgreSQL, queuing one instance of a wide mapped task reads it through the primary key, though the table's
 * statistics were taken before the expansion inserted its instances: reading every scheduled instance instead made
 * each queuing and end of a 10,000-task fan-out cost 10,000 index entries.
 */
class TaskInstancePlanTest {
    @TempDir
    Path home;

    @Test
    void queuesOneInstanceOfAWideExpansionThroughThePrimaryKey() {
        Map<String, String> environment = Map.of(StoreLocation.DB_URL_VARIABLE,
                SharedPostgres.freshDatabase("plans"));
        try (MetadataStore store = MetadataStore.open(StoreLocation.fromEnvironment(environment, home))) {
            store.withHandle(h -> {
                insertRun(h, "earlier", 10);
                h.execute("ANALYZE task_instance");
                insertRun(h, "wide", 1);
                return null;
            });
            store.inTransaction(tx -> WorkQueue.expand(tx, TaskInstance.fresh("fan", "wide", "t1", 1), 5_000,
                    "default_pool", 1));

            List<String> plan = store.withHandle(h -> h.createQuery("EXPLAIN UPDATE task_instance SET state = 'queued'"
                            + " WHERE dag_id = 'fan' AND run_id = 'wide' AND task_id = 't1' AND map_index = 42"
                            + " AND state = 'scheduled'")
                    .mapTo(String.class).list());

            assertThat(String.join("\n", plan)).contains("Index Scan using task_instance_pk");
        }
    }

    private static void insertRun(Handle handle, String runId, int tasks) {
        handle.execute("INSERT INTO dag_run (dag_id, run_id, state, run_type, logical_date, data_interval_start,"
                + " data_interval_end, params, created_at, executor) VALUES ('fan', ?, 'running', 'manual', now(),"
                + " now(), now(), '{}', now(), 'workers')", runId);
        handle.execute("INSERT INTO task_instance (dag_id, run_id, task_id, state, max_tries) SELECT 'fan', ?,"
                + " 't' || i, 'none', 1 FROM generate_series(1, ?) i", runId, tasks);
    }
}
