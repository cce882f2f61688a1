package io.dagctl.dags;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import io.dagctl.Dag;
import io.dagctl.From;
import io.dagctl.KafkaBatch;
import io.dagctl.OnKafkaRecords;
import io.dagctl.Task;
import io.dagctl.TaskContext;
import io.dagctl.dags.cancer.CancerData;
import io.dagctl.dags.cancer.CancerData.Sample;
import io.dagctl.dags.cancer.OnlineLogisticRegression;
import io.dagctl.dags.cancer.OnlineLogisticRegression.Checkpoint;
import io.dagctl.dags.cancer.OnlineLogisticRegression.Scores;
import io.dagctl.hooks.kafka.KafkaHook;
import io.dagctl.hooks.kafka.KafkaRecord;
import io.dagctl.hooks.kafka.PartitionOffsets;
import io.dagctl.hooks.s3.S3Hook;
import io.dagctl.hooks.s3.S3Key;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Trains the cancer classifier online, one run per micro-batch of {@code cancer-train}: each run restores the latest
 * checkpoint from S3, trains {@value #EPOCHS} epochs on its batch, saves a checkpoint of its own, moves the
 * {@code latest} pointer to it, and scores the model on the whole {@code cancer-test} topic. Batches run one at a
 * time in offset order, so the model sees the stream as it came; a failed batch holds the later ones back.
 */
@Dag(id = "cancer_online_training", params = CancerOnlineTraining.Batch.class, maxActiveRuns = 1,
        tags = {"streaming", "cancer"},
        description = "Trains the cancer classifier batch by batch on cancer-train and scores it on cancer-test")
@OnKafkaRecords(topic = CancerStreamProduce.TRAIN_TOPIC, maxRecords = 64, maxWait = "PT5S")
public final class CancerOnlineTraining {
    static final int EPOCHS = 3;
    static final String CHECKPOINTS = "cancer-online/checkpoints/";
    static final String LATEST = "cancer-online/latest";

    private final KafkaHook kafka;
    private final S3Hook s3;
    // Made with the DAG object, when a task runs, not with the class, which every dagctl command loads to list it.
    private final ObjectMapper json = new ObjectMapper().registerModule(new Jdk8Module());

    @Inject
    public CancerOnlineTraining(KafkaHook kafka, S3Hook s3) {
        this.kafka = kafka;
        this.s3 = s3;
    }

    /** The micro-batch of the run, as the scheduler gives it. */
    public record Batch(String topic, String offsets) {
    }

    /** A checkpoint as stored: the model, and the checkpoint it was trained from (empty for the first). */
    public record StoredCheckpoint(Checkpoint model, Optional<String> parent, String batch) {
    }

    /** What a batch's training gave, the run's XCom. */
    public record BatchMetrics(double accuracy, double precision, double recall, double logLoss, long trainedSamples,
            int testSamples, S3Key checkpoint) {
    }

    @Task(retries = 3, retryDelay = "PT5S")
    public S3Key train(TaskContext context, Batch batch) {
        KafkaBatch records = KafkaBatch.parse(batch.topic(), batch.offsets());
        List<Sample> samples = kafka.read(records).stream().map(CancerData::parse).toList();
        S3Key own = s3.key(CHECKPOINTS + context.runId() + ".json");
        Optional<String> parent = startingPoint(own);
        OnlineLogisticRegression model = parent.map(key -> OnlineLogisticRegression.restore(read(key).model()))
                .orElseGet(OnlineLogisticRegression::untrained);
        model.train(samples, EPOCHS);
        byte[] checkpoint = json(new StoredCheckpoint(model.checkpoint(), parent, records.offsets()));
        // The pointer moves only once the checkpoint it names is complete: a reader never finds half a model.
        s3.upload(own, out -> out.write(checkpoint));
        s3.upload(s3.key(LATEST), out -> out.write(own.key().getBytes(StandardCharsets.UTF_8)));
        context.log().info("trained {} epochs on {} samples of {} at {} (from {}); {} samples in all: {}", EPOCHS,
                samples.size(), records.topic(), records.offsets(), parent.orElse("scratch"), model.trainedSamples(),
                own);
        return own;
    }

    @Task(retries = 3, retryDelay = "PT5S")
    public BatchMetrics evaluate(TaskContext context, @From("train") S3Key checkpoint) {
        OnlineLogisticRegression model = OnlineLogisticRegression.restore(read(checkpoint.key()).model());
        Scores scores = model.score(testSamples());
        context.log().info("on {} test samples: accuracy {}, precision {}, recall {}, log loss {}", scores.samples(),
                scores.accuracy(), scores.precision(), scores.recall(), scores.logLoss());
        return new BatchMetrics(scores.accuracy(), scores.precision(), scores.recall(), scores.logLoss(),
                model.trainedSamples(), scores.samples(), checkpoint);
    }

    /** Every sample of the test topic, as it is now. */
    List<Sample> testSamples() {
        List<Sample> samples = new ArrayList<>();
        for (PartitionOffsets partition : kafka.partitions(CancerStreamProduce.TEST_TOPIC)) {
            if (partition.records() > 0) {
                for (KafkaRecord record : kafka.read(partition.topic(), partition.partition(), partition.beginning(),
                        partition.end() - 1)) {
                    samples.add(CancerData.parse(record));
                }
            }
        }
        return samples;
    }

    /**
     * The checkpoint this run trains from: the latest, unless the latest is this run's own (a retry after the
     * pointer moved), whose parent it then is, so that a batch is never learned twice.
     */
    private Optional<String> startingPoint(S3Key own) {
        S3Key latest = s3.key(LATEST);
        if (!s3.exists(latest)) {
            return Optional.empty();
        }
        String key;
        try (InputStream in = s3.open(latest)) {
            key = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + latest + ": " + e.getMessage(), e);
        }
        return key.equals(own.key()) ? read(key).parent() : Optional.of(key);
    }

    private StoredCheckpoint read(String key) {
        try (InputStream in = s3.open(s3.key(key))) {
            return json.readValue(in, StoredCheckpoint.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + key + ": " + e.getMessage(), e);
        }
    }

    private byte[] json(StoredCheckpoint checkpoint) {
        try {
            return json.writeValueAsBytes(checkpoint);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
