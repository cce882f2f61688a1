package io.dagctl.synthetics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dagctl.synthetics.service.LocalSyntheticsService;
import io.dagctl.synthetics.service.internal.BookingFeatures;
import io.dagctl.synthetics.service.internal.ModelJob;
import io.dagctl.synthetics.service.internal.Table;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okio.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticsHookServiceTest {
    private static final String API_KEY = "local-service-key-7781";

    @TempDir
    static Path workDir;
    private static LocalSyntheticsService service;
    private static SyntheticsHook hook;
    private static Table training;
    private static byte[] trainingCsv;

    @BeforeAll
    static void startService() {
        service = LocalSyntheticsService.start(0, workDir.resolve("service"), Optional.of(API_KEY));
        hook = new SyntheticsHook(SyntheticsSettings.of(service.baseUri(), Optional.of(API_KEY))
                .withPolling(Duration.ofMillis(50), Duration.ofMillis(200)));
        training = BookingFeatures.generate(1000, 5);
        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        training.writeCsv(csv);
        trainingCsv = csv.toByteArray();
    }

    @AfterAll
    static void stopService() {
        service.close();
    }

    @Test
    void trainsOnAnUploadedFileAndServesTheSyntheticDataAndItsReports() throws IOException {
        Path file = workDir.resolve("features.csv");
        Files.write(file, trainingCsv);

        SyntheticModel created = hook.createModel(ModelConfig.defaults().withSeed(9).withNumRecords(600),
                DataSource.file(file));
        assertThat(created.status()).isEqualTo(ModelStatus.CREATED);
        SyntheticModel done = hook.awaitCompletion(created.id(), Duration.ofSeconds(60));

        assertThat(done.status()).isEqualTo(ModelStatus.COMPLETED);
        assertThat(done.qualityScore()).isPresent();
        Table synthetic;
        try (InputStream in = hook.open(hook.artifactLink(done.id(), "data_preview"))) {
            synthetic = Table.readCsv(in);
        }
        assertThat(synthetic.columns()).isEqualTo(BookingFeatures.COLUMNS);
        assertThat(synthetic.rows()).hasSize(600);
        Set<String> trainingIds = new HashSet<>(List.of(training.column(0)));
        assertThat(synthetic.column(0)).doesNotContainAnyElementsOf(trainingIds);

        JsonNode report;
        try (InputStream in = hook.open(hook.artifactLink(done.id(), "report_json"))) {
            report = new ObjectMapper().readTree(in);
        }
        assertThat(report.path("syntheticQualityScore").path("score").asInt()).isEqualTo(done.qualityScore().getAsInt())
                .isGreaterThanOrEqualTo(80);
        assertThat(report.path("privacy").path("exactMatches").asLong()).isZero();
        assertThat(report.path("fields")).hasSize(10);

        try (InputStream in = hook.open(hook.artifactLink(done.id(), "report"))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .startsWith("<!DOCTYPE html>").contains("Synthetic Quality Score", "<svg");
        }
    }

    @Test
    void givesTheSameRecordsAndReportForTheSameSeedAndData() throws IOException {
        Path file = workDir.resolve("same-seed.csv");
        Files.write(file, trainingCsv);

        List<byte[]> first = artifacts(hook.awaitCompletion(hook.createModel(ModelConfig.defaults().withSeed(42),
                DataSource.file(file)).id(), Duration.ofSeconds(60)));
        List<byte[]> second = artifacts(hook.awaitCompletion(hook.createModel(ModelConfig.defaults().withSeed(42),
                DataSource.file(file)).id(), Duration.ofSeconds(60)));
        List<byte[]> otherSeed = artifacts(hook.awaitCompletion(hook.createModel(ModelConfig.defaults().withSeed(43),
                DataSource.file(file)).id(), Duration.ofSeconds(60)));

        assertThat(second.get(0)).isEqualTo(first.get(0));
        assertThat(second.get(1)).isEqualTo(first.get(1));
        assertThat(otherSeed.get(0)).isNotEqualTo(first.get(0));
    }

    /** The generated records and the JSON report of a completed model. */
    private static List<byte[]> artifacts(SyntheticModel model) throws IOException {
        try (InputStream data = hook.open(hook.artifactLink(model.id(), "data_preview"));
             InputStream report = hook.open(hook.artifactLink(model.id(), "report_json"))) {
            return List.of(data.readAllBytes(), report.readAllBytes());
        }
    }

    @Test
    void fetchesTheTrainingDataFromAUrlAsFromAPresignedLink() throws Exception {
        try (MockWebServer bucket = new MockWebServer()) {
            bucket.enqueue(new MockResponse().setBody(new Buffer().write(trainingCsv)));
            bucket.start();
            URI presigned = bucket.url("/features.csv?X-Amz-Signature=0123abcd").uri();

            SyntheticModel created = hook.createModel(ModelConfig.defaults().withSeed(1), DataSource.url(presigned));
            SyntheticModel done = hook.awaitCompletion(created.id(), Duration.ofSeconds(60));

            assertThat(bucket.takeRequest().getPath()).isEqualTo("/features.csv?X-Amz-Signature=0123abcd");
            try (InputStream in = hook.open(hook.artifactLink(done.id(), "data_preview"))) {
                assertThat(Table.readCsv(in).rows()).hasSize(training.size());
            }
        }
    }

    @Test
    void uploadsAStreamOnce() {
        SyntheticModel created = hook.createModel(ModelConfig.defaults().withNumRecords(50),
                DataSource.stream("stream.csv", new ByteArrayInputStream(trainingCsv)));

        assertThat(hook.awaitCompletion(created.id(), Duration.ofSeconds(60)).status())
                .isEqualTo(ModelStatus.COMPLETED);
    }

    @Test
    void reportsAModelWhoseDataIsNotATableAsFailedNamingIt() {
        SyntheticModel created = hook.createModel(ModelConfig.defaults(), DataSource.stream("bad.csv",
                new ByteArrayInputStream("a,b\n1,2\n3\n".getBytes(StandardCharsets.UTF_8))));

        assertThatThrownBy(() -> hook.awaitCompletion(created.id(), Duration.ofSeconds(30)))
                .isInstanceOf(SyntheticsException.class)
                .hasMessage("synthetic model " + created.id() + " ended in status error: CSV line 3 has 1 fields,"
                        + " the header has 2");
    }

    @Test
    void refusesCallsWithoutTheApiKeyButServesArtifactLinksWithoutIt() {
        SyntheticsHook anonymous = new SyntheticsHook(SyntheticsSettings.of(service.baseUri(), Optional.empty()));

        assertThatThrownBy(() -> anonymous.model("nope")).isInstanceOf(SyntheticsException.class)
                .hasMessage("synthetics service: get model nope (GET /projects/dagctl/models/nope) failed: HTTP 401:"
                        + " missing or invalid API key in the Authorization header");
    }

    @Test
    void saysWhenArtifactsAreAskedForBeforeTheModelCompletes() {
        SyntheticModel created = hook.createModel(ModelConfig.defaults(), DataSource.stream("slow.csv",
                new ByteArrayInputStream(trainingCsv)));
        hook.cancel(created.id());

        assertThatThrownBy(() -> hook.artifactLink(created.id(), "data_preview"))
                .isInstanceOf(SyntheticsException.class)
                .hasMessage("synthetics service: get the data_preview link of model " + created.id() + " (GET /projects"
                        + "/dagctl/models/" + created.id() + "/artifact) failed: HTTP 409: model " + created.id()
                        + " is cancelled: artifacts exist once it is completed");
        assertThatThrownBy(() -> hook.awaitCompletion(created.id(), Duration.ofSeconds(5)))
                .hasMessage("synthetic model " + created.id() + " ended in status cancelled: cancelled by a DELETE"
                        + " request");
    }

    @Test
    void marksAModelThatWasTrainingWhenTheServiceStoppedAsLost() {
        Path dir = workDir.resolve("restart");
        ObjectMapper json = new ObjectMapper();
        ModelJob interrupted = ModelJob.create(dir.resolve("models").resolve("m42"), json, "m42", "dagctl",
                "0".repeat(64), json.createObjectNode());
        interrupted.transition("active", null);

        try (LocalSyntheticsService restarted = LocalSyntheticsService.start(0, dir, Optional.empty())) {
            SyntheticsHook client = new SyntheticsHook(SyntheticsSettings.of(restarted.baseUri(), Optional.empty()));
            SyntheticModel model = client.model("m42");
            assertThat(model.status()).isEqualTo(ModelStatus.LOST);
            assertThat(model.error()).hasValue("the service stopped while the model was active");
        }
    }
}
