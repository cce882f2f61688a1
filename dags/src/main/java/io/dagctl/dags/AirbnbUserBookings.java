package io.dagctl.dags;

import io.dagctl.Connection;
import io.dagctl.Dag;
import io.dagctl.From;
import io.dagctl.Task;
import io.dagctl.TaskContext;
import io.dagctl.hooks.postgres.PostgresHook;
import io.dagctl.hooks.postgres.Sql;
import io.dagctl.hooks.s3.S3Hook;
import io.dagctl.hooks.s3.S3Key;
import io.dagctl.synthetics.DataSource;
import io.dagctl.synthetics.ModelConfig;
import io.dagctl.synthetics.SyntheticModel;
import io.dagctl.synthetics.SyntheticsHook;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;

/**
 * Extracts booking features from the Airbnb users and sessions in Postgres, trains a synthetic-data model on them,
 * and publishes the private synthetic copy to S3.
 */
@Dag(id = "airbnb_user_bookings", tags = {"synthetics", "airbnb"},
        description = "Booking features from Postgres, a private synthetic copy of them in S3")
public final class AirbnbUserBookings {
    static final String FEATURES_SQL = "session_rollups__by_user.sql";
    /** Long enough for the synthetic-data service to fetch the features, short enough to be useless later. */
    private static final Duration LINK_VALIDITY = Duration.ofHours(1);
    private static final Duration TRAINING_TIMEOUT = Duration.ofMinutes(30);
    /** A fixed seed: a rerun or retry on the same features publishes the same records and score. */
    static final long SYNTHESIS_SEED = 20_110_301;

    private final PostgresHook bookings;
    private final S3Hook s3;
    private final SyntheticsHook synthetics;

    @Inject
    public AirbnbUserBookings(@Connection("booking_db") PostgresHook bookings, S3Hook s3, SyntheticsHook synthetics) {
        this.bookings = bookings;
        this.s3 = s3;
        this.synthetics = synthetics;
    }

    /** The per-user rollup of sessions, streamed by COPY straight into S3. */
    @Task(retries = 2, retryDelay = "PT10S")
    public S3Key extractFeatures(TaskContext context) {
        S3Key key = s3.key(context.runId() + "_booking_features.csv");
        s3.upload(key, out -> bookings.copyOut(Sql.file(FEATURES_SQL), out));
        return key;
    }

    /** Trains a synthetic model on the features and returns where its data and quality report are. */
    @Task(retries = 3, retryDelay = "PT30S", retryExponentialBackoff = true, maxRetryDelay = "PT5M")
    public SyntheticDataset generateSyntheticFeatures(TaskContext context, @From("extract_features") S3Key features) {
        URI source = s3.presignedGet(features, LINK_VALIDITY);
        SyntheticModel model = synthetics.createModel(
                new ModelConfig(context.dagId() + "-" + context.runId(), 0, java.util.OptionalLong.of(SYNTHESIS_SEED)),
                DataSource.url(source));
        context.log().info("training synthetic model {} on {}", model.id(), features);
        SyntheticModel completed = synthetics.awaitCompletion(model.id(), TRAINING_TIMEOUT);
        S3Key report = s3.key(context.runId() + "_synthetic_quality_report.html");
        copyArtifact(synthetics.artifactLink(completed.id(), "report"), report);
        int qualityScore = completed.qualityScore().orElse(-1);
        context.log().info("model {} completed with a Synthetic Quality Score of {}", completed.id(), qualityScore);
        return new SyntheticDataset(completed.id(), report, qualityScore);
    }

    /** Copies the synthetic records from the service into S3, next to the features they were made from. */
    @Task(retries = 2, retryDelay = "PT10S")
    public S3Key uploadSyntheticFeatures(TaskContext context, SyntheticDataset dataset) {
        S3Key key = s3.key(context.runId() + "_booking_features_synthetic.csv");
        copyArtifact(synthetics.artifactLink(dataset.modelId(), "data_preview"), key);
        return key;
    }

    /** Streams an artifact of the synthetic-data service into S3; nothing lands under the key if it fails midway. */
    private void copyArtifact(URI link, S3Key key) {
        s3.upload(key, out -> {
            try (InputStream artifact = synthetics.open(link)) {
                artifact.transferTo(out);
            }
        });
    }

    /**
     * What the synthetic-data service made: the model whose records it generated, the quality report copied to S3,
     * and its Synthetic Quality Score (0–100). No link to the records: a link holds the address of the service that
     * gave it, and a run resumed in another process reaches the service through its connection, perhaps elsewhere.
     */
    public record SyntheticDataset(String modelId, S3Key report, int qualityScore) {
    }
}
