package io.dagctl.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.Dag;
import io.dagctl.OnKafkaRecords;
import io.dagctl.Task;
import io.dagctl.internal.discovery.DagDiscovery;
import org.junit.jupiter.api.Test;

/** What starts a DAG's runs, as the CLI's list and show and the web UI name it. */
class StartedByTest {
    @Dag(id = "scores_batches", params = ScoresBatches.Batch.class, maxActiveRuns = 1)
    @OnKafkaRecords(topic = "cancer-train", maxRecords = 64, maxWait = "PT5S")
    static final class ScoresBatches {
        record Batch(String topic, String offsets) {
        }

        @Task
        void score() {
        }
    }

    @Test
    void aDagStartedByKafkaRecordsNamesItsTopic() {
        assertThat(Operations.startedBy(DagDiscovery.load(ScoresBatches.class)))
                .isEqualTo("records of topic cancer-train");
    }
}
