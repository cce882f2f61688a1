package io.dagctl.synthetics.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dagctl.synthetics.service.internal.ModelJob;
import io.dagctl.synthetics.service.internal.ModelWorker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local synthetic-data service speaking a Gretel-style REST API:
 * <ul>
 *   <li>{@code POST /projects/{project}/artifacts?filename=f.csv} with the CSV as body → {@code {"data":{"key":...}}}</li>
 *   <li>{@code POST /projects/{project}/models} with a config {@code {"name":...,"models":[{"copula":{"data_source":
 *       url-or-key,"params":{"seed":1},"generate":{"num_records":5000}}}]}} → {@code {"data":{"model":{...}}}}</li>
 *   <li>{@code GET /projects/{project}/models/{id}} → the model, whose {@code status} goes created → pending →
 *       active → completed, or error / cancelled / lost</li>
 *   <li>{@code GET /projects/{project}/models/{id}/artifact?type=data_preview|report|report_json} →
 *       {@code {"data":{"url":...}}}, a link that works without the API key (it holds an unguessable token)</li>
 *   <li>{@code DELETE /projects/{project}/models/{id}} → cancels the model</li>
 * </ul>
 * When an API key is set every call but an artifact download needs it in the {@code Authorization} header. Errors
 * come as {@code {"message": ...}}. Models train one at a time on a worker thread; models and artifacts live under
 * the work directory, and a model that was training when the service stopped is {@code lost} on the next start.
 */
public final class LocalSyntheticsService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalSyntheticsService.class);
    /** The environment variable {@link #main} reads the API key from. */
    public static final String API_KEY_VARIABLE = "DAGCTL_SYNTHETICS_API_KEY";

    private static final Pattern MODELS = Pattern.compile("/projects/([\\w.-]+)/models");
    private static final Pattern MODEL = Pattern.compile("/projects/([\\w.-]+)/models/([\\w-]+)");
    private static final Pattern MODEL_ARTIFACT = Pattern.compile("/projects/([\\w.-]+)/models/([\\w-]+)/artifact");
    private static final Pattern UPLOADS = Pattern.compile("/projects/([\\w.-]+)/artifacts");
    private static final Pattern DOWNLOAD = Pattern.compile("/artifacts/([0-9a-f]{64})/([a-z_]+)");
    private static final Pattern SAFE_FILENAME = Pattern.compile("[^A-Za-z0-9._-]");

    private final HttpServer server;
    private final ExecutorService requests = Executors.newFixedThreadPool(4, daemon("synthetics-http"));
    private final ExecutorService training = Executors.newSingleThreadExecutor(daemon("synthetics-training"));
    private final ObjectMapper json = new ObjectMapper();
    private final SecureRandom random = new SecureRandom();
    private final Path workDir;
    private final Optional<byte[]> apiKey;
    private final Map<String, ModelJob> models = new ConcurrentHashMap<>();
    private final Map<String, Path> uploads = new ConcurrentHashMap<>();
    private final ModelWorker worker = new ModelWorker(uploads);
    private final URI baseUri;

    private LocalSyntheticsService(HttpServer server, Path workDir, Optional<String> apiKey) throws IOException {
        this.server = server;
        this.workDir = workDir;
        this.apiKey = apiKey.map(k -> k.getBytes(StandardCharsets.UTF_8));
        this.baseUri = URI.create("http://localhost:" + server.getAddress().getPort());
        recover();
        server.createContext("/", this::handle);
        server.setExecutor(requests);
        server.start();
    }

    /**
     * Starts the service on a port (0 for any free one), keeping models and artifacts under {@code workDir}.
     *
     * @throws UncheckedIOException when the port is taken or the work directory cannot be written
     */
    public static LocalSyntheticsService start(int port, Path workDir, Optional<String> apiKey) {
        try {
            Files.createDirectories(workDir.resolve("models"));
            Files.createDirectories(workDir.resolve("uploads"));
            HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
            LocalSyntheticsService service = new LocalSyntheticsService(server, workDir, apiKey);
            LOG.info("synthetics service listening on {} with work directory {}", service.baseUri, workDir);
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException("starting the synthetics service on port " + port + " failed: "
                    + e.getMessage(), e);
        }
    }

    /** Runs the service until the process is stopped (what {@code dagctl synthetics serve} does). */
    public static void serve(int port, Path workDir, Optional<String> apiKey) throws InterruptedException {
        LocalSyntheticsService service = start(port, workDir, apiKey);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "synthetics-shutdown"));
        stopped.await();
    }

    /** {@code --port N --work-dir DIR}; the API key, if any, comes from {@value #API_KEY_VARIABLE}. */
    public static void main(String[] args) throws InterruptedException {
        int port = 8360;
        Path workDir = Path.of(System.getProperty("user.home"), ".dagctl", "synthetics");
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--work-dir" -> workDir = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + ": expected --port N --work-dir DIR");
            }
        }
        serve(port, workDir, Optional.ofNullable(System.getenv(API_KEY_VARIABLE)).filter(k -> !k.isBlank()));
    }

    /** The service's address, e.g. {@code http://localhost:8360}. */
    public URI baseUri() {
        return baseUri;
    }

    @Override
    public void close() {
        server.stop(0);
        training.shutdownNow();
        requests.shutdownNow();
    }

    private void recover() throws IOException {
        try (Stream<Path> dirs = Files.list(workDir.resolve("models"))) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                if (Files.exists(dir.resolve("model.json"))) {
                    ModelJob job = ModelJob.load(dir, json);
                    job.transition("lost", "the service stopped while the model was " + job.status());
                    models.put(job.id(), job);
                }
            }
        }
        try (Stream<Path> files = Files.list(workDir.resolve("uploads"))) {
            files.forEach(f -> uploads.put(f.getFileName().toString(), f));
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            Matcher m;
            if ((m = DOWNLOAD.matcher(path)).matches() && method.equals("GET")) {
                download(exchange, m.group(1), m.group(2));
                return;
            }
            if (!authorized(exchange)) {
                respond(exchange, 401, error("missing or invalid API key in the Authorization header"));
                return;
            }
            if ((m = UPLOADS.matcher(path)).matches() && method.equals("POST")) {
                upload(exchange, m.group(1));
            } else if ((m = MODELS.matcher(path)).matches() && method.equals("POST")) {
                createModel(exchange, m.group(1));
            } else if ((m = MODEL_ARTIFACT.matcher(path)).matches() && method.equals("GET")) {
                artifactLink(exchange, m.group(1), m.group(2));
            } else if ((m = MODEL.matcher(path)).matches() && method.equals("GET")) {
                ModelJob job = find(exchange, m.group(1), m.group(2));
                if (job != null) {
                    respond(exchange, 200, model(job));
                }
            } else if ((m = MODEL.matcher(path)).matches() && method.equals("DELETE")) {
                ModelJob job = find(exchange, m.group(1), m.group(2));
                if (job != null) {
                    job.transition("cancelled", "cancelled by a DELETE request");
                    respond(exchange, 200, model(job));
                }
            } else {
                respond(exchange, 404, error("no route for " + method + " " + path));
            }
        } catch (RuntimeException e) {
            LOG.warn("request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getPath(), e);
            respond(exchange, 500, error("internal error: " + e.getMessage()));
        }
    }

    private boolean authorized(HttpExchange exchange) {
        if (apiKey.isEmpty()) {
            return true;
        }
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null) {
            return false;
        }
        String presented = header.startsWith("Bearer ") ? header.substring(7) : header;
        return MessageDigest.isEqual(apiKey.get(), presented.getBytes(StandardCharsets.UTF_8));
    }

    private void upload(HttpExchange exchange, String project) throws IOException {
        String filename = query(exchange).getOrDefault("filename", "data.csv");
        String key = "artifact_" + UUID.randomUUID().toString().replace("-", "") + "_"
                + SAFE_FILENAME.matcher(filename).replaceAll("_");
        Path file = workDir.resolve("uploads").resolve(key);
        try (InputStream body = exchange.getRequestBody()) {
            Files.copy(body, file);
        }
        uploads.put(key, file);
        ObjectNode response = json.createObjectNode();
        response.putObject("data").put("key", key).put("project", project);
        respond(exchange, 200, response);
    }

    private void createModel(HttpExchange exchange, String project) throws IOException {
        JsonNode config;
        try (InputStream body = exchange.getRequestBody()) {
            config = json.readTree(body);
            ModelWorker.settings(config);
        } catch (IOException | IllegalArgumentException e) {
            respond(exchange, 400, error("invalid model config: " + e.getMessage()));
            return;
        }
        String id = UUID.randomUUID().toString().replace("-", "");
        byte[] token = new byte[32];
        random.nextBytes(token);
        ModelJob job = ModelJob.create(workDir.resolve("models").resolve(id), json, id, project,
                HexFormat.of().formatHex(token), config);
        models.put(id, job);
        ObjectNode created = model(job);
        job.transition("pending", null);
        training.submit(() -> worker.run(job));
        LOG.info("model {} created in project {}", id, project);
        respond(exchange, 200, created);
    }

    private void artifactLink(HttpExchange exchange, String project, String id) throws IOException {
        ModelJob job = find(exchange, project, id);
        if (job == null) {
            return;
        }
        String type = query(exchange).get("type");
        if (type == null || !ModelJob.ARTIFACT_TYPES.contains(type)) {
            respond(exchange, 400, error("artifact type must be one of " + ModelJob.ARTIFACT_TYPES + ", was "
                    + (type == null ? "missing" : "'" + type + "'")));
            return;
        }
        if (!job.status().equals("completed")) {
            respond(exchange, 409, error("model " + id + " is " + job.status()
                    + ": artifacts exist once it is completed"));
            return;
        }
        String host = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Host"))
                .orElse(baseUri.getAuthority());
        ObjectNode response = json.createObjectNode();
        response.putObject("data").put("url", "http://" + host + "/artifacts/" + job.artifactToken() + "/" + type);
        respond(exchange, 200, response);
    }

    private void download(HttpExchange exchange, String token, String type) throws IOException {
        ModelJob job = models.values().stream()
                .filter(j -> MessageDigest.isEqual(j.artifactToken().getBytes(StandardCharsets.US_ASCII),
                        token.getBytes(StandardCharsets.US_ASCII)))
                .findFirst().orElse(null);
        if (job == null || !ModelJob.ARTIFACT_TYPES.contains(type) || !Files.exists(job.artifact(type))) {
            respond(exchange, 404, error("no such artifact"));
            return;
        }
        Path file = job.artifact(type);
        exchange.getResponseHeaders().set("Content-Type", switch (type) {
            case "data_preview" -> "text/csv; charset=utf-8";
            case "report" -> "text/html; charset=utf-8";
            default -> "application/json";
        });
        exchange.sendResponseHeaders(200, Files.size(file));
        try (OutputStream out = exchange.getResponseBody()) {
            Files.copy(file, out);
        }
    }

    private ModelJob find(HttpExchange exchange, String project, String id) throws IOException {
        ModelJob job = models.get(id);
        if (job == null || !job.project().equals(project)) {
            respond(exchange, 404, error("model " + id + " not found in project " + project));
            return null;
        }
        return job;
    }

    private ObjectNode model(ModelJob job) {
        ObjectNode response = json.createObjectNode();
        response.putObject("data").set("model", job.view());
        return response;
    }

    private ObjectNode error(String message) {
        return json.createObjectNode().put("message", message);
    }

    private void respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> query = new HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return query;
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
