package io.dagctl.synthetics.service.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Trains one model: fetches its data, fits the synthesizer, generates records and writes the artifacts. */
public final class ModelWorker {
    private static final Logger LOG = LoggerFactory.getLogger(ModelWorker.class);

    private final OkHttpClient http = new OkHttpClient.Builder().readTimeout(5, TimeUnit.MINUTES).build();
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final Map<String, Path> uploads;

    /** @param uploads uploaded data files by artifact key */
    public ModelWorker(Map<String, Path> uploads) {
        this.uploads = uploads;
    }

    public void run(ModelJob job) {
        if (!job.transition("active", null)) {
            return;
        }
        LOG.info("model {} active", job.id());
        try {
            JsonNode settings = settings(job.config());
            Path training = fetch(job, settings.path("data_source").asText());
            Table table;
            try (InputStream in = Files.newInputStream(training)) {
                table = Table.readCsv(in);
            }
            long seed = settings.path("params").path("seed").asLong(System.nanoTime());
            int records = settings.path("generate").path("num_records").asInt(table.size());
            if (records <= 0) {
                throw new IllegalArgumentException("generate.num_records must be positive, was " + records);
            }
            long started = System.nanoTime();
            CopulaSynthesizer model = CopulaSynthesizer.train(table, seed);
            Table synthetic = model.generate(records, seed + 1);
            long generated = System.nanoTime();
            QualityReport report = QualityEvaluator.evaluate(table, synthetic, model.profiles(), model.constraints());
            writeAtomically(job.artifact("data_preview"), synthetic::writeCsv);
            writeAtomically(job.artifact("report_json"), out -> json.writeValue(out, report));
            writeAtomically(job.artifact("report"), out -> out.write(
                    ReportHtml.render("Synthetic data quality: " + job.id(), report).getBytes(StandardCharsets.UTF_8)));
            job.recordResult(records, report);
            if (job.transition("completed", null)) {
                LOG.info("model {} completed: {} records from {} in {} ms, SQS {}", job.id(), records, table.size(),
                        (generated - started) / 1_000_000, report.syntheticQualityScore().score());
            }
        } catch (Exception e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            job.transition("error", message);
            LOG.warn("model {} failed: {}", job.id(), message);
        }
    }

    /** The settings of the config's single model, {@code models[0].<type>}. */
    public static JsonNode settings(JsonNode config) {
        JsonNode models = config.path("models");
        if (!models.isArray() || models.size() != 1 || !models.get(0).isObject() || models.get(0).size() != 1) {
            throw new IllegalArgumentException("config needs exactly one model: {\"models\": [{\"<type>\": {...}}]}");
        }
        JsonNode settings = models.get(0).elements().next();
        if (!settings.path("data_source").isTextual() || settings.path("data_source").asText().isBlank()) {
            throw new IllegalArgumentException("config needs models[0].<type>.data_source: a URL or artifact key");
        }
        return settings;
    }

    private Path fetch(ModelJob job, String source) throws IOException {
        Path target = job.directory().resolve("training.csv");
        if (source.startsWith("http://") || source.startsWith("https://")) {
            try (Response response = http.newCall(new Request.Builder().url(source).build()).execute()) {
                if (!response.isSuccessful()) {
                    // The URL may carry a presigned signature: name only its host.
                    throw new IOException("fetching the data source from host " + response.request().url().host()
                            + " failed: HTTP " + response.code());
                }
                try (InputStream body = response.body().byteStream()) {
                    Files.copy(body, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return target;
        }
        Path upload = uploads.get(source);
        if (upload == null) {
            throw new IllegalArgumentException("data source '" + source
                    + "' is neither an http(s) URL nor an uploaded artifact key");
        }
        return upload;
    }

    private interface Writing {
        void to(OutputStream out) throws IOException;
    }

    private static void writeAtomically(Path file, Writing writing) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(temp)) {
            writing.to(out);
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
