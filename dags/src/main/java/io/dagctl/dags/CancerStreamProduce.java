package io.dagctl.dags;

import io.dagctl.Dag;
import io.dagctl.FailWithoutRetryException;
import io.dagctl.Param;
import io.dagctl.Task;
import io.dagctl.TaskContext;
import io.dagctl.dags.cancer.CancerData;
import io.dagctl.hooks.kafka.KafkaHook;
import io.dagctl.hooks.kafka.KafkaMessage;
import io.dagctl.hooks.kafka.PartitionOffsets;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Produces the Breast Cancer Wisconsin data to Kafka as the classic online-training walkthrough does: 60% of the
 * samples to {@code cancer-train}, 40% to {@code cancer-test}, one message per sample with the class (0 benign,
 * 1 malignant) as the key and the nine scores as a CSV line. The 16 rows with a missing score are dropped, not
 * imputed: they are 2% of the data, and an imputed score would be a value no pathologist gave. The split is
 * stratified by class and shuffled with the {@code seed} param, so the same seed produces the same two streams.
 */
@Dag(id = "cancer_stream_produce", params = CancerStreamProduce.SplitParams.class, tags = {"streaming", "cancer"},
        description = "Produces the Breast Cancer Wisconsin samples to the cancer-train and cancer-test topics")
public final class CancerStreamProduce {
    public static final String TRAIN_TOPIC = "cancer-train";
    public static final String TEST_TOPIC = "cancer-test";
    static final double TRAIN_SHARE = 0.6;

    private final KafkaHook kafka;

    @Inject
    public CancerStreamProduce(KafkaHook kafka) {
        this.kafka = kafka;
    }

    public record SplitParams(
            @Param(defaultValue = "42", description = "Seed of the shuffle before the 60/40 split") long seed) {
    }

    /** How many messages each topic holds after the run. */
    public record Produced(int train, int test, int droppedIncomplete) {
    }

    @Task(retries = 2, retryDelay = "PT10S")
    public Produced produceTopics(TaskContext context, SplitParams params) {
        CancerData.Split split;
        try (InputStream csv = CancerStreamProduce.class.getResourceAsStream(CancerData.RESOURCE)) {
            split = CancerData.split(csv, params.seed(), TRAIN_SHARE);
        } catch (IOException e) {
            throw new UncheckedIOException("the bundled cancer CSV cannot be read: " + e.getMessage(), e);
        }
        context.log().info("{} complete samples ({} dropped for a missing score): {} to {}, {} to {}",
                split.train().size() + split.test().size(), split.droppedIncomplete(), split.train().size(),
                TRAIN_TOPIC, split.test().size(), TEST_TOPIC);
        produceOnce(context, TRAIN_TOPIC, split.train());
        produceOnce(context, TEST_TOPIC, split.test());
        return new Produced(split.train().size(), split.test().size(), split.droppedIncomplete());
    }

    /**
     * Produces the messages to an empty topic (one partition, so that the stream keeps its order), or nothing when
     * it holds them already: a second run, or a retry after the broker took them, must not duplicate the stream.
     */
    private void produceOnce(TaskContext context, String topic, List<KafkaMessage> messages) {
        kafka.createTopic(topic, 1);
        long held = kafka.partitions(topic).stream().mapToLong(PartitionOffsets::end).sum();
        if (held == messages.size()) {
            context.log().info("{} holds its {} messages already: nothing produced", topic, held);
            return;
        }
        if (held != 0) {
            throw new FailWithoutRetryException("topic " + topic + " holds " + held + " messages, not 0 or the "
                    + messages.size() + " of this split: delete the topic (or use a fresh broker) and run again");
        }
        kafka.produce(topic, messages);
        context.log().info("produced {} messages to {}", messages.size(), topic);
    }
}
