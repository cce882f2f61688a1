package io.dagctl.hooks.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.dagctl.ConnectionUri;
import io.dagctl.Connections;
import io.dagctl.Dag;
import io.dagctl.From;
import io.dagctl.RunState;
import io.dagctl.Task;
import io.dagctl.TaskState;
import io.dagctl.embedded.LocalS3;
import io.dagctl.embedded.testing.SharedLocalS3;
import io.dagctl.internal.discovery.DagDiscovery;
import io.dagctl.internal.runtime.DagRuntime;
import io.dagctl.internal.runtime.RunRequest;
import io.dagctl.internal.runtime.RunResult;
import io.dagctl.internal.store.MetadataStore;
import io.dagctl.internal.store.StoreLocation;
import io.dagctl.internal.store.XComEntry;
import io.dagctl.internal.xcom.DatabaseXComBackend;
import io.dagctl.internal.xcom.XComCodec;
import io.dagctl.internal.xcom.XComException;
import io.dagctl.internal.xcom.XComKey;
import io.dagctl.internal.xcom.XComReference;
import io.dagctl.spec.DagSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class S3XComBackendTest {
    private static final String BUCKET = "xcom-test";
    private static final XComKey KEY = new XComKey("sensors", "manual__2024-05-01T00:00:00+00:00", "readings");

    private static LocalS3 server;
    private static Connections connections;
    private static S3Hook s3;

    private final XComCodec codec = new XComCodec();
    private S3XComBackend backend;

    record Reading(String sensor, Instant at, double celsius) {
    }

    @BeforeAll
    static void startServer() {
        server = SharedLocalS3.instance();
        connections = Connections.of(Map.of(
                "s3_xcom", ConnectionUri.parse("s3_xcom", server.connectionUri(BUCKET))));
        s3 = new S3HookFactory().create(connections.get("s3_xcom"));
    }

    @AfterAll
    static void closeHook() {
        s3.close();
    }

    @AfterEach
    void closeBackend() {
        if (backend != null) {
            backend.close();
        }
    }

    private S3XComBackend backend(Map<String, String> environment) {
        backend = S3XComBackend.fromEnvironment(environment, connections).orElseThrow();
        return backend;
    }

    private S3XComBackend backend(String prefix, int threshold) {
        return backend(Map.of(S3XComBackend.PATH_VARIABLE, "s3://s3_xcom@" + BUCKET + "/" + prefix,
                S3XComBackend.THRESHOLD_VARIABLE, String.valueOf(threshold)));
    }

    private static String uniquePrefix() {
        return "xcom-" + UUID.randomUUID();
    }

    private static List<Reading> sampleReadings(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> new Reading("sensor-" + i, Instant.parse("2024-05-01T00:00:00Z").plusSeconds(i), i / 4.0))
                .toList();
    }

    private static String read(S3Key key) throws IOException {
        try (InputStream in = s3.open(key)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void spillsAValueOverTheThresholdToS3AndReadsItBackAsTheSameTypedValue() throws IOException {
        String prefix = uniquePrefix();
        S3XComBackend spilling = backend(prefix, 1024);
        List<Reading> value = sampleReadings(100);
        String json = codec.toJson("readings", value);
        assertThat(json.length()).isGreaterThan(1024);

        String stored = spilling.store(KEY, json);

        S3Key object = S3Key.parse(XComReference.parse(stored).orElseThrow().uri());
        assertThat(stored).isEqualTo("{\"dagctl_xcom_ref\":\"" + object + "\"}");
        assertThat(object.bucket()).isEqualTo(BUCKET);
        assertThat(object.key()).matches(prefix + "/sensors/manual__2024-05-01T00:00:00\\+00:00/readings/"
                + "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.json");
        assertThat(read(object)).isEqualTo(json);
        String loaded = spilling.load(KEY, stored);
        assertThat(codec.fromJson(loaded, new TypeOf<List<Reading>>() { }.type(), "readings")).isEqualTo(value);
    }

    @Test
    void keepsAValueUpToTheThresholdInTheDatabaseAndSpillsTheFirstByteOver() {
        String prefix = uniquePrefix();
        S3XComBackend spilling = backend(prefix, 12);
        String twelveBytes = "\"ten chars!\"";
        String thirteenBytes = "\"ten chårs!\"";

        assertThat(spilling.store(KEY, twelveBytes)).isEqualTo(twelveBytes);
        assertThat(spilling.load(KEY, twelveBytes)).isEqualTo(twelveBytes);
        String stored = spilling.store(KEY, thirteenBytes);
        assertThat(XComReference.parse(stored)).isPresent();
        assertThat(spilling.load(KEY, stored)).isEqualTo(thirteenBytes);
        assertThat(s3.list(BUCKET, prefix)).hasSize(1);
    }

    @Test
    void spillsASmallValueThatLooksLikeAReferenceSoThatItIsReadBackAsItself() {
        S3XComBackend spilling = backend(uniquePrefix(), 1024);
        String lookalike = new XComReference("s3://elsewhere/some.json").stored();

        String stored = spilling.store(KEY, lookalike);

        assertThat(stored).isNotEqualTo(lookalike);
        assertThat(spilling.load(KEY, stored)).isEqualTo(lookalike);
    }

    @Test
    void spillsEveryValueWithAThresholdOfZero() {
        S3XComBackend spilling = backend(uniquePrefix(), 0);

        String stored = spilling.store(KEY, "1");

        assertThat(XComReference.parse(stored)).isPresent();
        assertThat(spilling.load(KEY, stored)).isEqualTo("1");
    }

    @Test
    void takesTheDatabaseLimitAsTheDefaultThreshold() {
        Map<String, String> path = Map.of(S3XComBackend.PATH_VARIABLE, "s3://s3_xcom@" + BUCKET + "/xcom/");

        assertThat(backend(path).thresholdBytes()).isEqualTo(DatabaseXComBackend.DEFAULT_MAX_BYTES);
        assertThat(backend(path).location()).isEqualTo("s3://s3_xcom@" + BUCKET + "/xcom");
        Map<String, String> withLimit = new HashMap<>(path);
        withLimit.put(DatabaseXComBackend.MAX_BYTES_VARIABLE, "2048");
        assertThat(backend(withLimit).thresholdBytes()).isEqualTo(2048);
    }

    @Test
    void putsObjectsAtTheBucketRootWithoutAPrefix() {
        S3XComBackend spilling = backend(Map.of(S3XComBackend.PATH_VARIABLE, "s3://S3_XCOM@" + BUCKET,
                S3XComBackend.THRESHOLD_VARIABLE, "0"));
        XComKey key = new XComKey("rootless-" + UUID.randomUUID(), "run", "task");

        String stored = spilling.store(key, "[1,2,3]");

        assertThat(XComReference.parse(stored).orElseThrow().uri()).startsWith("s3://" + BUCKET + "/" + key.dagId()
                + "/run/task/");
        assertThat(spilling.location()).isEqualTo("s3://s3_xcom@" + BUCKET);
    }

    @Test
    void isNotConfiguredWithoutThePathVariable() {
        assertThat(S3XComBackend.fromEnvironment(Map.of(), connections)).isEmpty();
        assertThat(S3XComBackend.fromEnvironment(Map.of(S3XComBackend.PATH_VARIABLE, " "), connections)).isEmpty();
    }

    @Test
    void rejectsMalformedPathsNamingTheVariableAndTheExpectedForm() {
        String expected = "DAGCTL_XCOM_OBJECTSTORAGE_PATH must be s3://<connection_id>@<bucket>/<prefix>, e.g."
                + " s3://s3_default@dagctl/xcom, not ";
        assertThat(pathError("gs://s3_default@bucket/xcom"))
                .isEqualTo(expected + "'gs://s3_default@bucket/xcom': it does not start with s3://");
        assertThat(pathError("s3://bucket/xcom"))
                .isEqualTo(expected + "'s3://bucket/xcom': it names no connection before '@'");
        assertThat(pathError("s3://s3-default@bucket/xcom"))
                .isEqualTo(expected + "'s3://s3-default@bucket/xcom': 's3-default' is not a connection id"
                        + " (letters, digits and _)");
        assertThat(pathError("s3://s3_default@My_Bucket/xcom"))
                .isEqualTo(expected + "'s3://s3_default@My_Bucket/xcom': 'My_Bucket' is not an S3 bucket name");
        assertThat(pathError("s3://s3_default@bucket/xcom?region=eu-west-1"))
                .isEqualTo(expected + "'s3://s3_default@bucket/xcom?region=eu-west-1': the prefix"
                        + " 'xcom?region=eu-west-1' holds a query or fragment");
    }

    @Test
    void neverRepeatsALoginAndPasswordWrittenInThePath() {
        assertThat(pathError("s3://AKIA123:wJalrXUtnFEMI@bucket/xcom"))
                .isEqualTo("DAGCTL_XCOM_OBJECTSTORAGE_PATH must be s3://<connection_id>@<bucket>/<prefix>, e.g."
                        + " s3://s3_default@dagctl/xcom: it holds a login and password; put them in a"
                        + " DAGCTL_CONN_<ID> connection and name that connection instead")
                .doesNotContain("wJalrXUtnFEMI");
    }

    private static String pathError(String path) {
        Throwable thrown = catchThrowable(() -> S3XComBackend.fromEnvironment(
                Map.of(S3XComBackend.PATH_VARIABLE, path), connections));
        assertThat(thrown).isInstanceOf(IllegalArgumentException.class);
        return thrown.getMessage();
    }

    @Test
    void rejectsAThresholdThatIsNotAByteCountOrIsOverTheDatabaseLimit() {
        String path = "s3://s3_xcom@" + BUCKET + "/xcom";
        assertThatThrownBy(() -> S3XComBackend.fromEnvironment(Map.of(S3XComBackend.PATH_VARIABLE, path,
                S3XComBackend.THRESHOLD_VARIABLE, "1KiB"), connections))
                .hasMessage("DAGCTL_XCOM_OBJECTSTORAGE_THRESHOLD must be a number of bytes (0 or more), not '1KiB'");
        assertThatThrownBy(() -> S3XComBackend.fromEnvironment(Map.of(S3XComBackend.PATH_VARIABLE, path,
                S3XComBackend.THRESHOLD_VARIABLE, "-1"), connections))
                .hasMessage("DAGCTL_XCOM_OBJECTSTORAGE_THRESHOLD must be a number of bytes (0 or more), not '-1'");
        assertThatThrownBy(() -> S3XComBackend.fromEnvironment(Map.of(S3XComBackend.PATH_VARIABLE, path,
                S3XComBackend.THRESHOLD_VARIABLE, "100000"), connections))
                .hasMessage("DAGCTL_XCOM_OBJECTSTORAGE_THRESHOLD is 100,000 bytes, over the metadata database's XCom"
                        + " limit of 49,152 bytes (DAGCTL_XCOM_MAX_BYTES): values in between could be stored"
                        + " nowhere; lower it or raise DAGCTL_XCOM_MAX_BYTES");
        assertThatThrownBy(() -> S3XComBackend.fromEnvironment(Map.of(S3XComBackend.THRESHOLD_VARIABLE, "1024"),
                connections))
                .hasMessage("DAGCTL_XCOM_OBJECTSTORAGE_THRESHOLD is set but DAGCTL_XCOM_OBJECTSTORAGE_PATH is not:"
                        + " set it to s3://<connection_id>@<bucket>/<prefix> to keep large XCom values in S3");
    }

    @Test
    void failsTheStoreNamingTheObjectWhenTheBucketIsMissing() {
        backend = S3XComBackend.fromEnvironment(Map.of(S3XComBackend.PATH_VARIABLE, "s3://s3_xcom@no-such-bucket/x",
                S3XComBackend.THRESHOLD_VARIABLE, "0"), connections).orElseThrow();

        assertThatThrownBy(() -> backend.store(KEY, "[1,2,3]"))
                .isInstanceOf(XComException.class)
                .hasMessageStartingWith("task 'readings' returned 7 bytes of JSON, over the XCom threshold of 0 bytes,"
                        + " and writing them to s3://no-such-bucket/x/sensors/manual__2024-05-01T00:00:00+00:00/"
                        + "readings/")
                .hasMessageEndingWith(".json failed: bucket 'no-such-bucket' does not exist (connection s3_xcom)");
    }

    @Test
    void failsNamingTheVariableWhenItsConnectionIsNotConfigured() {
        backend = S3XComBackend.fromEnvironment(Map.of(S3XComBackend.PATH_VARIABLE, "s3://s3_lake@" + BUCKET + "/x",
                S3XComBackend.THRESHOLD_VARIABLE, "0"), connections).orElseThrow();

        assertThatThrownBy(() -> backend.store(KEY, "[1,2,3]"))
                .isInstanceOf(XComException.class)
                .hasMessage("the XCom object store s3://s3_lake@xcom-test/x (DAGCTL_XCOM_OBJECTSTORAGE_PATH):"
                        + " connection 's3_lake' is not configured: set DAGCTL_CONN_S3_LAKE to its URI");
    }

    @Test
    void failsTheLoadNamingTheObjectWhenItIsGone() {
        S3XComBackend spilling = backend(uniquePrefix(), 0);
        String stored = spilling.store(KEY, "\"soon gone\"");
        String uri = XComReference.parse(stored).orElseThrow().uri();
        s3.delete(S3Key.parse(uri));

        assertThatThrownBy(() -> spilling.load(KEY, stored))
                .isInstanceOf(XComException.class)
                .hasMessage("the value of task 'readings' in run manual__2024-05-01T00:00:00+00:00 cannot be read from "
                        + uri + ": " + uri + " does not exist (connection s3_xcom)");
    }

    @Test
    void theDatabaseBackendRefusesAReferenceNamingTheVariableToSet() {
        String stored = new XComReference("s3://xcom-test/x/sensors/run/readings/1.json").stored();

        assertThatThrownBy(() -> DatabaseXComBackend.fromEnvironment(Map.of()).load(KEY, stored))
                .isInstanceOf(XComException.class)
                .hasMessage("the value of task 'readings' in run manual__2024-05-01T00:00:00+00:00 is kept in"
                        + " s3://xcom-test/x/sensors/run/readings/1.json, but no object store is configured for"
                        + " XCom: set DAGCTL_XCOM_OBJECTSTORAGE_PATH as when the run stored it");
        assertThat(DatabaseXComBackend.fromEnvironment(Map.of()).load(KEY, "{\"dagctl_xcom_ref\":1}"))
                .isEqualTo("{\"dagctl_xcom_ref\":1}");
    }

    @Dag(id = "sensor_report")
    static class SensorReport {
        @Task
        List<Reading> readings() {
            return sampleReadings(200);
        }

        @Task
        String station() {
            return "north";
        }

        @Task
        String summary(@From("readings") List<Reading> readings, @From("station") String station) {
            return station + ": " + readings.size() + " readings, last " + readings.get(readings.size() - 1).celsius();
        }
    }

    @Test
    void aDagRunPassesASpilledValueDownstreamAndKeepsOnlyItsReferenceInTheDatabase(@TempDir Path home) {
        DagSpec dag = DagDiscovery.load(SensorReport.class);
        S3XComBackend spilling = backend(uniquePrefix(), 1024);
        try (MetadataStore store = MetadataStore.open(StoreLocation.h2InMemory("xcom-" + UUID.randomUUID()));
                DagRuntime runtime = DagRuntime.builder().environment(Map.of()).home(home).store(store)
                        .xcomBackend(spilling).resumeInterruptedOnOpen(false).build()) {
            RunResult run = runtime.run(dag, RunRequest.manual());

            assertThat(run.state()).isEqualTo(RunState.SUCCESS);
            String readingsRow = store.findXCom(dag.id(), run.runId(), "readings", XComEntry.RETURN_VALUE)
                    .orElseThrow().storedValue();
            assertThat(XComReference.parse(readingsRow).orElseThrow().uri())
                    .startsWith("s3://" + BUCKET + "/xcom-").contains("/sensor_report/" + run.runId() + "/readings/");
            assertThat(store.findXCom(dag.id(), run.runId(), "station", XComEntry.RETURN_VALUE)
                    .orElseThrow().storedValue()).isEqualTo("\"north\"");
            assertThat(runtime.xcom(dag.id(), run.runId(), "summary", String.class))
                    .contains("north: 200 readings, last 49.75");
            assertThat(runtime.xcomJson(dag.id(), run.runId(), "readings"))
                    .contains(codec.toJson("readings", sampleReadings(200)));

            // Re-running the last task reads its inputs back from the database rows, through the backend.
            runtime.clear(dag.id(), run.runId(), List.of("summary"), false);
            RunResult rerun = runtime.execute(dag.id(), run.runId());

            assertThat(rerun.taskState("summary")).isEqualTo(TaskState.SUCCESS);
            assertThat(runtime.xcom(dag.id(), run.runId(), "summary", String.class))
                    .contains("north: 200 readings, last 49.75");
        }
    }

    /** A generic type captured by subclassing, for reading JSON back as {@code List<Reading>}. */
    abstract static class TypeOf<T> {
        java.lang.reflect.Type type() {
            return ((java.lang.reflect.ParameterizedType) getClass().getGenericSuperclass())
                    .getActualTypeArguments()[0];
        }
    }
}
