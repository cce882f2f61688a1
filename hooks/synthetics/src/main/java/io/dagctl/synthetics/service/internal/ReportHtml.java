package io.dagctl.synthetics.service.internal;

import io.dagctl.synthetics.service.internal.QualityReport.Field;
import io.dagctl.synthetics.service.internal.QualityReport.Score;
import java.util.List;
import java.util.Locale;

/** The quality report as one self-contained HTML page: tables and inline SVG charts, no scripts, no web fonts. */
public final class ReportHtml {
    private ReportHtml() {
    }

    public static String render(String title, QualityReport report) {
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(escape(title))
                .append("</title><style>")
                .append("body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1100px}")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;")
                .append("text-align:right}th{background:#f3f3f3}td.l,th.l{text-align:left}")
                .append(".score{font-size:2.5em;font-weight:bold}.charts{display:flex;flex-wrap:wrap;gap:1em}")
                .append(".legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px}")
                .append("figure{margin:0}figcaption{font-weight:bold;font-size:.9em}")
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

        rulesTable(h, report.rules());

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

        h.append("<h2 id=\"distributions\">Distributions</h2><p>Share of all rows per value, or per equal-width ")
                .append("bin over the range both data sets cover; missing values are shown apart, at the right.</p>");
        legend(h);
        h.append("<div class=\"charts\">");
        for (Field f : report.fields()) {
            Charts.histogram(h, f);
        }
        h.append("</div>");

        QualityReport.Correlations c = report.correlations();
        h.append("<h2 id=\"associations\">Associations</h2><p>Pearson's r for two numbers, Theil's U for two ")
                .append("categories (row given column), the correlation ratio for a number and a category.</p>")
                .append("<div class=\"charts\">");
        Charts.heatmap(h, "corr-training", "Training", c.fields(), c.training(), false);
        Charts.heatmap(h, "corr-synthetic", "Synthetic", c.fields(), c.synthetic(), false);
        h.append("</div><div class=\"charts\">");
        Charts.heatmap(h, "corr-difference", "|Training − synthetic|", c.fields(), difference(c), true);
        h.append("</div>");

        QualityReport.Projection projection = report.principalComponents().projection();
        if (projection.training().length > 0) {
            h.append("<h2 id=\"components\">Principal components</h2><p>Rows of both data sets (up to 400 of ")
                    .append("each) on the first two principal components of the standardized training numbers and ")
                    .append("one-hot categories.</p>");
            legend(h);
            Charts.scatter(h, projection);
        }
        h.append("</body></html>\n");
        return h.toString();
    }

    private static void rulesTable(StringBuilder h, List<QualityReport.Rule> rules) {
        h.append("<h2 id=\"rules\">Rules every training row keeps</h2>");
        if (rules.isEmpty()) {
            h.append("<p>No inequality between numeric columns holds in every training row.</p>");
            return;
        }
        h.append("<p>Inequalities between numeric columns found in the training data (a row with a missing value ")
                .append("keeps a rule); generated rows that break one are drawn again.</p>")
                .append("<table><tr><th class=\"l\">Rule</th><th>Training rows keeping it</th>")
                .append("<th>Synthetic rows keeping it</th><th>Synthetic rows breaking it</th></tr>");
        for (QualityReport.Rule rule : rules) {
            h.append("<tr><td class=\"l\">").append(escape(rule.rule())).append("</td><td>")
                    .append(percent(rule.trainingShare())).append("</td><td>").append(percent(rule.syntheticShare()))
                    .append("</td><td>").append(rule.syntheticRowsBreaking()).append("</td></tr>");
        }
        h.append("</table>");
    }

    private static void legend(StringBuilder h) {
        h.append("<p class=\"legend\"><span style=\"background:").append(Charts.TRAINING).append("\"></span>training")
                .append("<span style=\"background:").append(Charts.SYNTHETIC).append("\"></span>synthetic</p>");
    }

    private static double[][] difference(QualityReport.Correlations c) {
        int n = c.fields().size();
        double[][] d = new double[n][n];
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                d[a][b] = Math.abs(c.training()[a][b] - c.synthetic()[a][b]);
            }
        }
        return d;
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

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    static String percent(double v) {
        return String.format(Locale.ROOT, "%.1f%%", v * 100);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
