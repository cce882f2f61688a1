package io.dagctl.drift.internal;

import io.dagctl.drift.ColumnDistribution;
import io.dagctl.drift.ColumnDrift;
import io.dagctl.drift.DriftReport;
import io.dagctl.drift.DriftRun;
import io.dagctl.drift.StatTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders a {@link DriftReport} as one self-contained HTML page: inline CSS, inline SVG charts, no scripts, fonts
 * or links, so it can be mailed, archived or opened offline. Per column, the reference and current distributions
 * side by side on one scale with the test's score and threshold, and expandable details; across runs, the share of
 * drifted columns and each column's score. Every bar and point is an SVG element of class {@code mark}.
 */
public final class HtmlReport {
    private static final String REFERENCE_COLOUR = "#4b6584";
    private static final String CURRENT_COLOUR = "#e55039";
    private static final int SIDE_WIDTH = 380;
    private static final int TREND_WIDTH = 380;
    private static final int CHART_HEIGHT = 200;
    private static final int LEFT = 44;
    private static final int RIGHT = 10;
    private static final int TOP = 10;
    private static final int BOTTOM = 46;
    /** Beyond this many values a categorical chart shows the most frequent ones only. */
    private static final int MAX_BARS = 30;
    /** How many values the details list for a column charted by value. */
    private static final int MOST_MOVED = 5;
    /** Beyond this many runs the trend labels every n-th run so the labels do not overlap. */
    private static final int MAX_RUN_LABELS = 5;

    private HtmlReport() {
    }

    /**
     * @param runId       the run this report belongs to, or {@code null} outside a run
     * @param earlierRuns earlier runs in the order to plot, for the trend; empty for none
     */
    public static String render(DriftReport report, String runId, List<DriftRun> earlierRuns) {
        StringBuilder html = new StringBuilder(32_768);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>Data drift report</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        summary(html, report, runId);
        table(html, report);
        if (!earlierRuns.isEmpty()) {
            List<DriftRun> runs = new ArrayList<>(earlierRuns);
            runs.add(DriftRun.of(runId == null ? "this run" : runId, report));
            trend(html, report, runs);
        }
        html.append("<h2>Columns</h2>\n<p class=\"legend\"><span class=\"swatch\" style=\"background:")
                .append(REFERENCE_COLOUR).append("\"></span>reference <span class=\"swatch\" style=\"background:")
                .append(CURRENT_COLOUR).append("\"></span>current (share of non-missing values, same scale on both sides)</p>\n");
        for (ColumnDrift column : report.columns()) {
            column(html, column);
        }
        return html.append("</body>\n</html>\n").toString();
    }

    private static void summary(StringBuilder html, DriftReport report, String runId) {
        html.append("<h1>Data drift report</h1>\n");
        if (runId != null) {
            html.append("<p class=\"legend\">run ").append(escape(runId)).append("</p>\n");
        }
        html.append("<div class=\"verdict ").append(report.datasetDrift() ? "bad" : "good")
                .append("\">").append(report.datasetDrift() ? "Dataset drift detected" : "No dataset drift")
                .append("</div>\n<div class=\"cards\">\n");
        card(html, Integer.toString(report.numberOfColumns()), "columns tested");
        card(html, Integer.toString(report.numberOfDriftedColumns()), "drifted columns");
        card(html, percent(report.shareOfDriftedColumns()), "share of drifted columns");
        card(html, percent(report.driftShare()), "drift share threshold");
        card(html, report.referenceRows() + " / " + report.currentRows(), "reference / current rows");
        html.append("</div>\n");
    }

    private static void card(StringBuilder html, String value, String label) {
        html.append("<div class=\"card\"><div class=\"value\">").append(escape(value)).append("</div><div class=\"label\">")
                .append(escape(label)).append("</div></div>\n");
    }

    private static void table(StringBuilder html, DriftReport report) {
        html.append("<h2>Summary by column</h2>\n<table>\n<thead><tr><th>Column</th><th>Type</th><th>Test</th><th>Threshold</th>")
                .append("<th>Score</th><th>Drift</th><th>Reference values</th><th>Current values</th>")
                .append("<th>Missing (reference / current)</th><th>Distinct values</th>")
                .append("</tr></thead>\n<tbody>\n");
        for (ColumnDrift c : report.columns()) {
            html.append("<tr><td><a href=\"#").append(anchor(c.columnName())).append("\">").append(escape(c.columnName()))
                    .append("</a></td><td>").append(c.columnType().evidentlyName())
                    .append("</td><td>").append(escape(c.statTest().displayName())).append("</td><td class=\"num\">")
                    .append(number(c.threshold())).append("</td><td class=\"num\">").append(number(c.driftScore()))
                    .append("</td><td class=\"").append(c.driftDetected() ? "bad" : "good").append("\">")
                    .append(c.verdict()).append("</td><td class=\"num\">")
                    .append(c.reference().count()).append("</td><td class=\"num\">").append(c.current().count())
                    .append("</td><td class=\"num\">").append(c.reference().missing()).append(" / ")
                    .append(c.current().missing()).append("</td><td class=\"num\">").append(c.uniqueValues())
                    .append("</td></tr>\n");
        }
        html.append("</tbody>\n</table>\n");
    }

    private static void column(StringBuilder html, ColumnDrift column) {
        html.append("<section class=\"column\" id=\"").append(anchor(column.columnName())).append("\"><h3>")
                .append(escape(column.columnName())).append(" <span class=\"").append(column.driftDetected() ? "bad" : "good")
                .append("\">").append(column.verdict()).append("</span></h3>\n<p class=\"test\">")
                .append(escape(column.statTest().displayName())).append(" = <strong>").append(number(column.driftScore()))
                .append("</strong>, threshold ").append(number(column.threshold())).append(": drift when the ")
                .append(driftRule(column.statTest())).append(" it</p>\n");
        if (column.hasValues()) {
            ColumnDistribution distribution = column.distribution();
            List<Integer> shown = shownIndices(distribution);
            double max = 0;
            for (int k : shown) {
                max = Math.max(max, Math.max(distribution.reference().get(k), distribution.current().get(k)));
            }
            double top = niceCeiling(max);
            html.append("<div class=\"pair\">\n");
            side(html, "reference", column.reference(), distribution, distribution.reference(), shown, top, REFERENCE_COLOUR);
            side(html, "current", column.current(), distribution, distribution.current(), shown, top, CURRENT_COLOUR);
            html.append("</div>\n");
        }
        details(html, column);
        html.append("</section>\n");
    }

    private static String driftRule(StatTest test) {
        return switch (test) {
            case KOLMOGOROV_SMIRNOV -> "p-value is at or below";
            case CHI_SQUARE, Z_TEST -> "p-value is below";
            case WASSERSTEIN, JENSEN_SHANNON -> "distance reaches";
        };
    }

    private static void side(StringBuilder html, String name, ColumnDrift.Sample sample, ColumnDistribution distribution,
                             List<Double> shares, List<Integer> shown, double top, String colour) {
        html.append("<figure>");
        chart(html, distribution, shares, shown, top, colour);
        html.append("<figcaption>").append(name).append(": ").append(sample.count()).append(" values, ")
                .append(sample.missing()).append(" missing dropped</figcaption></figure>\n");
    }

    /** The expandable part: each side's counts and quantiles, and for value bars the values whose share moved most. */
    private static void details(StringBuilder html, ColumnDrift column) {
        html.append("<details><summary>Details</summary>\n<table class=\"detail\">\n<thead><tr><th></th><th>values</th>")
                .append("<th>missing</th><th>distinct</th>");
        boolean quantiles = !column.reference().quantiles().isEmpty() || !column.current().quantiles().isEmpty();
        if (quantiles) {
            html.append("<th>min</th><th>25%</th><th>median</th><th>75%</th><th>max</th>");
        }
        html.append("</tr></thead>\n<tbody>\n");
        detailRow(html, "reference", column.reference(), quantiles);
        detailRow(html, "current", column.current(), quantiles);
        html.append("</tbody>\n</table>\n");
        ColumnDistribution distribution = column.distribution();
        if (!distribution.binned() && !distribution.labels().isEmpty()) {
            List<Integer> moved = java.util.stream.IntStream.range(0, distribution.labels().size()).boxed()
                    .sorted((a, b) -> Double.compare(moved(distribution, b), moved(distribution, a)))
                    .limit(MOST_MOVED).toList();
            html.append("<table class=\"detail\">\n<thead><tr><th>value</th><th>reference share</th>")
                    .append("<th>current share</th><th>change</th></tr></thead>\n<tbody>\n");
            for (int k : moved) {
                double change = distribution.current().get(k) - distribution.reference().get(k);
                html.append("<tr><td>").append(escape(distribution.labels().get(k))).append("</td><td class=\"num\">")
                        .append(percent(distribution.reference().get(k))).append("</td><td class=\"num\">")
                        .append(percent(distribution.current().get(k))).append("</td><td class=\"num\">")
                        .append(change > 0 ? "+" : "").append(percent(change)).append("</td></tr>\n");
            }
            html.append("</tbody>\n</table>\n");
        }
        html.append("</details>\n");
    }

    private static double moved(ColumnDistribution distribution, int k) {
        return Math.abs(distribution.current().get(k) - distribution.reference().get(k));
    }

    private static void detailRow(StringBuilder html, String name, ColumnDrift.Sample sample, boolean quantiles) {
        html.append("<tr><th>").append(name).append("</th><td class=\"num\">").append(sample.count())
                .append("</td><td class=\"num\">").append(sample.missing()).append("</td><td class=\"num\">")
                .append(sample.unique()).append("</td>");
        if (quantiles) {
            for (int q = 0; q < 5; q++) {
                html.append("<td class=\"num\">").append(sample.quantiles().isEmpty() ? "—"
                        : ValueCounts.formatNumber(sample.quantiles().get(q))).append("</td>");
            }
        }
        html.append("</tr>\n");
    }

    /** The share of drifted columns, then each column's score, over the runs: one point per run that had a value. */
    private static void trend(StringBuilder html, DriftReport report, List<DriftRun> runs) {
        html.append("<h2>Across runs</h2>\n<p class=\"legend\">").append(runs.size())
                .append(" runs of this pipeline, oldest first; dashed: the threshold</p>\n<div class=\"trend\">\n");
        List<Double> shares = runs.stream().map(DriftRun::shareOfDriftedColumns).toList();
        lineChart(html, "share of drifted columns", runs, shares, report.driftShare(), 1.0, true);
        for (ColumnDrift column : report.columns()) {
            List<Double> scores = runs.stream().map(run -> run.scores().get(column.columnName())).toList();
            double top = column.statTest().isPValue() ? 1.0 : niceCeiling(Math.max(column.threshold(),
                    scores.stream().filter(java.util.Objects::nonNull).mapToDouble(Double::doubleValue).max().orElse(0)));
            lineChart(html, column.columnName() + ": " + column.statTest().displayName(), runs, scores,
                    column.threshold(), top, false);
        }
        html.append("</div>\n");
    }

    private static void lineChart(StringBuilder html, String title, List<DriftRun> runs, List<Double> values,
                                  double threshold, double top, boolean asPercent) {
        int plotWidth = TREND_WIDTH - LEFT - RIGHT;
        int plotHeight = CHART_HEIGHT - TOP - BOTTOM;
        html.append("<figure><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(TREND_WIDTH)
                .append("\" height=\"").append(CHART_HEIGHT).append("\" viewBox=\"0 0 ").append(TREND_WIDTH).append(' ')
                .append(CHART_HEIGHT).append("\" role=\"img\" class=\"trend-chart\">\n");
        yAxis(html, top, plotWidth, plotHeight, asPercent);
        double step = plotWidth / (double) runs.size();
        int labelEvery = (int) Math.ceil(runs.size() / (double) MAX_RUN_LABELS);
        StringBuilder points = new StringBuilder();
        StringBuilder marks = new StringBuilder();
        for (int k = 0; k < runs.size(); k++) {
            double x = LEFT + (k + 0.5) * step;
            Double value = values.get(k);
            if (value != null) {
                double y = TOP + plotHeight - plotHeight * Math.min(value, top) / top;
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                marks.append(String.format(Locale.ROOT, "<circle class=\"mark\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\"><title>%s: %s"
                        + "</title></circle>\n", x, y, escape(runs.get(k).runId()), asPercent ? percent(value) : number(value)));
            }
            if (k % labelEvery == 0) {
                label(html, x, TOP + plotHeight + 14, shortRunLabel(runs.get(k).runId()), "middle");
            }
        }
        double thresholdY = TOP + plotHeight - plotHeight * Math.min(threshold, top) / top;
        html.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" class=\"threshold\"/>\n",
                LEFT, LEFT + plotWidth, thresholdY, thresholdY));
        html.append("<polyline class=\"line\" points=\"").append(points.toString().strip()).append("\"/>\n").append(marks);
        html.append("</svg><figcaption>").append(escape(title)).append("</figcaption></figure>\n");
    }

    /** A run id's date when it carries one (scheduled__2011-03-07T11:00:00+00:00 → 2011-03-07); the id in the tooltip. */
    private static String shortRunLabel(String runId) {
        int separator = runId.indexOf("__");
        String rest = separator >= 0 ? runId.substring(separator + 2) : runId;
        if (rest.length() > 10 && rest.charAt(10) == 'T') {
            return rest.substring(0, 10);
        }
        return rest.length() > 12 ? rest.substring(0, 11) + "…" : rest;
    }

    private static void yAxis(StringBuilder html, double top, int plotWidth, int plotHeight, boolean asPercent) {
        for (int tick = 0; tick <= 4; tick++) {
            double value = top * tick / 4;
            double y = TOP + plotHeight - plotHeight * tick / 4.0;
            html.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">%s</text>\n",
                    LEFT, LEFT + plotWidth, y, y, LEFT - 4, y + 3, asPercent ? percent(value) : axisNumber(value)));
        }
    }

    /** One sample's bars; both sides of a column share {@code top} and the bins, so their heights compare. */
    private static void chart(StringBuilder html, ColumnDistribution distribution, List<Double> shares,
                              List<Integer> shown, double top, String colour) {
        int plotWidth = SIDE_WIDTH - LEFT - RIGHT;
        int plotHeight = CHART_HEIGHT - TOP - BOTTOM;
        html.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(SIDE_WIDTH).append("\" height=\"")
                .append(CHART_HEIGHT).append("\" viewBox=\"0 0 ").append(SIDE_WIDTH).append(' ').append(CHART_HEIGHT)
                .append("\" role=\"img\" class=\"distribution\">\n");
        yAxis(html, top, plotWidth, plotHeight, true);
        double slot = plotWidth / (double) shown.size();
        boolean binned = distribution.binned();
        for (int s = 0; s < shown.size(); s++) {
            // a histogram's bins touch; bars of separate values stand apart
            double x = LEFT + s * slot + (binned ? 0 : slot * 0.15);
            bar(html, x, binned ? slot : slot * 0.7, shares.get(shown.get(s)), top, plotHeight, colour,
                    distribution.labels().get(shown.get(s)));
        }
        xLabels(html, distribution, shown, slot, plotHeight);
        html.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" class=\"axis\"/>\n",
                LEFT, LEFT + plotWidth, TOP + plotHeight, TOP + plotHeight));
        html.append("</svg>");
    }

    private static void bar(StringBuilder html, double x, double width, double share, double top, int plotHeight,
                            String colour, String label) {
        double height = top == 0 ? 0 : plotHeight * share / top;
        html.append(String.format(Locale.ROOT,
                "<rect class=\"mark\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s: %s</title></rect>\n",
                x, TOP + plotHeight - height, Math.max(width - 0.5, 0.5), height, colour, escape(label), percent(share)));
    }

    private static void xLabels(StringBuilder html, ColumnDistribution distribution, List<Integer> shown, double slot,
                                int plotHeight) {
        double baseline = TOP + plotHeight + 14;
        if (distribution.binned()) {
            List<Double> edges = distribution.edges();
            int bins = edges.size() - 1;
            int every = Math.max(1, (int) Math.ceil(bins / 6.0));
            for (int k = 0; k <= bins; k += every) {
                if (bins - k >= every / 2.0 || k == bins) {
                    label(html, LEFT + k * slot, baseline, axisNumber(edges.get(k)), k == bins ? "end" : "middle");
                }
            }
            if (bins % every != 0) {
                label(html, LEFT + bins * slot, baseline, axisNumber(edges.get(bins)), "end");
            }
            return;
        }
        int every = Math.max(1, (int) Math.ceil(shown.size() / 12.0));
        for (int s = 0; s < shown.size(); s += every) {
            String text = distribution.labels().get(shown.get(s));
            label(html, LEFT + (s + 0.5) * slot, baseline, text.length() > 14 ? text.substring(0, 13) + "…" : text, "middle");
        }
    }

    private static void label(StringBuilder html, double x, double y, String text, String anchor) {
        html.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" text-anchor=\"%s\">%s</text>\n",
                x, y, anchor, escape(text)));
    }

    /** All bins, or for many categories the most frequent ones over both samples, in their original order. */
    private static List<Integer> shownIndices(ColumnDistribution distribution) {
        int size = distribution.reference().size();
        java.util.stream.IntStream all = java.util.stream.IntStream.range(0, size);
        if (distribution.binned() || size <= MAX_BARS) {
            return all.boxed().toList();
        }
        return all.boxed()
                .sorted((a, b) -> Double.compare(weight(distribution, b), weight(distribution, a)))
                .limit(MAX_BARS)
                .sorted()
                .toList();
    }

    private static double weight(ColumnDistribution distribution, int k) {
        return distribution.reference().get(k) + distribution.current().get(k);
    }

    private static double niceCeiling(double max) {
        if (max <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(max)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= max) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    /** Bin edges on the axis with three significant digits: enough to read, short enough to fit. */
    private static String axisNumber(double value) {
        return ValueCounts.formatNumber(Double.parseDouble(String.format(Locale.ROOT, "%.3g", value)));
    }

    private static String percent(double share) {
        double value = share * 100;
        return (value == Math.rint(value) ? String.format(Locale.ROOT, "%.0f", value)
                : String.format(Locale.ROOT, "%.1f", value)) + "%";
    }

    private static String number(double value) {
        if (Double.isNaN(value)) {
            return "—";
        }
        if (value != 0 && Math.abs(value) < 1e-4) {
            return String.format(Locale.ROOT, "%.3e", value);
        }
        return String.format(Locale.ROOT, "%.4f", value);
    }

    private static String anchor(String columnName) {
        return "column-" + Integer.toHexString(columnName.hashCode());
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static final String CSS = """
            body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1e272e;
                   margin: 24px auto; max-width: 1180px; padding: 0 16px; }
            h1 { font-size: 24px; margin: 0 0 12px; }
            h2 { font-size: 18px; margin: 28px 0 10px; }
            h3 { font-size: 15px; margin: 0 0 6px; }
            .verdict { display: inline-block; font-weight: 600; padding: 6px 12px; border-radius: 4px; }
            .verdict.bad { background: #fdecea; color: #b71c1c; }
            .verdict.good { background: #e8f5e9; color: #1b5e20; }
            .cards { display: flex; flex-wrap: wrap; gap: 12px; margin-top: 14px; }
            .card { border: 1px solid #dfe4ea; border-radius: 6px; padding: 10px 16px; min-width: 150px; }
            .card .value { font-size: 22px; font-weight: 600; }
            .card .label { font-size: 12px; color: #57606f; }
            table { border-collapse: collapse; width: 100%; font-size: 13px; }
            th, td { border-bottom: 1px solid #dfe4ea; padding: 6px 8px; text-align: left; }
            th { background: #f1f2f6; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; }
            td.bad, span.bad { color: #b71c1c; font-weight: 600; }
            td.good, span.good { color: #1b5e20; }
            h3 span { font-size: 12px; font-weight: normal; margin-left: 8px; }
            .legend { font-size: 13px; color: #57606f; }
            .swatch { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 10px; vertical-align: -1px; }
            .column { border-top: 1px solid #dfe4ea; padding: 12px 0 16px; }
            .test { font-size: 13px; margin: 0 0 8px; }
            .pair, .trend { display: flex; flex-wrap: wrap; gap: 16px; }
            figure { margin: 0; }
            figcaption { font-size: 12px; color: #57606f; text-align: center; }
            details { margin-top: 8px; font-size: 13px; }
            summary { cursor: pointer; color: #1e3799; }
            table.detail { width: auto; margin: 8px 0; }
            svg .threshold { stroke: #b71c1c; stroke-width: 1; stroke-dasharray: 4 3; }
            svg .line { fill: none; stroke: #1e3799; stroke-width: 1.5; }
            svg circle.mark { fill: #1e3799; }
            svg .grid { stroke: #eceff3; stroke-width: 1; }
            svg .axis { stroke: #57606f; stroke-width: 1; }
            svg .tick { font-size: 10px; fill: #57606f; }
            """;
}
