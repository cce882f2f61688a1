package io.dagctl.drift.internal;

import io.dagctl.drift.ColumnDistribution;
import io.dagctl.drift.ColumnDrift;
import io.dagctl.drift.DriftReport;
import java.util.List;
import java.util.Locale;

/**
 * Renders a {@link DriftReport} as one self-contained HTML page: inline CSS, inline SVG charts, no scripts, fonts
 * or links, so it can be mailed, archived or opened offline.
 */
public final class HtmlReport {
    private static final String REFERENCE_COLOUR = "#4b6584";
    private static final String CURRENT_COLOUR = "#e55039";
    private static final int CHART_WIDTH = 540;
    private static final int CHART_HEIGHT = 200;
    private static final int LEFT = 44;
    private static final int RIGHT = 10;
    private static final int TOP = 10;
    private static final int BOTTOM = 46;
    /** Beyond this many values a categorical chart shows the most frequent ones only. */
    private static final int MAX_BARS = 30;

    private HtmlReport() {
    }

    public static String render(DriftReport report) {
        StringBuilder html = new StringBuilder(16_384);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>Data drift report</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        summary(html, report);
        table(html, report);
        html.append("<h2>Distributions</h2>\n<p class=\"legend\"><span class=\"swatch\" style=\"background:")
                .append(REFERENCE_COLOUR).append("\"></span>reference <span class=\"swatch\" style=\"background:")
                .append(CURRENT_COLOUR).append("\"></span>current (share of non-missing values)</p>\n");
        for (ColumnDrift column : report.columns()) {
            html.append("<section class=\"chart\"><h3>").append(escape(column.columnName()))
                    .append(" <span class=\"").append(column.driftDetected() ? "bad" : "good").append("\">")
                    .append(column.verdict()).append("</span></h3>\n");
            if (column.hasValues()) {
                chart(html, column.distribution());
            }
            html.append("</section>\n");
        }
        return html.append("</body>\n</html>\n").toString();
    }

    private static void summary(StringBuilder html, DriftReport report) {
        html.append("<h1>Data drift report</h1>\n<div class=\"verdict ").append(report.datasetDrift() ? "bad" : "good")
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
        html.append("<h2>Columns</h2>\n<table>\n<thead><tr><th>Column</th><th>Type</th><th>Test</th><th>Threshold</th>")
                .append("<th>Score</th><th>Drift</th><th>Reference values</th><th>Current values</th>")
                .append("<th>Missing (reference / current)</th><th>Distinct values</th>")
                .append("</tr></thead>\n<tbody>\n");
        for (ColumnDrift c : report.columns()) {
            html.append("<tr><td>").append(escape(c.columnName())).append("</td><td>").append(c.columnType().evidentlyName())
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

    private static void chart(StringBuilder html, ColumnDistribution distribution) {
        List<Integer> shown = shownIndices(distribution);
        double max = 0;
        for (int k : shown) {
            max = Math.max(max, Math.max(distribution.reference().get(k), distribution.current().get(k)));
        }
        double top = niceCeiling(max);
        int plotWidth = CHART_WIDTH - LEFT - RIGHT;
        int plotHeight = CHART_HEIGHT - TOP - BOTTOM;
        html.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(CHART_WIDTH).append("\" height=\"")
                .append(CHART_HEIGHT).append("\" viewBox=\"0 0 ").append(CHART_WIDTH).append(' ').append(CHART_HEIGHT)
                .append("\" role=\"img\">\n");
        for (int tick = 0; tick <= 4; tick++) {
            double value = top * tick / 4;
            double y = TOP + plotHeight - plotHeight * tick / 4.0;
            html.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">%s</text>\n",
                    LEFT, LEFT + plotWidth, y, y, LEFT - 4, y + 3, percent(value)));
        }
        double slot = plotWidth / (double) shown.size();
        boolean binned = distribution.binned();
        for (int s = 0; s < shown.size(); s++) {
            int k = shown.get(s);
            double x = LEFT + s * slot;
            if (binned) {
                // overlaid histogram: bins touch, the current sample drawn over the reference
                bar(html, x, slot, distribution.reference().get(k), top, plotHeight, REFERENCE_COLOUR, 0.55);
                bar(html, x, slot, distribution.current().get(k), top, plotHeight, CURRENT_COLOUR, 0.45);
            } else {
                double width = slot * 0.4;
                bar(html, x + slot * 0.1, width, distribution.reference().get(k), top, plotHeight, REFERENCE_COLOUR, 0.9);
                bar(html, x + slot * 0.5, width, distribution.current().get(k), top, plotHeight, CURRENT_COLOUR, 0.9);
            }
        }
        xLabels(html, distribution, shown, slot, plotHeight);
        html.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" class=\"axis\"/>\n",
                LEFT, LEFT + plotWidth, TOP + plotHeight, TOP + plotHeight));
        html.append("</svg>\n");
    }

    private static void bar(StringBuilder html, double x, double width, double share, double top, int plotHeight,
                            String colour, double opacity) {
        double height = top == 0 ? 0 : plotHeight * share / top;
        html.append(String.format(Locale.ROOT,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" fill-opacity=\"%.2f\"><title>%s</title></rect>\n",
                x, TOP + plotHeight - height, Math.max(width - 0.5, 0.5), height, colour, opacity, percent(share)));
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
            .chart { display: inline-block; vertical-align: top; margin: 0 16px 20px 0; }
            svg .grid { stroke: #eceff3; stroke-width: 1; }
            svg .axis { stroke: #57606f; stroke-width: 1; }
            svg .tick { font-size: 10px; fill: #57606f; }
            """;
}
