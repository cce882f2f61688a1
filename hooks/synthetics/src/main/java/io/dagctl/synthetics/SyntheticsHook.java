package io.dagctl.synthetics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dagctl.synthetics.internal.ApiKeyInterceptor;
import io.dagctl.synthetics.internal.RetryInterceptor;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSink;
import okio.Okio;
import okio.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client of a synthetic-data service with a Gretel-style API (such as
 * {@link io.dagctl.synthetics.service.LocalSyntheticsService}): creates a model from a CSV, waits for it, and
 * fetches its artifacts — {@code data_preview} (the synthetic CSV), {@code report} (HTML) and {@code report_json}.
 *
 * <pre>{@code
 * SyntheticModel m = synthetics.createModel(ModelConfig.defaults(), DataSource.url(presignedUri));
 * m = synthetics.awaitCompletion(m.id(), Duration.ofMinutes(10));
 * try (InputStream csv = synthetics.open(synthetics.artifactLink(m.id(), "data_preview"))) { ... }
 * }</pre>
 *
 * Every call is retried on connect errors, 5xx and 429; any other failure is a {@link SyntheticsException} naming
 * the call, the HTTP status and the service's message. Thread-safe.
 */
public final class SyntheticsHook {
    private static final Logger LOG = LoggerFactory.getLogger(SyntheticsHook.class);
    private static final MediaType JSON = MediaType.get("application/json");
    private static final MediaType CSV = MediaType.get("text/csv");
    /** A service message longer than this is cut: an HTML error page says nothing useful past it. */
    private static final int MAX_MESSAGE = 500;

    private final SyntheticsSettings settings;
    private final HttpUrl base;
    private final OkHttpClient api;
    private final OkHttpClient links;
    private final ObjectMapper json = new ObjectMapper();

    public SyntheticsHook(SyntheticsSettings settings) {
        this.settings = settings;
        HttpUrl parsed = HttpUrl.get(settings.baseUri());
        this.base = parsed;
        OkHttpClient.Builder common = new OkHttpClient.Builder()
                .connectTimeout(10, TimeUnit.SECONDS).readTimeout(2, TimeUnit.MINUTES)
                .addInterceptor(new RetryInterceptor(settings.maxAttempts(), settings.initialBackoff(),
                        settings.maxBackoff()));
        // Artifact links carry their own token and may point elsewhere (a bucket): they never get the API key.
        this.links = common.build();
        OkHttpClient.Builder withKey = links.newBuilder();
        settings.apiKey().ifPresent(key -> withKey.interceptors().add(0, new ApiKeyInterceptor(key)));
        this.api = withKey.build();
    }

    public SyntheticsSettings settings() {
        return settings;
    }

    /** Uploads the data if the source is a file or stream, and creates a model that trains on it. */
    public SyntheticModel createModel(ModelConfig config, DataSource source) {
        String dataSource;
        if (source instanceof DataSource.Url url) {
            dataSource = url.url().toString();
        } else if (source instanceof DataSource.File file) {
            dataSource = upload(file.path().getFileName().toString(), RequestBody.create(file.path().toFile(), CSV));
        } else {
            DataSource.Stream stream = (DataSource.Stream) source;
            dataSource = upload(stream.filename(), oneShot(stream.data()));
        }
        ObjectNode body = json.createObjectNode();
        body.put("schema_version", "1.0");
        body.put("name", config.name());
        ObjectNode copula = body.putArray("models").addObject().putObject("copula");
        copula.put("data_source", dataSource);
        config.seed().ifPresent(seed -> copula.putObject("params").put("seed", seed));
        if (config.numRecords() > 0) {
            copula.putObject("generate").put("num_records", config.numRecords());
        }
        JsonNode response = send("create a model", post(url("projects", settings.project(), "models"), body));
        SyntheticModel model = model(response);
        LOG.info("created synthetic model {} ({})", model.id(), model.status().wireName());
        return model;
    }

    /** The model as the service reports it now. */
    public SyntheticModel model(String modelId) {
        return model(send("get model " + modelId,
                new Request.Builder().url(url("projects", settings.project(), "models", modelId)).build()));
    }

    /** Cancels a model that has not ended yet. */
    public SyntheticModel cancel(String modelId) {
        return model(send("cancel model " + modelId,
                new Request.Builder().url(url("projects", settings.project(), "models", modelId)).delete().build()));
    }

    /**
     * Polls the model, waiting longer between polls as time passes, until it completes.
     *
     * @throws SyntheticsException naming the model when it ends in error, is cancelled or lost, or is still
     *                             running when the timeout passes
     */
    public SyntheticModel awaitCompletion(String modelId, Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        Duration interval = settings.pollInterval();
        while (true) {
            SyntheticModel model = model(modelId);
            switch (model.status()) {
                case COMPLETED -> {
                    return model;
                }
                case ERROR, CANCELLED, LOST -> throw new SyntheticsException("synthetic model " + modelId + " ended in status "
                        + model.status().wireName() + model.error().map(e -> ": " + e).orElse(""));
                default -> {
                }
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new SyntheticsException(String.format(Locale.ROOT,
                        "synthetic model %s did not complete within %s: still %s after %.1f s", modelId, timeout,
                        model.status().wireName(), (System.nanoTime() - start) / 1e9));
            }
            sleep(Math.min(interval.toNanos(), remaining));
            interval = min(settings.maxPollInterval(), interval.plus(interval.dividedBy(2)));
        }
    }

    /**
     * A link to one of a completed model's artifacts: {@code data_preview}, {@code report} or {@code report_json}.
     * The link works without the API key; treat it as a credential.
     */
    public URI artifactLink(String modelId, String artifactType) {
        HttpUrl url = url("projects", settings.project(), "models", modelId, "artifact").newBuilder()
                .addQueryParameter("type", artifactType).build();
        JsonNode link = send("get the " + artifactType + " link of model " + modelId,
                new Request.Builder().url(url).build()).path("data").path("url");
        if (!link.isTextual()) {
            throw new SyntheticsException("the service answered without data.url for the " + artifactType
                    + " link of model " + modelId);
        }
        return URI.create(link.asText());
    }

    /** Streams an artifact; closing the stream releases the connection. */
    public InputStream open(URI artifactLink) {
        HttpUrl url = HttpUrl.get(artifactLink);
        Response response;
        try {
            response = links.newCall(new Request.Builder().url(url).build()).execute();
        } catch (IOException e) {
            throw new SyntheticsException("downloading an artifact from " + url.host() + " failed: " + e, -1, e);
        }
        if (!response.isSuccessful()) {
            try (response) {
                throw new SyntheticsException("downloading an artifact from " + url.host() + " failed: HTTP "
                        + response.code() + message(response.body()), response.code(), null);
            }
        }
        return response.body().byteStream();
    }

    private String upload(String filename, RequestBody body) {
        HttpUrl url = url("projects", settings.project(), "artifacts").newBuilder()
                .addQueryParameter("filename", filename).build();
        JsonNode key = send("upload " + filename, new Request.Builder().url(url).post(body).build())
                .path("data").path("key");
        if (!key.isTextual()) {
            throw new SyntheticsException("the service answered the upload of " + filename + " without data.key");
        }
        return key.asText();
    }

    private JsonNode send(String what, Request request) {
        String call = request.method() + " " + request.url().encodedPath();
        try (Response response = api.newCall(request).execute()) {
            if (!response.isSuccessful()) {
                throw new SyntheticsException("synthetics service: " + what + " (" + call + ") failed: HTTP "
                        + response.code() + message(response.body()), response.code(), null);
            }
            return json.readTree(response.body().byteStream());
        } catch (IOException e) {
            throw new SyntheticsException("synthetics service at " + base.host() + ":" + base.port() + ": " + what
                    + " (" + call + ") failed after up to " + settings.maxAttempts() + " attempts: " + e, -1, e);
        }
    }

    private String message(ResponseBody body) {
        if (body == null) {
            return "";
        }
        try {
            String text = body.string();
            String message = text;
            try {
                JsonNode node = json.readTree(text);
                if (node != null && node.path("message").isTextual()) {
                    message = node.get("message").asText();
                }
            } catch (IOException notJson) {
                // The body is shown as it is.
            }
            message = message.strip();
            if (message.length() > MAX_MESSAGE) {
                message = message.substring(0, MAX_MESSAGE) + "…";
            }
            return message.isEmpty() ? "" : ": " + message;
        } catch (IOException e) {
            return "";
        }
    }

    private SyntheticModel model(JsonNode response) {
        JsonNode model = response.path("data").path("model");
        if (!model.path("uid").isTextual() || !model.path("status").isTextual()) {
            throw new SyntheticsException("the service answered without data.model.uid and status");
        }
        JsonNode score = model.path("result").path("synthetic_data_quality_score");
        return new SyntheticModel(model.get("uid").asText(), model.path("name").asText(""),
                ModelStatus.fromWire(model.get("status").asText()),
                Optional.ofNullable(model.path("error_msg").textValue()),
                score.isNumber() ? OptionalInt.of(score.asInt()) : OptionalInt.empty());
    }

    private HttpUrl url(String... segments) {
        HttpUrl.Builder url = base.newBuilder();
        for (String segment : segments) {
            url.addPathSegment(segment);
        }
        return url.build();
    }

    private Request post(HttpUrl url, JsonNode body) {
        try {
            return new Request.Builder().url(url).post(RequestBody.create(json.writeValueAsBytes(body), JSON)).build();
        } catch (IOException e) {
            throw new SyntheticsException("encoding the model config failed: " + e.getMessage(), -1, e);
        }
    }

    private static RequestBody oneShot(InputStream data) {
        return new RequestBody() {
            @Override
            public MediaType contentType() {
                return CSV;
            }

            @Override
            public boolean isOneShot() {
                return true;
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                try (Source source = Okio.source(data)) {
                    sink.writeAll(source);
                }
            }
        };
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void sleep(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyntheticsException("interrupted while waiting for a synthetic model");
        }
    }
}
