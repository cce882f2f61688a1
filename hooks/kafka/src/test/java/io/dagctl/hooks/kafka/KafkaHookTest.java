package io.dagctl.hooks.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dagctl.ConnectionUri;
import io.dagctl.embedded.kafka.testing.SharedLocalKafka;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KafkaHookTest {
    private static KafkaHook kafka;

    @BeforeAll
    static void connect() {
        kafka = new KafkaHookFactory().create(ConnectionUri.parse("kafka_default", SharedLocalKafka.connectionUri()));
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test
    void producesKeysValuesAndHeadersAndReadsThemBackByOffset() {
        kafka.createTopic("hook-roundtrip", 1);

        List<ProducedRecord> produced = kafka.produce("hook-roundtrip", List.of(
                KafkaMessage.of("1", "5,1,1,1,2,1,3,1,1").withHeader("source", "uci"),
                KafkaMessage.of(null, "no key"),
                new KafkaMessage("0", new byte[] {0, (byte) 0xff}, Map.of())));

        assertThat(produced).containsExactly(new ProducedRecord("hook-roundtrip", 0, 0),
                new ProducedRecord("hook-roundtrip", 0, 1), new ProducedRecord("hook-roundtrip", 0, 2));
        List<KafkaRecord> records = kafka.read("hook-roundtrip", 0, 0, 2);
        assertThat(records).extracting(KafkaRecord::offset).containsExactly(0L, 1L, 2L);
        assertThat(records.get(0).keyAsString()).isEqualTo("1");
        assertThat(records.get(0).valueAsString()).isEqualTo("5,1,1,1,2,1,3,1,1");
        assertThat(records.get(0).headers()).containsExactly(Map.entry("source", "uci"));
        assertThat(records.get(1).key()).isNull();
        assertThat(records.get(2).value()).containsExactly(0, 0xff);
        assertThat(records.get(2).position()).isEqualTo("hook-roundtrip/0@2");
    }

    @Test
    void readsExactlyTheOffsetRangeItIsGivenAgainAndAgain() {
        kafka.createTopic("hook-range", 1);
        kafka.produce("hook-range", IntStream.range(0, 20).mapToObj(i -> KafkaMessage.of(null, "m" + i)).toList());

        List<String> first = kafka.read("hook-range", 0, 5, 9).stream().map(KafkaRecord::valueAsString).toList();
        List<String> again = kafka.read("hook-range", 0, 5, 9).stream().map(KafkaRecord::valueAsString).toList();

        assertThat(first).containsExactly("m5", "m6", "m7", "m8", "m9").isEqualTo(again);
        assertThat(kafka.read("hook-range", 0, 19, 19)).extracting(KafkaRecord::valueAsString).containsExactly("m19");
    }

    @Test
    void sendsMessagesWithTheSameKeyToTheSamePartitionInOrder() {
        kafka.createTopic("hook-keys", 3);
        List<ProducedRecord> produced = kafka.produce("hook-keys",
                IntStream.range(0, 9).mapToObj(i -> KafkaMessage.of("key-" + i % 3, "v" + i)).toList());

        for (int i = 3; i < 9; i++) {
            assertThat(produced.get(i).partition()).isEqualTo(produced.get(i - 3).partition());
            assertThat(produced.get(i).offset()).isGreaterThan(produced.get(i - 3).offset());
        }
    }

    @Test
    void listsTopicsAndEachPartitionsOffsets() {
        kafka.createTopic("hook-listed", 2);
        kafka.produce("hook-listed", List.of(new KafkaMessage(null, "a".getBytes(StandardCharsets.UTF_8), Map.of())));

        assertThat(kafka.topics()).contains("hook-listed").doesNotContain("__consumer_offsets");
        List<PartitionOffsets> partitions = kafka.partitions("hook-listed");
        assertThat(partitions).extracting(PartitionOffsets::partition).containsExactly(0, 1);
        assertThat(partitions).extracting(PartitionOffsets::beginning).containsExactly(0L, 0L);
        assertThat(partitions.stream().mapToLong(PartitionOffsets::records).sum()).isEqualTo(1);
    }

    @Test
    void createsATopicOnceAndRefusesToChangeItsPartitionCount() {
        kafka.createTopic("hook-created", 2);
        kafka.createTopic("hook-created", 2);

        assertThatThrownBy(() -> kafka.createTopic("hook-created", 4))
                .isInstanceOf(KafkaHookException.class)
                .hasMessage("topic 'hook-created' exists with 2 partitions, not 4 (connection 'kafka_default')");
    }

    @Test
    void failsClearlyOnOffsetsThatRetentionDeletedInsteadOfReadingFromTheEnd() throws Exception {
        kafka.createTopic("hook-retained", 1);
        kafka.produce("hook-retained", IntStream.range(0, 4).mapToObj(i -> KafkaMessage.of(null, "v" + i)).toList());
        assertThat(kafka.read("hook-retained", 0, 0, 1)).hasSize(2);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedLocalKafka.instance().bootstrapServers()))) {
            admin.deleteRecords(Map.of(new TopicPartition("hook-retained", 0), RecordsToDelete.beforeOffset(2)))
                    .all().get();
        }

        assertThatThrownBy(() -> kafka.read("hook-retained", 0, 0, 1))
                .isInstanceOf(KafkaHookException.class)
                .hasMessage("cannot read hook-retained/0 offsets 0..1: the partition starts at offset 2 now (retention"
                        + " deleted the older records)");
        assertThat(kafka.read("hook-retained", 0, 2, 3)).extracting(KafkaRecord::valueAsString)
                .containsExactly("v2", "v3");
    }

    @Test
    void failsClearlyOnOffsetsNotYetWrittenAndOnAMissingTopic() {
        kafka.createTopic("hook-short", 1);
        kafka.produce("hook-short", KafkaMessage.of(null, "only"));

        assertThatThrownBy(() -> kafka.read("hook-short", 0, 0, 5))
                .isInstanceOf(KafkaHookException.class)
                .hasMessage("cannot read hook-short/0 offsets 0..5: the partition ends at offset 0");
        assertThatThrownBy(() -> kafka.read("hook-short", 0, 3, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("offsets 3..1 of hook-short/0 are not a range: the first must be at least 0 and at most"
                        + " the last");
        assertThatThrownBy(() -> kafka.partitions("no-such-topic"))
                .isInstanceOf(KafkaHookException.class)
                .hasMessage("topic 'no-such-topic' does not exist (connection 'kafka_default')");
    }
}
