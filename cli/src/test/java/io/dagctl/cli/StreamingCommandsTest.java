package io.dagctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.ConnectionUri;
import io.dagctl.embedded.kafka.testing.SharedLocalKafka;
import io.dagctl.hooks.kafka.KafkaHook;
import io.dagctl.hooks.kafka.KafkaHookFactory;
import io.dagctl.hooks.kafka.KafkaMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dagctl lag} and {@code dagctl skip}: the commands of streaming DAGs. */
class StreamingCommandsTest {
    @TempDir
    Path home;

    @Test
    void lagShowsTheRecordsOfEachTopicTriggeredDagsTopicThatNoRunCovers() {
        try (KafkaHook kafka = new KafkaHookFactory().create(ConnectionUri.parse("kafka_default",
                SharedLocalKafka.connectionUri()))) {
            kafka.createTopic("cancer-train", 1);
            kafka.produce("cancer-train", IntStream.range(0, 5)
                    .mapToObj(i -> KafkaMessage.of("0", "1,1,1,1,1,1,1,1," + (i + 1))).toList());
        }

        CliRunner.Result lag = new CliRunner(home).with("DAGCTL_CONN_KAFKA_DEFAULT", SharedLocalKafka.connectionUri())
                .run("lag");

        assertThat(lag.exitCode()).isZero();
        assertThat(lag.out()).isEqualTo("""
                DAG                     TOPIC         LAG
                cancer_online_training  cancer-train  5
                """);
    }

    @Test
    void skipMarksTheFailedTasksOfAFailedRunSkippedAndTheRunDone() throws IOException {
        Path marker = Files.writeString(home.resolve("stop"), "");
        assertThat(new CliRunner(home).run("trigger", "cli_fixture", "--run-id", "poisoned", "-p",
                "failWhile=" + marker).exitCode()).isEqualTo(1);

        CliRunner.Result skip = new CliRunner(home).run("skip", "poisoned");

        assertThat(skip.exitCode()).isZero();
        assertThat(skip.out()).isEqualTo("skipped check, publish in run poisoned of DAG cli_fixture; the run counts as"
                + " done\n");
        assertThat(new CliRunner(home).run("status", "poisoned").plainOut())
                .startsWith("run poisoned of DAG cli_fixture: success")
                .contains("check    skipped").contains("publish  skipped");
    }

    @Test
    void skipRefusesARunThatDidNotFail() {
        assertThat(new CliRunner(home).run("trigger", "cli_fixture", "--run-id", "fine").exitCode()).isZero();

        CliRunner.Result skip = new CliRunner(home).run("skip", "fine");

        assertThat(skip.exitCode()).isEqualTo(2);
        assertThat(skip.err()).isEqualTo("dagctl: run fine of DAG cli_fixture is success, not failed: only a failed"
                + " run can be skipped\n");
    }
}
