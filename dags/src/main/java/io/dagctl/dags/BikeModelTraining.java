package io.dagctl.dags;

import io.dagctl.dags.TrainModel.TrainedModel;
import io.dagctl.hooks.postgres.PostgresHook;
import io.dagctl.hooks.s3.S3Hook;
import io.dagctl.hooks.s3.S3Key;
import io.dagctl.training.RidgeGridSearch;
import io.dagctl.training.RidgeModel;
import io.dagctl.training.TrainingData;
import io.dagctl.training.TrainingHook;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;

/**
 * Retrains the ridge model that predicts rentals on all of {@code current} and publishes it as
 * {@code s3://bike-sharing/model.json}: the last steps of the original pipeline, shared by {@code detect_data_drift}
 * and {@code train_model}.
 */
final class BikeModelTraining {
    static final String MODEL_BUCKET = "bike-sharing";
    static final S3Key PUBLISHED_MODEL = new S3Key(MODEL_BUCKET, "model.json");
    private static final String COLUMN_LIST = String.join(", ", BikeRides.COLUMNS);
    /** Ridge needs every feature and the target: days with a missing one are left out, as dropna() would. */
    private static final String COMPLETE_DAYS = String.join(" IS NOT NULL AND ", TrainingData.BIKE_FEATURES)
            + " IS NOT NULL AND " + TrainingData.BIKE_TARGET_COLUMN + " IS NOT NULL";

    private final PostgresHook bikes;
    private final S3Hook s3;
    private final TrainingHook training;

    BikeModelTraining(PostgresHook bikes, S3Hook s3, TrainingHook training) {
        this.bikes = bikes;
        this.s3 = s3;
        this.training = training;
    }

    /** Trains on every complete row of {@code current} and stores the model under {@code models/<run id>/}. */
    TrainedModel retrain(String runId, Logger log) {
        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        bikes.copyOut("SELECT " + COLUMN_LIST + " FROM current WHERE " + COMPLETE_DAYS + " ORDER BY dteday", csv);
        TrainingData data = TrainingData.fromBikeCsv(new InputStreamReader(
                new ByteArrayInputStream(csv.toByteArray()), StandardCharsets.UTF_8));
        RidgeModel model = training.trainRidge(data, RidgeGridSearch.defaults());
        S3Key artifact = new S3Key(MODEL_BUCKET, "models/" + runId + "/model.json");
        s3.createBucketIfMissing(MODEL_BUCKET);
        s3.upload(artifact, model::writeTo);
        log.info("ridge model with alpha {} (test RMSLE {}) trained on {} rows: {}", model.alpha(),
                model.testRmsle(), model.trainingRows(), artifact);
        return new TrainedModel(artifact, model.alpha(), model.testRmsle(), model.trainingRows());
    }

    /** Makes a trained model the current one. */
    S3Key publish(TrainedModel model) {
        s3.upload(PUBLISHED_MODEL, out -> {
            try (InputStream artifact = s3.open(model.artifact())) {
                artifact.transferTo(out);
            }
        });
        return PUBLISHED_MODEL;
    }
}
