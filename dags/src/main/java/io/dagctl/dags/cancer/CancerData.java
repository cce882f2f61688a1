package io.dagctl.dags.cancer;

import io.dagctl.FailWithoutRetryException;
import io.dagctl.hooks.kafka.KafkaMessage;
import io.dagctl.hooks.kafka.KafkaRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The UCI Breast Cancer Wisconsin (Original) data as the streaming DAGs use it: rows read from the bundled CSV
 * (see {@code cancer/README.md} for its citation), split into a training and a test stream, and messages of those
 * streams read back. A message is one sample: the key is the class (0 benign, 1 malignant), the value the nine
 * feature scores as a CSV line, as in the original walkthrough.
 */
public final class CancerData {
    /** The nine cytological features, each scored 1 to 10. */
    public static final int FEATURES = 9;
    public static final String RESOURCE = "/cancer/breast-cancer-wisconsin.csv";

    private static final int MIN_SCORE = 1;
    private static final int MAX_SCORE = 10;
    private static final int SHOWN_CHARACTERS = 60;

    private CancerData() {
    }

    /** A sample: its class and its nine scores. */
    public record Sample(int label, double[] features) {
    }

    /** The two streams: messages in the order they are produced. */
    public record Split(List<KafkaMessage> train, List<KafkaMessage> test, int droppedIncomplete) {
    }

    /**
     * Reads the CSV, drops the rows with a missing value ({@code ?}) and splits the rest with {@code seed}, stratified
     * as scikit-learn's {@code train_test_split(stratify=y)} is: each class is shuffled and its first
     * {@code trainShare} (rounded) goes to training, so both streams keep the data's share of malignant samples;
     * each stream is then shuffled, so classes arrive mixed.
     */
    public static Split split(InputStream csv, long seed, double trainShare) {
        Map<String, List<KafkaMessage>> byClass = new TreeMap<>();
        int dropped = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(csv, StandardCharsets.UTF_8))) {
            String header = reader.readLine();
            if (header == null || !header.startsWith("id,")) {
                throw new IllegalArgumentException("the cancer CSV has no header line starting with 'id,'");
            }
            String line;
            int lineNumber = 1;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                String[] fields = line.split(",", -1);
                if (fields.length != FEATURES + 2) {
                    throw new IllegalArgumentException("line " + lineNumber + " of the cancer CSV has " + fields.length
                            + " fields, not " + (FEATURES + 2));
                }
                if (line.contains("?")) {
                    dropped++;
                    continue;
                }
                String label = switch (fields[FEATURES + 1]) {
                    case "2" -> "0";
                    case "4" -> "1";
                    default -> throw new IllegalArgumentException("line " + lineNumber + " of the cancer CSV has class '"
                            + fields[FEATURES + 1] + "', not 2 (benign) or 4 (malignant)");
                };
                byClass.computeIfAbsent(label, l -> new ArrayList<>()).add(
                        KafkaMessage.of(label, String.join(",", List.of(fields).subList(1, FEATURES + 1))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the cancer CSV cannot be read: " + e.getMessage(), e);
        }
        Random random = new Random(seed);
        List<KafkaMessage> train = new ArrayList<>();
        List<KafkaMessage> test = new ArrayList<>();
        for (List<KafkaMessage> samples : byClass.values()) {
            Collections.shuffle(samples, random);
            int cut = (int) Math.round(samples.size() * trainShare);
            train.addAll(samples.subList(0, cut));
            test.addAll(samples.subList(cut, samples.size()));
        }
        Collections.shuffle(train, random);
        Collections.shuffle(test, random);
        return new Split(List.copyOf(train), List.copyOf(test), dropped);
    }

    /**
     * The sample a message holds.
     *
     * @throws FailWithoutRetryException naming the record's topic, partition and offset, when the key is not 0 or 1
     *     or the value is not nine comma-separated scores from 1 to 10: no retry reads anything else there
     */
    public static Sample parse(KafkaRecord record) {
        String value = decode(record, record.value(), "value");
        String key = decode(record, record.key(), "key");
        if (!"0".equals(key) && !"1".equals(key)) {
            throw malformed(record, "its key is " + shown(key) + ", not the class 0 or 1");
        }
        if (value.isEmpty()) {
            throw malformed(record, "its value is empty, not " + FEATURES + " comma-separated scores");
        }
        String[] fields = value.split(",", -1);
        if (fields.length != FEATURES) {
            throw malformed(record, "its value " + shown(value) + " has " + fields.length + " fields, not " + FEATURES);
        }
        double[] features = new double[FEATURES];
        for (int i = 0; i < FEATURES; i++) {
            int score;
            try {
                score = Integer.parseInt(fields[i].strip());
            } catch (NumberFormatException e) {
                throw malformed(record, "field " + (i + 1) + " of its value " + shown(value) + " is not a whole number");
            }
            if (score < MIN_SCORE || score > MAX_SCORE) {
                throw malformed(record, "field " + (i + 1) + " of its value " + shown(value) + " is " + score
                        + ", outside the scores 1 to 10");
            }
            features[i] = score;
        }
        return new Sample(Integer.parseInt(key), features);
    }

    private static String decode(KafkaRecord record, byte[] bytes, String part) {
        if (bytes == null) {
            throw malformed(record, "it has no " + part);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw malformed(record, "its " + part + " is binary (" + bytes.length + " bytes), not UTF-8 text");
        }
    }

    /** At most a line's worth of the text, quoted, control characters escaped: never a dump of a large message. */
    private static String shown(String text) {
        String cut = text.length() > SHOWN_CHARACTERS ? text.substring(0, SHOWN_CHARACTERS) + "..." : text;
        StringBuilder shown = new StringBuilder("'");
        cut.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                shown.append(String.format("\\u%04x", c));
            } else {
                shown.appendCodePoint(c);
            }
        });
        return shown.append("'").toString();
    }

    private static FailWithoutRetryException malformed(KafkaRecord record, String problem) {
        return new FailWithoutRetryException("malformed message at " + record.topic() + " partition "
                + record.partition() + " offset " + record.offset() + ": " + problem);
    }
}
