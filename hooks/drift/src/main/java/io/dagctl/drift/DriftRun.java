package io.dagctl.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One earlier run's drift figures, for the trend in the HTML report: the share of drifted columns and each column's
 * score (columns without values left out).
 */
public record DriftRun(String runId, double driftShare, double shareOfDriftedColumns, boolean datasetDrift,
                       Map<String, Double> scores) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public DriftRun {
        Objects.requireNonNull(runId, "runId");
        scores = Map.copyOf(scores);
    }

    /** This report's figures under the given run id. */
    public static DriftRun of(String runId, DriftReport report) {
        Map<String, Double> scores = new LinkedHashMap<>();
        report.columns().stream().filter(ColumnDrift::hasValues).forEach(c -> scores.put(c.columnName(), c.driftScore()));
        return new DriftRun(runId, report.driftShare(), report.shareOfDriftedColumns(), report.datasetDrift(), scores);
    }

    /**
     * Reads the figures back from a report's flat JSON ({@link DriftReport#toJson}).
     *
     * @throws IllegalArgumentException naming the run when the JSON is not such a report
     */
    public static DriftRun fromJson(String runId, String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("DriftRun: the report of run " + runId + " is not JSON: "
                    + e.getMessage(), e);
        }
        for (String field : new String[] {"drift_share", "share_of_drifted_columns", "dataset_drift", "drift_by_columns"}) {
            if (!root.hasNonNull(field)) {
                throw new IllegalArgumentException("DriftRun: the report of run " + runId + " has no '" + field + "'");
            }
        }
        Map<String, Double> scores = new LinkedHashMap<>();
        root.get("drift_by_columns").forEach(column -> {
            if (column.path("drift_score").isNumber()) {
                scores.put(column.path("column_name").asText(), column.get("drift_score").asDouble());
            }
        });
        return new DriftRun(runId, root.get("drift_share").asDouble(), root.get("share_of_drifted_columns").asDouble(),
                root.get("dataset_drift").asBoolean(), scores);
    }
}
