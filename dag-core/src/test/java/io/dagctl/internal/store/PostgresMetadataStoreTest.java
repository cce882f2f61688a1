package io.dagctl.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.TaskState;
import io.dagctl.embedded.testing.SharedPostgres;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The same contract on a real PostgreSQL, reached through a {@code DAGCTL_DB_URL} URI. */
class PostgresMetadataStoreTest extends MetadataStoreContract {
    @Override
    MetadataStore openStore() {
        String uri = SharedPostgres.freshDatabase("metadata");
        return MetadataStore.open(StoreLocation.fromEnvironment(Map.of(StoreLocation.DB_URL_VARIABLE, uri), Path.of(".")));
    }

    @Test
    void keepsTheWorkerQueueIndexesTheChangeJournalsAndTheForeignKey() {
        List<String> indexes = store.withHandle(h -> h.createQuery("SELECT indexname FROM pg_indexes"
                + " WHERE tablename = 'task_instance' ORDER BY indexname").mapTo(String.class).list());
        List<String> foreignKeys = store.withHandle(h -> h.createQuery("SELECT conname FROM pg_constraint"
                + " WHERE contype = 'f' AND conrelid = 'task_instance'::regclass"
                + " ORDER BY conname").mapTo(String.class).list());

        assertThat(indexes).containsExactly("task_instance_by_run_change", "task_instance_by_run_state",
                "task_instance_by_state_queued_at", "task_instance_pk");
        assertThat(foreignKeys).containsExactly("task_instance_run_fk");
    }

    @Test
    void writersOfRunsExecutingAtOnceTakeNoConnectionsBeyondThePool() {
        createRun("manual__1", "extract");
        TaskInstance fresh = store.findTaskInstance("bikes", "manual__1", "extract").orElseThrow();
        List<MetadataStore.Writer> writers = new ArrayList<>();
        try {
            for (int i = 0; i < MetadataStore.POOL_SIZE + 8; i++) {
                MetadataStore.Writer writer = store.writer();
                writers.add(writer);
                writer.write(tx -> tx.updateTasks(List.of(fresh.withState(TaskState.SCHEDULED))));
            }

            int connections = store.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM pg_stat_activity"
                    + " WHERE datname = current_database()").mapTo(Integer.class).one());

            assertThat(connections).isLessThanOrEqualTo(MetadataStore.POOL_SIZE);
        } finally {
            writers.forEach(MetadataStore.Writer::close);
        }
    }
}
