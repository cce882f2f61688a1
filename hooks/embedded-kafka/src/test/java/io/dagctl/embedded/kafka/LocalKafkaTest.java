package io.dagctl.embedded.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaTest {
    @TempDir
    Path dir;

    @Test
    void aSecondStartOnTheDirectoryOfARunningBrokerUsesThatBroker() {
        try (LocalKafka running = LocalKafka.start(dir)) {
            try (LocalKafka second = LocalKafka.start(dir)) {
                assertThat(second.bootstrapServers()).isEqualTo(running.bootstrapServers());
            }
            // Closing the second start left the broker running.
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    running.bootstrapServers()))) {
                assertThat(admin.describeCluster().nodes().get(10, java.util.concurrent.TimeUnit.SECONDS)).hasSize(1);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void keepsRecordsAndItsAddressAcrossARestart() throws Exception {
        String firstAddress;
        try (LocalKafka kafka = LocalKafka.start(dir)) {
            firstAddress = kafka.bootstrapServers();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, firstAddress))) {
                admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get();
            }
            Properties producer = new Properties();
            producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, firstAddress);
            try (KafkaProducer<String, String> p = new KafkaProducer<>(producer, new StringSerializer(),
                    new StringSerializer())) {
                p.send(new ProducerRecord<>("kept", "k", "before the restart")).get();
            }
        }
        try (LocalKafka kafka = LocalKafka.start(dir)) {
            assertThat(kafka.bootstrapServers()).isEqualTo(firstAddress);
            Properties consumer = new Properties();
            consumer.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(consumer, new StringDeserializer(),
                    new StringDeserializer())) {
                TopicPartition partition = new TopicPartition("kept", 0);
                c.assign(List.of(partition));
                c.seekToBeginning(List.of(partition));
                List<ConsumerRecord<String, String>> records = c.poll(java.time.Duration.ofSeconds(10))
                        .records(partition);
                assertThat(records).extracting(ConsumerRecord::value).containsExactly("before the restart");
            }
        }
    }
}
