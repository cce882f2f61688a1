package io.dagctl.drift.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dagctl.drift.ColumnDrift;
import io.dagctl.drift.DriftReport;

/** Renders a {@link DriftReport} as JSON shaped like Evidently's {@code as_dict()} of its drift metrics. */
public final class JsonReport {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {
    }

    public static String render(DriftReport report) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("drift_share", report.driftShare());
        root.put("number_of_columns", report.numberOfColumns());
        root.put("number_of_drifted_columns", report.numberOfDriftedColumns());
        root.put("share_of_drifted_columns", report.shareOfDriftedColumns());
        root.put("dataset_drift", report.datasetDrift());
        ObjectNode byColumn = root.putObject("drift_by_columns");
        for (ColumnDrift column : report.columns()) {
            ObjectNode node = byColumn.putObject(column.columnName());
            node.put("column_name", column.columnName());
            node.put("column_type", column.columnType().evidentlyName());
            node.put("stattest_name", column.statTest().displayName());
            node.put("stattest_threshold", column.threshold());
            node.put("drift_score", column.driftScore());
            node.put("drift_detected", column.driftDetected());
        }
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Drift report: cannot write JSON", e);
        }
    }
}
