package io.dagctl.synthetics.service.internal;

import io.dagctl.synthetics.service.internal.QualityReport.Field;
import io.dagctl.synthetics.service.internal.QualityReport.Score;
import java.util.List;
import java.util.Locale;

/** The quality report as one self-contained HTML page: tables and inline SVG charts, no scripts, no web fonts. */
public final class ReportHtml {
    private static final int CHART_WIDTH = 460;
    private static final int CHART_HEIGHT = 200;
    private static final int LABEL_HEIGHT = 70;

    private ReportHtml() {
    }

    public static String render(String title, QualityReport report) {
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(escape(title))
                .append("</title><style>")
                .append("body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1000px}")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;")
                .append("text-align:right}th{background:#f3f3f3}td.l,th.l{text-align:left}")
                .append(".score{font-size:2.5em;font-weight:bold}.charts{display:flex;flex-wrap:wrap;gap:1em}")
                .append(".legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px}")
                .append("</style></head><body>");
        h.append("<h1>").append(escape(title)).append("</h1>");
        Score sqs = report.syntheticQualityScore();
        h.append("<p>Synthetic Quality Score</p><p class=\"score\">").append(sqs.score()).append(" <small>")
                .append(sqs.grade()).append("</small></p>");
        h.append("<p>").append(report.trainingRecords()).append(" training records, ")
                .append(report.syntheticRecords()).append(" synthetic records.</p>");

        h.append("<h2>Scores</h2><table><tr><th class=\"l\">Metric</th><th>Score (0–100)</th><th class=\"l\">Grade</th>")
                .append("<th class=\"l\">Measured</th></tr>");
        scoreRow(h, "Synthetic Quality Score = (FCS + 0.84·PCS + 0.86·FDS) / 2.7", sqs, "");
        scoreRow(h, "Field Correlation Stability (FCS)", report.fieldCorrelationStability(),
                "mean |Δ association| = " + fmt(report.meanCorrelationDifference()));
        scoreRow(h, "Principal Component Stability (PCS)", report.principalComponentStability(),
                "structure distance = " + fmt(report.principalComponents().distance()));
        scoreRow(h, "Field Distribution Stability (FDS)", report.fieldDistributionStability(),
                "mean Jensen–Shannon distance = " + fmt(report.meanJensenShannonDistance()));
        h.append("</table>");
        h.append("<p>FDS = 7.44d² − 16.646d + 10.305 of the mean Jensen–Shannon distance d (base 2) between each ")
                .append("field's training and synthetic distributions (numbers in 20 bins at training quantiles, ")
                .append("categories by value, missing values as a bin); 10 below d = 0.02, 0 above 0.99. ")
                .append("FCS = 37.562r² − 35.643r + 10.056 of the mean absolute difference r between the ")
                .append("association matrices (Pearson for two numbers, Theil's U for two categories, the ")
                .append("correlation ratio for a number and a category); 10 below r = 0.01, 0 above 0.46. ")
                .append("PCS compares the principal components of the standardized numbers and one-hot categories: ")
                .append("the distance is the mean of the total variation distance between the explained-variance ")
                .append("spectra and one minus the mean squared cosine of the principal angles between the ")
                .append("subspaces of the leading axes (")
                .append(report.principalComponents().axesCompared())
                .append(" axes, 80% of the training variance); PCS = 10·(1 − 2·distance).</p>");

        h.append("<h2>Privacy</h2><table><tr><th class=\"l\">Measure</th><th>Min</th><th>5th percentile</th>")
                .append("<th>Median</th></tr>");
        distanceRow(h, "Nearest training row, from synthetic rows", report.privacy().syntheticToTraining());
        distanceRow(h, "Nearest other training row, from training rows", report.privacy().trainingToTraining());
        h.append("</table><p>Synthetic rows that copy a training row (ids ignored): <b>")
                .append(report.privacy().exactMatches()).append("</b>. Distances are Euclidean over standardized ")
                .append("numbers, a category mismatch or a one-sided missing value counting 1.</p>");

        h.append("<h2>Fields</h2><table><tr><th class=\"l\">Field</th><th class=\"l\">Type</th>")
                .append("<th>JS distance</th><th>Missing (training)</th><th>Missing (synthetic)</th>")
                .append("<th>Distinct (training)</th><th>Distinct (synthetic)</th></tr>");
        for (Field f : report.fields()) {
            h.append("<tr><td class=\"l\">").append(escape(f.name())).append("</td><td class=\"l\">")
                    .append(f.kind().name().toLowerCase(Locale.ROOT)).append("</td><td>")
                    .append(fmt(f.jensenShannonDistance())).append("</td><td>").append(percent(f.trainingNullRate()))
                    .append("</td><td>").append(percent(f.syntheticNullRate())).append("</td><td>")
                    .append(f.trainingDistinct()).append("</td><td>").append(f.syntheticDistinct())
                    .append("</td></tr>");
        }
        h.append("</table>");

        correlationTable(h, report.correlations());

        h.append("<h2>Distributions</h2><p class=\"legend\"><span style=\"background:#4c78a8\"></span>training")
                .append("<span style=\"background:#f58518\"></span>synthetic</p><div class=\"charts\">");
        for (Field f : report.fields()) {
            chart(h, f);
        }
        h.append("</div></body></html>\n");
        return h.toString();
    }

    private static void scoreRow(StringBuilder h, String name, Score score, String measured) {
        h.append("<tr><td class=\"l\">").append(escape(name)).append("</td><td>").append(score.score())
                .append("</td><td class=\"l\">").append(score.grade()).append("</td><td class=\"l\">")
                .append(escape(measured)).append("</td></tr>");
    }

    private static void distanceRow(StringBuilder h, String name, QualityReport.Distances d) {
        h.append("<tr><td class=\"l\">").append(name).append("</td><td>").append(fmt(d.min())).append("</td><td>")
                .append(fmt(d.percentile5())).append("</td><td>").append(fmt(d.median())).append("</td></tr>");
    }

    private static void correlationTable(StringBuilder h, QualityReport.Correlations c) {
        List<String> names = c.fields();
        h.append("<h2>Association differences</h2><p>|training − synthetic| per pair (row given column); ")
                .append("darker is a larger difference.</p><table><tr><th></th>");
        for (String n : names) {
            h.append("<th class=\"l\">").append(escape(n)).append("</th>");
        }
        h.append("</tr>");
        for (int a = 0; a < names.size(); a++) {
            h.append("<tr><th class=\"l\">").append(escape(names.get(a))).append("</th>");
            for (int b = 0; b < names.size(); b++) {
                double diff = a == b ? 0 : Math.abs(c.training()[a][b] - c.synthetic()[a][b]);
                int shade = (int) Math.round(255 - Math.min(1, diff / 0.2) * 155);
                h.append("<td style=\"background:rgb(255,").append(shade).append(',').append(shade).append(")\">")
                        .append(a == b ? "" : String.format(Locale.ROOT, "%.3f", diff)).append("</td>");
            }
            h.append("</tr>");
        }
        h.append("</table>");
    }

    private static void chart(StringBuilder h, Field f) {
        List<String> labels = f.histogram().labels();
        double[] t = f.histogram().training();
        double[] s = f.histogram().synthetic();
        double max = 0;
        for (int i = 0; i < t.length; i++) {
            max = Math.max(max, Math.max(t[i], s[i]));
        }
        int n = Math.max(1, labels.size());
        double slot = (double) CHART_WIDTH / n;
        double bar = slot * 0.4;
        h.append("<figure><figcaption>").append(escape(f.name())).append(" — JS distance ")
                .append(fmt(f.jensenShannonDistance())).append("</figcaption><svg")
                .append(" width=\"").append(CHART_WIDTH).append("\" height=\"").append(CHART_HEIGHT + LABEL_HEIGHT)
                .append("\" font-size=\"9\" font-family=\"sans-serif\" role=\"img\">");
        for (int i = 0; i < labels.size(); i++) {
            double x = i * slot + slot * 0.1;
            rect(h, x, t[i], max, bar, "#4c78a8", labels.get(i), "training");
            rect(h, x + bar, s[i], max, bar, "#f58518", labels.get(i), "synthetic");
            double lx = i * slot + slot / 2;
            h.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" transform=\"rotate(45 %.1f %d)\">",
                    lx, CHART_HEIGHT + 10, lx, CHART_HEIGHT + 10)).append(escape(shorten(labels.get(i))))
                    .append("</text>");
        }
        h.append("<line x1=\"0\" y1=\"").append(CHART_HEIGHT).append("\" x2=\"").append(CHART_WIDTH)
                .append("\" y2=\"").append(CHART_HEIGHT).append("\" stroke=\"#888\"/></svg></figure>");
    }

    private static void rect(StringBuilder h, double x, double value, double max, double width, String colour,
                             String label, String set) {
        double height = max == 0 ? 0 : value / max * (CHART_HEIGHT - 10);
        h.append(String.format(Locale.ROOT,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>", x,
                CHART_HEIGHT - height, width, height, colour)).append(escape(label)).append(' ').append(set)
                .append(": ").append(percent(value)).append("</title></rect>");
    }

    private static String shorten(String label) {
        return label.length() <= 14 ? label : label.substring(0, 13) + "…";
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String percent(double v) {
        return String.format(Locale.ROOT, "%.1f%%", v * 100);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
