package io.dagctl.hooks.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dagctl.ConnectionUri;
import io.dagctl.Secrets;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaHookFactoryTest {
    private static Map<String, Object> properties(String uri) {
        return KafkaHookFactory.clientProperties(ConnectionUri.parse("kafka_default", uri));
    }

    @Test
    void takesTheBootstrapServerFromHostAndPortWithKafkasDefaultPort() {
        assertThat(properties("kafka://broker.internal:19092")).containsEntry("bootstrap.servers",
                "broker.internal:19092");
        assertThat(properties("kafka://broker.internal")).containsEntry("bootstrap.servers", "broker.internal:9092");
        assertThat(properties("kafka://ignored?bootstrap.servers=a:9092,b:9092"))
                .containsEntry("bootstrap.servers", "a:9092,b:9092");
    }

    @Test
    void passesClientPropertiesThroughAndMasksTheirSecrets() {
        String uri = "kafka://broker:9093?security.protocol=SSL&ssl.truststore.location=/etc/kafka/trust.jks"
                + "&ssl.truststore.password=trust-me-not";
        ConnectionUri connection = ConnectionUri.parse("kafka_default", uri);

        assertThat(KafkaHookFactory.clientProperties(connection))
                .containsEntry("security.protocol", "SSL")
                .containsEntry("ssl.truststore.location", "/etc/kafka/trust.jks")
                .containsEntry("ssl.truststore.password", "trust-me-not");
        assertThat(connection.toString()).doesNotContain("trust-me-not").contains("ssl.truststore.password=***");
        assertThat(Secrets.mask("password is trust-me-not")).isEqualTo("password is ***");
    }

    @Test
    void makesThePlainSaslLoginOfAUserAndPasswordOverTls() {
        Map<String, Object> properties = properties("kafka://svc-user:p%40ss%22word@broker:9092");

        assertThat(properties)
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "PLAIN")
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required"
                        + " username=\"svc-user\" password=\"p@ss\\\"word\";");
        assertThat(Secrets.mask("config: " + properties.get("sasl.jaas.config"))).isEqualTo("config: ***");
    }

    @Test
    void makesAScramLoginWhenTheMechanismSaysSo() {
        assertThat(properties("kafka://u:secret-pw@broker?sasl.mechanism=SCRAM-SHA-512&security.protocol=SASL_PLAINTEXT"))
                .containsEntry("security.protocol", "SASL_PLAINTEXT")
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"u\" password=\"secret-pw\";");
    }

    @Test
    void masksAJaasConfigurationGivenAsIs() {
        String jaas = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"hunter22\";";
        ConnectionUri connection = ConnectionUri.parse("kafka_default", "kafka://broker?sasl.jaas.config="
                + URLEncoder.encode(jaas, StandardCharsets.UTF_8).replace("+", "%20"));

        assertThat(KafkaHookFactory.clientProperties(connection)).containsEntry("sasl.jaas.config", jaas);
        assertThat(connection.toString()).isEqualTo("kafka://broker?sasl.jaas.config=***");
        assertThat(Secrets.mask(jaas)).isEqualTo("***");
    }

    @Test
    void refusesAPropertyNoKafkaClientKnows() {
        assertThatThrownBy(() -> properties("kafka://broker?securty.protocol=SSL"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("connection 'kafka_default': 'securty.protocol' is not a Kafka client property"
                        + " (see the producer, consumer and admin configs)");
    }

    @Test
    void refusesAnotherSchemeAndAMissingBroker() {
        assertThatThrownBy(() -> properties("http://broker:9092"))
                .hasMessage("connection 'kafka_default' has scheme 'http', but a Kafka connection needs"
                        + " kafka://[login:password@]host[:port][?client.property=value]");
        assertThatThrownBy(() -> properties("kafka:///"))
                .hasMessage("connection 'kafka_default' names no broker: give one as the host, kafka://host:9092,"
                        + " or several in ?bootstrap.servers=");
    }
}
