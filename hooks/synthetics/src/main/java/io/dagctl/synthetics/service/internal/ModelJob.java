package io.dagctl.synthetics.service.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;

/**
 * One model on the service: its config, status and artifact token, persisted as {@code model.json} in its own
 * directory after every change, so that a restarted service knows which models it lost.
 */
public final class ModelJob {
    public static final List<String> TERMINAL = List.of("completed", "error", "cancelled", "lost");
    public static final List<String> ARTIFACT_TYPES = List.of("data_preview", "report", "report_json");

    private static final ObjectMapper WRITER = new ObjectMapper();

    private final Path directory;
    private final ObjectNode state;

    private ModelJob(Path directory, ObjectNode state) {
        this.directory = directory;
        this.state = state;
    }

    public static ModelJob create(Path directory, ObjectMapper json, String id, String project, String token,
                           JsonNode config) {
        ObjectNode state = json.createObjectNode();
        state.put("uid", id);
        state.put("project", project);
        state.put("name", config.path("name").asText(id));
        state.put("model_type", "copula");
        state.put("artifact_token", token);
        state.set("config", config);
        state.putObject("status_history");
        ModelJob job = new ModelJob(directory, state);
        job.transition("created", null);
        return job;
    }

    public static ModelJob load(Path directory, ObjectMapper json) {
        try {
            return new ModelJob(directory, (ObjectNode) json.readTree(directory.resolve("model.json").toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + directory.resolve("model.json") + " failed", e);
        }
    }

    public synchronized String id() {
        return state.get("uid").asText();
    }

    public synchronized String project() {
        return state.get("project").asText();
    }

    public synchronized String status() {
        return state.get("status").asText();
    }

    public synchronized String artifactToken() {
        return state.get("artifact_token").asText();
    }

    public synchronized JsonNode config() {
        return state.get("config");
    }

    public Path directory() {
        return directory;
    }

    public synchronized boolean isTerminal() {
        return TERMINAL.contains(status());
    }

    /** Moves to a status unless the model already ended (a cancelled model stays cancelled). */
    public synchronized boolean transition(String status, String errorMessage) {
        if (state.has("status") && isTerminal()) {
            return false;
        }
        String now = Instant.now().toString();
        state.put("status", status);
        state.put("updated_at", now);
        if (!state.has("created_at")) {
            state.put("created_at", now);
        }
        ((ObjectNode) state.get("status_history")).put(status, now);
        if (errorMessage != null) {
            state.put("error_msg", errorMessage);
        }
        persist();
        return true;
    }

    public synchronized void recordResult(int records, QualityReport report) {
        ObjectNode result = state.putObject("result");
        result.put("record_count", records);
        result.put("synthetic_data_quality_score", report.syntheticQualityScore().score());
        result.put("grade", report.syntheticQualityScore().grade());
        result.put("exact_matches", report.privacy().exactMatches());
        persist();
    }

    /** The model as the API shows it: everything but the artifact token. */
    public synchronized ObjectNode view() {
        ObjectNode view = state.deepCopy();
        view.remove("artifact_token");
        return view;
    }

    public Path artifact(String type) {
        return directory.resolve(switch (type) {
            case "data_preview" -> "data_preview.csv";
            case "report" -> "report.html";
            case "report_json" -> "report.json";
            default -> throw new IllegalArgumentException("unknown artifact type '" + type + "'");
        });
    }

    private void persist() {
        try {
            Files.createDirectories(directory);
            Path temp = directory.resolve("model.json.tmp");
            Files.write(temp, WRITER.writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
            Files.move(temp, directory.resolve("model.json"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + directory.resolve("model.json") + " failed", e);
        }
    }
}
