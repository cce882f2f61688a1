package io.dagctl.dags.cancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dagctl.FailWithoutRetryException;
import io.dagctl.dags.cancer.CancerData.Sample;
import io.dagctl.hooks.kafka.KafkaMessage;
import io.dagctl.hooks.kafka.KafkaRecord;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CancerDataTest {
    private static KafkaRecord record(String key, byte[] value) {
        return new KafkaRecord("cancer-train", 0, 17, Instant.EPOCH,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8), value, Map.of());
    }

    private static KafkaRecord record(String key, String value) {
        return record(key, value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheClassFromTheKeyAndTheNineScoresFromTheValue() {
        Sample sample = CancerData.parse(record("1", "5,4,4,5,7,10,3,2,1"));

        assertThat(sample.label()).isEqualTo(1);
        assertThat(sample.features()).containsExactly(5, 4, 4, 5, 7, 10, 3, 2, 1);
    }

    @Test
    void failsWithoutRetryNamingTopicPartitionAndOffsetOnAWrongFieldCount() {
        assertThatThrownBy(() -> CancerData.parse(record("0", "5,4,4,5,7,10,3,2")))
                .isInstanceOf(FailWithoutRetryException.class)
                .hasMessage("malformed message at cancer-train partition 0 offset 17: its value '5,4,4,5,7,10,3,2'"
                        + " has 8 fields, not 9");
    }

    @Test
    void failsOnANonNumericOrOutOfRangeScore() {
        assertThatThrownBy(() -> CancerData.parse(record("0", "5,4,4,5,7,?,3,2,1")))
                .isInstanceOf(FailWithoutRetryException.class)
                .hasMessage("malformed message at cancer-train partition 0 offset 17: field 6 of its value"
                        + " '5,4,4,5,7,?,3,2,1' is not a whole number");
        assertThatThrownBy(() -> CancerData.parse(record("0", "5,4,4,5,7,11,3,2,1")))
                .hasMessage("malformed message at cancer-train partition 0 offset 17: field 6 of its value"
                        + " '5,4,4,5,7,11,3,2,1' is 11, outside the scores 1 to 10");
    }

    @Test
    void failsOnAnEmptyValueABinaryValueAndAKeyThatIsNoClass() {
        assertThatThrownBy(() -> CancerData.parse(record("1", "")))
                .hasMessage("malformed message at cancer-train partition 0 offset 17: its value is empty, not 9"
                        + " comma-separated scores");
        assertThatThrownBy(() -> CancerData.parse(record("1", new byte[] {(byte) 0xc3, 0x28, 0, 1})))
                .hasMessage("malformed message at cancer-train partition 0 offset 17: its value is binary (4 bytes),"
                        + " not UTF-8 text");
        assertThatThrownBy(() -> CancerData.parse(record("4", "5,4,4,5,7,10,3,2,1")))
                .hasMessage("malformed message at cancer-train partition 0 offset 17: its key is '4', not the class"
                        + " 0 or 1");
        assertThatThrownBy(() -> CancerData.parse(record(null, "5,4,4,5,7,10,3,2,1")))
                .hasMessage("malformed message at cancer-train partition 0 offset 17: it has no key");
    }

    @Test
    void quotesAtMostALineOfALongValueWithControlCharactersEscaped() {
        String value = "1\t" + "2,".repeat(100);
        assertThatThrownBy(() -> CancerData.parse(record("0", value)))
                .hasMessageStartingWith("malformed message at cancer-train partition 0 offset 17: its value '1\\u00092,")
                .hasMessageContaining("...' has 101 fields");
    }

    @Test
    void dropsTheSixteenIncompleteRowsAndSplitsTheRestSixtyFortyWithinEachClass() throws Exception {
        CancerData.Split split;
        try (InputStream csv = CancerData.class.getResourceAsStream(CancerData.RESOURCE)) {
            split = CancerData.split(csv, 42, 0.6);
        }

        assertThat(split.droppedIncomplete()).isEqualTo(16);
        // 444 benign and 239 malignant complete rows: 266 + 143 for training, 178 + 96 for testing.
        assertThat(split.train()).hasSize(409);
        assertThat(split.test()).hasSize(274);
        assertThat(split.train().stream().filter(m -> m.key().equals("1")).count()).isEqualTo(143);
        assertThat(split.test().stream().filter(m -> m.key().equals("1")).count()).isEqualTo(96);
        assertThat(split.train()).extracting(KafkaMessage::headers).allSatisfy(h -> assertThat(h).isEmpty());
    }

    @Test
    void theSameSeedGivesTheSameStreamsAndAnotherSeedOthers() throws Exception {
        assertThat(split(42).train()).extracting(m -> new String(m.value(), StandardCharsets.UTF_8))
                .isEqualTo(split(42).train().stream().map(m -> new String(m.value(), StandardCharsets.UTF_8)).toList())
                .isNotEqualTo(split(7).train().stream().map(m -> new String(m.value(), StandardCharsets.UTF_8)).toList());
    }

    private static CancerData.Split split(long seed) throws Exception {
        try (InputStream csv = CancerData.class.getResourceAsStream(CancerData.RESOURCE)) {
            return CancerData.split(csv, seed, 0.6);
        }
    }
}
