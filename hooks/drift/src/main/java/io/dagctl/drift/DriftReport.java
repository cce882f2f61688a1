package io.dagctl.drift;

import io.dagctl.drift.internal.HtmlReport;
import io.dagctl.drift.internal.JsonReport;
import java.util.List;

/**
 * The outcome of {@link DriftDetector#detect}: per-column verdicts and the dataset verdict, which is drift when the
 * share of drifted columns reaches {@code driftShare}.
 */
public record DriftReport(
        double driftShare,
        int numberOfColumns,
        int numberOfDriftedColumns,
        double shareOfDriftedColumns,
        boolean datasetDrift,
        int referenceRows,
        int currentRows,
        List<ColumnDrift> columns) {

    public DriftReport {
        columns = List.copyOf(columns);
    }

    /** The verdict for the named column. */
    public ColumnDrift column(String name) {
        return columns.stream()
                .filter(c -> c.columnName().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("DriftReport: no tested column '" + name
                        + "'; tested columns are " + columns.stream().map(ColumnDrift::columnName).toList()));
    }

    /**
     * Flat JSON with Evidently's field names: {@code drift_share, number_of_columns, number_of_drifted_columns,
     * share_of_drifted_columns, dataset_drift, drift_by_columns {name: {column_name, column_type, stattest_name,
     * stattest_threshold, drift_score, drift_detected, verdict, reference {count, missing, unique}, current {…}}}}.
     */
    public String toJson() {
        return JsonReport.render(this);
    }

    /**
     * JSON in the shape of Evidently's {@code Report(metrics=[DatasetDriftMetric(), DataDriftTable()]).as_dict()}:
     * {@code {"metrics": [{"metric": "DatasetDriftMetric", "result": {…}}, {"metric": "DataDriftTable", "result":
     * {…, "drift_by_columns": {…}}}]}}, so tools that read Evidently's JSON read this; columns as in {@link #toJson}.
     */
    public String toEvidentlyJson() {
        return JsonReport.renderEvidently(this);
    }

    /**
     * A self-contained HTML page (inline CSS and SVG, nothing fetched): the verdicts, and per column the reference and
     * current distributions side by side with the test's score and threshold, with expandable details.
     */
    public String toHtml() {
        return toHtml(null, List.of());
    }

    /**
     * {@link #toHtml()} with the trend across runs: the share of drifted columns and each column's score in the
     * earlier runs, oldest first, then this one.
     *
     * @param runId the run this report belongs to
     */
    public String toHtml(String runId, List<DriftRun> earlierRuns) {
        return HtmlReport.render(this, runId, earlierRuns);
    }
}
