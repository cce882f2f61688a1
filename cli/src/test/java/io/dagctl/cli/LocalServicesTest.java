package io.dagctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.ConnectionUri;
import io.dagctl.Connections;
import io.dagctl.dags.IngestBikeDrops;
import io.dagctl.internal.discovery.DagDiscovery;
import io.dagctl.spec.DagSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What stands in for the connections a user has not configured, what it says about them, and what it holds on a
 * fresh home.
 */
class LocalServicesTest {
    @TempDir
    Path home;

    @Test
    void theSlackOutboxIsAnnouncedOnceHoweverManyTasksLookItUp() {
        StringWriter notices = new StringWriter();
        PrintWriter err = new PrintWriter(notices, true);
        try (LocalServices services = new LocalServices(home, () -> err)) {
            services.get(LocalServices.SLACK_CONNECTION);
            services.get(LocalServices.SLACK_CONNECTION);
        }

        assertThat(notices.toString()).isEqualTo("dagctl: DAGCTL_CONN_SLACK_DEFAULT is not set: Slack messages go to "
                + home.resolve("outbox/slack.jsonl").toAbsolutePath() + "\n");
    }

    @Test
    void theEmbeddedS3HasTheBucketThatTheBundledObjectTriggerWatches() {
        DagSpec ingest = DagDiscovery.load(IngestBikeDrops.class);
        try (LocalServices services = new LocalServices(home, () -> new PrintWriter(new StringWriter()));
                S3ObjectSource objects = new S3ObjectSource(services)) {
            services.createWatchedBuckets(List.of(ingest), Connections.of(Map.of()));

            assertThat(objects.list(ingest.triggers().newObjects().orElseThrow())).isEmpty();
        }
    }

    @Test
    void leavesABucketWatchedThroughAConfiguredS3ToThatS3() {
        DagSpec ingest = DagDiscovery.load(IngestBikeDrops.class);
        // Parsing registers the secret key for masking in this whole JVM: a plain word would be masked in the output
        // of the tests that run after this one.
        try (LocalServices services = new LocalServices(home, () -> new PrintWriter(new StringWriter()))) {
            services.createWatchedBuckets(List.of(ingest), Connections.of(Map.of("s3_default",
                    ConnectionUri.parse("s3_default", "s3://AKIAWATCHED:wAtChEd-bUcKeT-kEy@bike-drops"
                            + "?endpoint=http://127.0.0.1:9"))));

            assertThat(home.resolve("s3")).doesNotExist();
        }
    }
}
