package io.dagctl.drift.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dagctl.drift.ColumnDrift;
import io.dagctl.drift.DriftReport;

/**
 * Renders a {@link DriftReport} as JSON with Evidently 0.4's field names: flat ({@link #render}), or in the shape of
 * Evidently's {@code Report(metrics=[DatasetDriftMetric(), DataDriftTable()]).as_dict()} ({@link #renderEvidently}).
 * Each column also carries, per side, Evidently's column-summary counts ({@code count}, {@code missing},
 * {@code unique}); a column without values has a {@code null} score.
 */
public final class JsonReport {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {
    }

    public static String render(DriftReport report) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("drift_share", report.driftShare());
        datasetVerdict(root, report);
        driftByColumns(root, report);
        return write(root);
    }

    public static String renderEvidently(DriftReport report) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode metrics = root.putArray("metrics");
        ObjectNode dataset = metrics.addObject();
        dataset.put("metric", "DatasetDriftMetric");
        ObjectNode datasetResult = dataset.putObject("result");
        datasetResult.put("drift_share", report.driftShare());
        datasetVerdict(datasetResult, report);
        ObjectNode table = metrics.addObject();
        table.put("metric", "DataDriftTable");
        ObjectNode tableResult = table.putObject("result");
        datasetVerdict(tableResult, report);
        driftByColumns(tableResult, report);
        return write(root);
    }

    private static void datasetVerdict(ObjectNode node, DriftReport report) {
        node.put("number_of_columns", report.numberOfColumns());
        node.put("number_of_drifted_columns", report.numberOfDriftedColumns());
        node.put("share_of_drifted_columns", report.shareOfDriftedColumns());
        node.put("dataset_drift", report.datasetDrift());
    }

    private static void driftByColumns(ObjectNode parent, DriftReport report) {
        ObjectNode byColumn = parent.putObject("drift_by_columns");
        for (ColumnDrift column : report.columns()) {
            ObjectNode node = byColumn.putObject(column.columnName());
            node.put("column_name", column.columnName());
            node.put("column_type", column.columnType().evidentlyName());
            node.put("stattest_name", column.statTest().displayName());
            node.put("stattest_threshold", column.threshold());
            if (column.hasValues()) {
                node.put("drift_score", column.driftScore());
            } else {
                node.putNull("drift_score");
            }
            node.put("drift_detected", column.driftDetected());
            node.put("verdict", column.verdict());
            sample(node.putObject("reference"), column.reference());
            sample(node.putObject("current"), column.current());
        }
    }

    private static void sample(ObjectNode node, ColumnDrift.Sample sample) {
        node.put("count", sample.count());
        node.put("missing", sample.missing());
        node.put("unique", sample.unique());
    }

    private static String write(ObjectNode root) {
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Drift report: cannot write JSON", e);
        }
    }
}
