package io.dagctl.internal.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dagctl.Dag;
import io.dagctl.OnAssetUpdates;
import io.dagctl.OnKafkaRecords;
import io.dagctl.OnNewObjects;
import io.dagctl.RunState;
import io.dagctl.Task;
import io.dagctl.TriggeredBy;
import io.dagctl.Updates;
import io.dagctl.spec.DagDefinitionException;
import io.dagctl.spec.DagSpec;
import io.dagctl.spec.Triggers;
import io.dagctl.spec.XComCondition;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScheduleRulesTest {
    @Dag(id = "well_triggered", endDate = "2024-12-31", startDate = "2024-01-01", params = WellTriggered.P.class)
    @TriggeredBy(dag = "detect_data_drift", state = RunState.FAILED, when = "detect_drift.share != 0.5",
            params = "report = detect_drift.htmlReport")
    static final class WellTriggered {
        record P(String report) {
        }

        @Task
        @Updates({"s3://bike-sharing/model.json", "postgres://bike_db/current"})
        void work() {
        }
    }

    @Dag(id = "badly_triggered", schedule = "@daily", endDate = "2023-12-31", startDate = "2024-01-01")
    @TriggeredBy(dag = "Detect", when = "detect_drift.share > 3", params = {"report", "missing = 1task"})
    static final class BadlyTriggered {
        @Task
        @Updates("model.json")
        void work() {
        }
    }

    @Dag(id = "bad_objects")
    @OnNewObjects(bucket = "landing/drops", every = "1m")
    @OnAssetUpdates({})
    static final class BadObjects {
        @Task
        void work() {
        }
    }

    @Dag(id = "bad_records", schedule = "@daily")
    @OnKafkaRecords(topic = "cancer train", maxRecords = 0, maxWait = "5s")
    static final class BadRecords {
        @Task
        void work() {
        }
    }

    @Dag(id = "batched", params = Batched.Batch.class, maxActiveRuns = 1)
    @OnKafkaRecords(topic = "cancer-train", maxRecords = 64, maxWait = "PT5S", connection = "events")
    static final class Batched {
        record Batch(String topic, String offsets) {
        }

        @Task
        void work() {
        }
    }

    @Test
    void aKafkaTriggerBecomesATriggerOnTheSpec() {
        DagSpec spec = DagDiscovery.load(Batched.class);

        assertThat(spec.triggers().isEventDriven()).isTrue();
        assertThat(spec.triggers().kafkaRecords()).contains(new Triggers.KafkaRecordsTrigger("cancer-train", 64,
                Duration.ofSeconds(5), Optional.of("events"), "topic", "offsets"));
    }

    @Test
    void kafkaTriggersNeedATopicNameAPositiveBatchADurationAndTheirParams() {
        assertThatThrownBy(() -> DagDiscovery.load(BadRecords.class))
                .extracting(e -> ((DagDefinitionException) e).problems()).asList().containsExactly(
                        "BadRecords: DAG is started by schedule \"@daily\" and by @OnKafkaRecords; choose one of them",
                        "BadRecords: @OnKafkaRecords(topic = \"cancer train\") is not a Kafka topic name (1 to 249"
                                + " letters, digits, '.', '_' and '-')",
                        "BadRecords: @OnKafkaRecords(maxRecords = 0) is not positive; a batch needs at least one record",
                        "BadRecords: @OnKafkaRecords(maxWait = \"5s\") is not an ISO-8601 duration; write e.g."
                                + " \"PT30S\" or \"PT1M\"",
                        "BadRecords: @OnKafkaRecords(topicParam) names param topic, which the DAG's params record does"
                                + " not have; declare @Dag(params) with a String topic",
                        "BadRecords: @OnKafkaRecords(offsetsParam) names param offsets, which the DAG's params record"
                                + " does not have; declare @Dag(params) with a String offsets");
    }

    @Test
    void aValidDefinitionBecomesTriggersOnTheSpec() {
        DagSpec spec = DagDiscovery.load(WellTriggered.class);
        assertThat(spec.endDate()).contains(LocalDate.parse("2024-12-31"));
        assertThat(spec.triggers().updates()).containsEntry("work",
                List.of("s3://bike-sharing/model.json", "postgres://bike_db/current"));
        assertThat(spec.triggers().triggeredBy()).hasValueSatisfying(t -> {
            assertThat(t.dagId()).isEqualTo("detect_data_drift");
            assertThat(t.state()).isEqualTo(RunState.FAILED);
            assertThat(t.when()).map(XComCondition::toString).contains("detect_drift.share != 0.5");
            assertThat(t.params()).containsOnlyKeys("report");
        });
    }

    @Test
    void everyBrokenTriggerRuleIsReportedWithItsFix() {
        assertThatThrownBy(() -> DagDiscovery.load(BadlyTriggered.class))
                .isInstanceOf(DagDefinitionException.class)
                .extracting(e -> ((DagDefinitionException) e).problems()).asList().containsExactly(
                        "BadlyTriggered: endDate 2023-12-31 is before startDate 2024-01-01; end the schedule on or "
                                + "after its start",
                        "BadlyTriggered: DAG is started by schedule \"@daily\" and by @TriggeredBy; choose one of them",
                        "BadlyTriggered: @TriggeredBy(dag = \"Detect\") is not a DAG id; DAG ids are lower snake case, "
                                + "e.g. \"detect_data_drift\"",
                        "BadlyTriggered: @TriggeredBy(when): path 'detect_drift.share > 3' has 'share > 3' where a "
                                + "field name belongs; write task_id.field.field",
                        "BadlyTriggered: @TriggeredBy(params) entry 'report' is not param = path; write e.g. "
                                + "\"startDate = fetch_current.startDate\"",
                        "BadlyTriggered: @TriggeredBy(params) entry 'missing = 1task' names param missing, which the "
                                + "DAG's params record does not have; declare @Dag(params) with a String missing",
                        "BadlyTriggered: @TriggeredBy(params) entry 'missing = 1task': path '1task' does not start "
                                + "with a task id; write task_id.field, e.g. detect_drift.datasetDrift",
                        "BadlyTriggered.work: @Updates asset 'model.json' has no scheme://; write scheme://where, "
                                + "e.g. \"s3://bike-sharing/model.json\" or \"postgres://bike_db/current\"");
    }

    @Test
    void newObjectTriggersNeedABucketADurationAndTheirParams() {
        assertThatThrownBy(() -> DagDiscovery.load(BadObjects.class))
                .extracting(e -> ((DagDefinitionException) e).problems()).asList().containsExactly(
                        "BadObjects: DAG is started by @OnAssetUpdates and by @OnNewObjects; choose one of them",
                        "BadObjects: @OnAssetUpdates lists no asset; name at least one URI, e.g. "
                                + "@OnAssetUpdates(\"s3://bucket/key\")",
                        "BadObjects: @OnNewObjects(bucket = \"landing/drops\") is not a bucket name; name the bucket "
                                + "alone and put the folder in prefix",
                        "BadObjects: @OnNewObjects(every = \"1m\") is not an ISO-8601 duration; write e.g. \"PT30S\" "
                                + "or \"PT1M\"",
                        "BadObjects: @OnNewObjects(keyParam) names param key, which the DAG's params record does not "
                                + "have; declare @Dag(params) with a String key",
                        "BadObjects: @OnNewObjects(etagParam) names param etag, which the DAG's params record does "
                                + "not have; declare @Dag(params) with a String etag");
    }

    @Test
    void conditionsCompareJsonLiteralsAndNumbersByValue() {
        var summary = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                .put("datasetDrift", true).put("share", 0.50);
        java.util.function.Function<String, Optional<com.fasterxml.jackson.databind.JsonNode>> values =
                task -> task.equals("detect_drift") ? Optional.of(summary) : Optional.empty();
        assertThat(XComCondition.parse("detect_drift.datasetDrift").test(values)).isTrue();
        assertThat(XComCondition.parse("!detect_drift.datasetDrift").test(values)).isFalse();
        assertThat(XComCondition.parse("detect_drift.share == 0.5").test(values)).isTrue();
        assertThat(XComCondition.parse("detect_drift.missing == null").test(values)).isTrue();
        assertThat(XComCondition.parse("other_task.x != \"a\"").test(values)).isTrue();
        assertThatThrownBy(() -> XComCondition.parse("detect_drift.share == 0.5.1"))
                .hasMessage("condition 'detect_drift.share == 0.5.1' compares with '0.5.1', which is not a JSON "
                        + "literal; use true, false, null, a number or a \"quoted string\"");
    }
}
