package io.dagctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dagctl.KafkaBatch.OffsetRange;
import java.util.List;
import org.junit.jupiter.api.Test;

class KafkaBatchTest {
    @Test
    void writesItsOffsetsInPartitionOrderAndReadsThemBack() {
        KafkaBatch batch = new KafkaBatch("cancer-train", List.of(new OffsetRange(1, 12, 40), new OffsetRange(0, 0, 63)));

        assertThat(batch.offsets()).isEqualTo("0:0-63,1:12-40");
        assertThat(batch.records()).isEqualTo(93);
        assertThat(KafkaBatch.parse("cancer-train", batch.offsets())).isEqualTo(batch);
    }

    @Test
    void refusesOffsetsThatAreNotRangesQuotingThem() {
        assertThatThrownBy(() -> KafkaBatch.parse("cancer-train", "0:0-63;1:5"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("offsets '0:0-63;1:5' of topic cancer-train are not partition:first-last ranges apart by"
                        + " commas, e.g. 0:0-63,1:12-40");
        assertThatThrownBy(() -> KafkaBatch.parse("cancer-train", "0:9-3"))
                .hasRootCauseMessage("partition 0 offsets 9-3 are not a range: partition and offsets must be at least"
                        + " 0, the first at most the last");
    }
}
