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

/** The embedded services on a fresh home, as {@code dagctl scheduler} finds them. */
class LocalServicesTest {
    @TempDir
    Path home;

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
        try (LocalServices services = new LocalServices(home, () -> new PrintWriter(new StringWriter()))) {
            services.createWatchedBuckets(List.of(ingest), Connections.of(Map.of("s3_default",
                    ConnectionUri.parse("s3_default", "s3://key:secret@bike-drops?endpoint=http://127.0.0.1:9"))));

            assertThat(home.resolve("s3")).doesNotExist();
        }
    }
}
