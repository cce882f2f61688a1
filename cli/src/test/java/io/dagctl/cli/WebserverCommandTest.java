package io.dagctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.ops.Operations.ConnectionSummary;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebserverCommandTest {
    @TempDir
    Path home;

    @Test
    void refusesToServeAnotherAddressWithoutAuthenticationAndSaysHowToConfigureIt() {
        CliRunner.Result result = new CliRunner(home).run("webserver", "--host", "0.0.0.0", "--port", "0");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).isEqualTo("dagctl: refusing to serve 0.0.0.0 without authentication: anyone who"
                + " reaches it could trigger and clear runs. Set DAGCTL_WEBSERVER_USERS=name:bcrypt-hash (from"
                + " htpasswd -nbB name PASSWORD) and DAGCTL_WEBSERVER_SECRET_KEY, or keep --host 127.0.0.1"
                + System.lineSeparator());
    }

    @Test
    void refusesAPortOutsideItsRange() {
        CliRunner.Result result = new CliRunner(home).run("standalone", "--port", "70000");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).isEqualTo("dagctl: port 70000 is not between 0 and 65535" + System.lineSeparator());
    }

    @Test
    void listsTheConfiguredConnectionsThenTheEmbeddedDefaultsWithoutStartingThem() {
        Map<String, String> variables = Map.of("DAGCTL_HOME", home.toString(),
                "DAGCTL_CONN_BOOKING_DB", "postgresql://booker:booker-pass@db.example.com:6543/bookings",
                "DAGCTL_CONN_REPORTS", "https://reports.example.com/?token=reports-token");
        try (Dagctl dagctl = new Dagctl(new CliEnvironment(variables, home))) {
            assertThat(dagctl.operations().connections()).containsExactly(
                    new ConnectionSummary("bike_db", "postgresql", Optional.empty(), Optional.empty(),
                            "embedded PostgreSQL, data in " + home.resolve("postgres") + " (started on first use)"),
                    new ConnectionSummary("booking_db", "postgresql", Optional.of("db.example.com"), Optional.of(6543),
                            "DAGCTL_CONN_BOOKING_DB"),
                    new ConnectionSummary("http_default", "http", Optional.of("localhost"), Optional.empty(),
                            "no base URL, no credentials"),
                    new ConnectionSummary("kafka_default", "kafka", Optional.empty(), Optional.empty(),
                            "embedded Kafka broker, log in " + home.resolve("kafka") + " (started on first use)"),
                    new ConnectionSummary("postgres_default", "postgresql", Optional.empty(), Optional.empty(),
                            "embedded PostgreSQL, data in " + home.resolve("postgres") + " (started on first use)"),
                    new ConnectionSummary("reports", "https", Optional.of("reports.example.com"), Optional.empty(),
                            "DAGCTL_CONN_REPORTS"),
                    new ConnectionSummary("s3_default", "s3", Optional.empty(), Optional.empty(),
                            "embedded S3-compatible server, bucket dagctl in " + home.resolve("s3")
                                    + " (started on first use)"),
                    new ConnectionSummary("slack_default", "file", Optional.empty(), Optional.empty(),
                            "messages appended to " + home.resolve("outbox").resolve("slack.jsonl")),
                    new ConnectionSummary("synthetics_default", "http", Optional.empty(), Optional.empty(),
                            "local synthetic-data service, models in " + home.resolve("synthetics")
                                    + " (started on first use)"));
        }
        assertThat(home.resolve("postgres")).doesNotExist();
        assertThat(home.resolve("s3")).doesNotExist();
    }
}
