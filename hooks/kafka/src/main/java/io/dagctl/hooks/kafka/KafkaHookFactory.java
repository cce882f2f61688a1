package io.dagctl.hooks.kafka;

import io.dagctl.ConnectionUri;
import io.dagctl.HookFactory;
import io.dagctl.Secrets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;

/**
 * Makes a {@link KafkaHook} from a connection {@code kafka://[login:password@]host[:port][?client.property=value&...]}.
 * The host and port (default 9092) are the bootstrap server, unless a {@code bootstrap.servers} extra lists several.
 * Every other extra is a Kafka client property passed through as it is ({@code security.protocol},
 * {@code sasl.mechanism}, {@code ssl.truststore.location}, ...); an unknown one is an error, not a silent no-op.
 * A login and password are the SASL credentials: they make the {@code sasl.jaas.config} of the mechanism (PLAIN by
 * default, or SCRAM-SHA-256/512) over {@code SASL_SSL} unless {@code security.protocol} says otherwise. Passwords,
 * key material and JAAS configurations are masked wherever dagctl prints.
 */
public final class KafkaHookFactory implements HookFactory<KafkaHook> {
    public static final String DEFAULT_CONNECTION_ID = "kafka_default";

    private static final int DEFAULT_PORT = 9092;

    @Override
    public Class<KafkaHook> hookType() {
        return KafkaHook.class;
    }

    @Override
    public String defaultConnectionId() {
        return DEFAULT_CONNECTION_ID;
    }

    @Override
    public KafkaHook create(ConnectionUri connection) {
        return new KafkaHook(connection.id(), clientProperties(connection));
    }

    /** The properties every client of this connection (producer, consumer, admin) starts from. */
    static Map<String, Object> clientProperties(ConnectionUri connection) {
        if (!connection.scheme().equals("kafka")) {
            throw new IllegalArgumentException("connection '" + connection.id() + "' has scheme '"
                    + connection.scheme() + "', but a Kafka connection needs kafka://[login:password@]host[:port]"
                    + "[?client.property=value]");
        }
        Set<String> known = knownClientProperties();
        Map<String, Object> properties = new HashMap<>();
        connection.query().forEach((key, value) -> {
            if (!known.contains(key)) {
                throw new IllegalArgumentException("connection '" + connection.id() + "': '" + key
                        + "' is not a Kafka client property (see the producer, consumer and admin configs)");
            }
            properties.put(key, value);
        });
        if (!properties.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
            if (connection.host() == null || connection.host().isEmpty()) {
                throw new IllegalArgumentException("connection '" + connection.id()
                        + "' names no broker: give one as the host, kafka://host:9092, or several in ?bootstrap.servers=");
            }
            int port = connection.port() < 0 ? DEFAULT_PORT : connection.port();
            properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, connection.host() + ":" + port);
        }
        connection.loginIfAny().ifPresent(login -> {
            String mechanism = (String) properties.computeIfAbsent(SaslConfigs.SASL_MECHANISM, k -> "PLAIN");
            properties.putIfAbsent(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
            if (!properties.containsKey(SaslConfigs.SASL_JAAS_CONFIG)) {
                String jaas = loginModule(connection, mechanism) + " required username=\"" + quoted(login)
                        + "\" password=\"" + quoted(connection.passwordIfAny().orElse("")) + "\";";
                Secrets.register(jaas);
                properties.put(SaslConfigs.SASL_JAAS_CONFIG, jaas);
            }
        });
        Optional.ofNullable((String) properties.get(SaslConfigs.SASL_JAAS_CONFIG)).ifPresent(Secrets::register);
        return properties;
    }

    private static String loginModule(ConnectionUri connection, String mechanism) {
        return switch (mechanism.toUpperCase(Locale.ROOT)) {
            case "PLAIN" -> "org.apache.kafka.common.security.plain.PlainLoginModule";
            case "SCRAM-SHA-256", "SCRAM-SHA-512" -> "org.apache.kafka.common.security.scram.ScramLoginModule";
            default -> throw new IllegalArgumentException("connection '" + connection.id() + "': sasl.mechanism="
                    + mechanism + " takes no login and password in the URI: give its sasl.jaas.config instead");
        };
    }

    private static String quoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static Set<String> knownClientProperties() {
        Set<String> names = new HashSet<>(ProducerConfig.configNames());
        names.addAll(ConsumerConfig.configNames());
        names.addAll(AdminClientConfig.configNames());
        return names;
    }
}
