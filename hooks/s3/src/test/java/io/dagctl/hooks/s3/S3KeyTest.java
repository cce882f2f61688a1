package io.dagctl.hooks.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class S3KeyTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void printsAndParsesAsAnS3Uri() {
        S3Key key = S3Key.parse("s3://rides/2011/03/day.csv");

        assertThat(key).isEqualTo(new S3Key("rides", "2011/03/day.csv"));
        assertThat(key.toString()).isEqualTo("s3://rides/2011/03/day.csv");
    }

    @Test
    void travelsThroughJsonAsItsUri() throws Exception {
        S3Key key = new S3Key("rides", "day.csv");

        assertThat(json.writeValueAsString(key)).isEqualTo("\"s3://rides/day.csv\"");
        assertThat(json.readValue("\"s3://rides/day.csv\"", S3Key.class)).isEqualTo(key);
        List<S3Key> keys = json.readValue("[\"s3://a/b\"]", new TypeReference<List<S3Key>>() {});
        assertThat(keys).containsExactly(new S3Key("a", "b"));
    }

    @Test
    void isReadFromJsonWrittenAsARecord() throws Exception {
        assertThat(json.readValue("{\"bucket\":\"rides\",\"key\":\"day.csv\"}", S3Key.class))
                .isEqualTo(new S3Key("rides", "day.csv"));
    }

    @Test
    void rejectsWhatIsNotAnObjectUri() {
        for (String bad : List.of("rides/day.csv", "s3://rides", "s3://rides/", "s3:///day.csv")) {
            assertThatThrownBy(() -> S3Key.parse(bad))
                    .hasMessage("'" + bad + "' is not an S3 object URI: expected s3://bucket/key");
        }
        assertThatThrownBy(() -> new S3Key("rides", "")).hasMessage("S3 key: no object key given for bucket 'rides'");
    }
}
