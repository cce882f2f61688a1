package io.dagctl.dags;

import io.dagctl.Connection;
import io.dagctl.Dag;
import io.dagctl.Param;
import io.dagctl.RunState;
import io.dagctl.Task;
import io.dagctl.TaskContext;
import io.dagctl.TriggeredBy;
import io.dagctl.Updates;
import io.dagctl.hooks.postgres.PostgresHook;
import io.dagctl.hooks.s3.S3Hook;
import io.dagctl.hooks.s3.S3Key;
import io.dagctl.training.TrainingHook;
import jakarta.inject.Inject;

/**
 * Retrains the ridge model that predicts bike rentals and publishes it, whenever a {@code detect_data_drift} run
 * succeeds having found dataset drift: the drift check and the retraining are separate DAGs, each rerun on its own.
 */
@Dag(id = "train_model", params = TrainModel.DriftFound.class, maxActiveRuns = 1, tags = {"drift", "bike-sharing"},
        description = "Retrains and publishes the bike-sharing model after drift is found")
@TriggeredBy(dag = "detect_data_drift", state = RunState.SUCCESS, when = "detect_drift.datasetDrift",
        params = {"driftShare = detect_drift.driftShare", "driftReport = detect_drift.htmlReport"})
public final class TrainModel {
    private final BikeModelTraining modelTraining;

    @Inject
    public TrainModel(@Connection("bike_db") PostgresHook bikes, S3Hook s3, TrainingHook training) {
        this.modelTraining = new BikeModelTraining(bikes, s3, training);
    }

    /** A retrained model: where its artifact is and how well it did. */
    public record TrainedModel(S3Key artifact, double alpha, double testRmsle, int trainingRows) {
    }

    /** Why the model is retrained: the drift that the triggering run found (empty when triggered by hand). */
    public record DriftFound(
            @Param(defaultValue = "0", description = "Share of drifted columns") double driftShare,
            @Param(defaultValue = "", description = "The drift report") String driftReport) {
    }

    @Task(retries = 1, retryDelay = "PT10S")
    public TrainedModel retrainModel(TaskContext context, DriftFound drift) {
        if (!drift.driftReport().isEmpty()) {
            context.log().info("retraining after drift in {} of the columns: {}", drift.driftShare(),
                    drift.driftReport());
        }
        return modelTraining.retrain(context.runId(), context.log());
    }

    @Task
    @Updates("s3://bike-sharing/model.json")
    public S3Key publishModel(TrainedModel model) {
        return modelTraining.publish(model);
    }
}
