package io.dagctl.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.embedded.testing.SharedPostgres;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On PostgreSQL, asking whether an in-order Kafka DAG's batch run waits for the batch before it finds the run's batch
 * through an index on its run id: the scheduler and every worker ask for each queued batch run, and reading all of the
 * DAG's batches made each question cost more as batches were cut.
 */
class KafkaBatchPlanTest {
    private static final int BATCHES = 20_000;

    @TempDir
    Path home;

    @Test
    void findsABatchRunsBatchThroughTheIndexOnItsRunIdNotByReadingEveryBatchOfTheDag() {
        Map<String, String> environment = Map.of(StoreLocation.DB_URL_VARIABLE,
                SharedPostgres.freshDatabase("batch_plans"));
        try (MetadataStore store = MetadataStore.open(StoreLocation.fromEnvironment(environment, home))) {
            store.withHandle(h -> {
                h.execute("INSERT INTO kafka_batch (dag_id, topic, batch_no, run_id, claimed_at) SELECT 'in_order',"
                        + " 'events', i, 'kafka__events__' || lpad(i::text, 10, '0'), now()"
                        + " FROM generate_series(1, ?) i", BATCHES);
                h.execute("ANALYZE kafka_batch");
                return null;
            });
            String runId = "kafka__events__" + String.format("%010d", BATCHES / 2);

            List<String> plan = store.withHandle(h -> h.createQuery("EXPLAIN "
                            + MetadataStore.Transaction.PREVIOUS_BATCH_STATE
                                    .replace(":dagId", "'in_order'").replace(":runId", "'" + runId + "'"))
                    .mapTo(String.class).list());

            assertThat(String.join("\n", plan)).contains("kafka_batch_by_run").doesNotContain("Seq Scan on kafka_batch");
            boolean middleWaits = store.inTransaction(tx -> tx.waitsForPreviousBatch("in_order", runId));
            boolean firstWaits = store.inTransaction(tx -> tx.waitsForPreviousBatch("in_order",
                    "kafka__events__0000000001"));
            assertThat(middleWaits).as("a batch whose previous batch has no run yet waits").isTrue();
            assertThat(firstWaits).as("the first batch waits").isFalse();
        }
    }
}
