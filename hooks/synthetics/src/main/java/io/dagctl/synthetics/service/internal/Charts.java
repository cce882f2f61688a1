package io.dagctl.synthetics.service.internal;

import static io.dagctl.synthetics.service.internal.ReportHtml.escape;
import static io.dagctl.synthetics.service.internal.ReportHtml.percent;

import io.dagctl.synthetics.service.internal.QualityReport.Field;
import io.dagctl.synthetics.service.internal.QualityReport.Histogram;
import io.dagctl.synthetics.service.internal.QualityReport.Projection;
import java.util.List;
import java.util.Locale;

/**
 * The report's charts as inline SVG with labelled axes. Every data mark (a bar, a matrix cell, a point) carries
 * {@code class="mark"} and a {@code <title>} with its value, so a reader hovering sees it and a test can count it.
 */
final class Charts {
    static final String TRAINING = "#4c78a8";
    static final String SYNTHETIC = "#f58518";

    private static final int LEFT = 52;
    private static final int TOP = 12;
    private static final int RIGHT = 12;
    private static final int HISTOGRAM_WIDTH = 500;
    private static final int HISTOGRAM_PLOT_HEIGHT = 180;
    private static final int HISTOGRAM_BOTTOM = 78;
    private static final int X_TICKS = 5;
    /** Width kept right of a numeric histogram's bins for the missing share. */
    private static final int MISSING_AREA = 84;
    /** Bins at least this wide (few categories) have their values written above the bars. */
    private static final int MIN_LABELLED_SLOT = 70;
    private static final int CELL = 34;
    private static final int MATRIX_LABELS = 180;
    private static final int SCATTER_SIZE = 520;
    private static final int SCATTER_BOTTOM = 44;
    /** A difference of associations at or above this is drawn at full colour. */
    private static final double FULL_DIFFERENCE = 0.2;

    private Charts() {
    }

    /**
     * Bars of the training and synthetic shares per bin or category; a numeric field's missing share stands apart
     * at the right, with its value written above it.
     */
    static void histogram(StringBuilder h, Field field) {
        Histogram histogram = field.histogram();
        boolean numeric = !histogram.edges().isEmpty();
        List<String> labels = histogram.labels();
        int n = labels.size();
        double plotWidth = HISTOGRAM_WIDTH - LEFT - RIGHT;
        double binsWidth = plotWidth - (numeric ? MISSING_AREA : 0);
        double slot = binsWidth / Math.max(1, n);
        double top = 0;
        for (int i = 0; i < n; i++) {
            top = Math.max(top, Math.max(histogram.training()[i], histogram.synthetic()[i]));
        }
        if (numeric) {
            top = Math.max(top, Math.max(field.trainingNullRate(), field.syntheticNullRate()));
        }
        double[] ticks = ticks(0, Math.max(top, 0.01));
        double yMax = ticks[ticks.length - 1];
        int height = TOP + HISTOGRAM_PLOT_HEIGHT + HISTOGRAM_BOTTOM;
        h.append("<figure><figcaption>").append(escape(field.name())).append(" — JS distance ")
                .append(ReportHtml.fmt(field.jensenShannonDistance())).append("</figcaption>");
        open(h, "hist-" + field.name(), HISTOGRAM_WIDTH, height);
        double baseline = TOP + HISTOGRAM_PLOT_HEIGHT;
        for (double tick : ticks) {
            double y = baseline - tick / yMax * HISTOGRAM_PLOT_HEIGHT;
            h.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                    + "stroke=\"#e4e4e4\"/><text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
                    LEFT, y, LEFT + plotWidth, y, LEFT - 4, y + 3, percentTick(tick)));
        }
        for (int i = 0; i < n; i++) {
            double x = LEFT + i * slot;
            bars(h, x, slot, baseline, yMax, labels.get(i), histogram.training()[i], histogram.synthetic()[i]);
            if (slot >= MIN_LABELLED_SLOT) {
                valueAbove(h, x + slot * 0.3, baseline, yMax, histogram.training()[i]);
                valueAbove(h, x + slot * 0.7, baseline, yMax, histogram.synthetic()[i]);
            }
        }
        if (numeric) {
            double area = LEFT + binsWidth;
            double middle = area + MISSING_AREA / 2.0;
            h.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" "
                    + "stroke=\"#aaa\" stroke-dasharray=\"3 3\"/>", area + 8, TOP, area + 8, baseline));
            bars(h, middle - 20, 40, baseline, yMax, "missing", field.trainingNullRate(), field.syntheticNullRate());
            text(h, middle, baseline + 14, "middle", "missing");
            text(h, middle, baseline + 27, "middle", percent(field.trainingNullRate()) + " / "
                    + percent(field.syntheticNullRate()));
            List<String> edges = histogram.edges();
            int every = (int) Math.ceil((double) edges.size() / X_TICKS);
            for (int e = 0; e < edges.size(); e += every) {
                double ex = LEFT + e * slot;
                if (e > 0 && ex > LEFT + binsWidth - 20) {
                    break; // it would run into the missing share's label
                }
                h.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                        + "stroke=\"#888\"/>", ex, baseline, ex, baseline + 4));
                text(h, ex, baseline + 14, "middle", edges.get(e));
            }
        } else {
            for (int i = 0; i < n; i++) {
                double lx = LEFT + i * slot + slot / 2;
                h.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" "
                        + "transform=\"rotate(-40 %.1f %.1f)\">", lx, baseline + 10, lx, baseline + 10))
                        .append(escape(shorten(labels.get(i)))).append("</text>");
            }
        }
        axes(h, LEFT, baseline, LEFT + plotWidth, TOP);
        text(h, LEFT + plotWidth / 2, height - 4, "middle", field.name() + (numeric ? " (value)" : " (category)"));
        yTitle(h, baseline - HISTOGRAM_PLOT_HEIGHT / 2.0, "share of rows");
        h.append("</svg></figure>");
    }

    /**
     * A matrix of associations (blue for positive, red for negative) or of their absolute differences (red, full
     * at {@value #FULL_DIFFERENCE}), its value written in each cell. Columns are numbered as the rows.
     */
    static void heatmap(StringBuilder h, String id, String title, List<String> names, double[][] values,
                        boolean difference) {
        int n = names.size();
        int width = MATRIX_LABELS + n * CELL + RIGHT;
        int height = TOP + 14 + n * CELL + 8;
        h.append("<figure><figcaption>").append(escape(title)).append("</figcaption>");
        open(h, id, width, height);
        int gridTop = TOP + 14;
        for (int b = 0; b < n; b++) {
            text(h, MATRIX_LABELS + b * CELL + CELL / 2.0, gridTop - 4, "middle", Integer.toString(b + 1));
        }
        for (int a = 0; a < n; a++) {
            double y = gridTop + a * CELL;
            text(h, MATRIX_LABELS - 6, y + CELL / 2.0 + 3, "end", shorten(names.get(a), 26) + " " + (a + 1));
            for (int b = 0; b < n; b++) {
                double v = values[a][b];
                double strength = difference ? Math.min(1, v / FULL_DIFFERENCE) : Math.min(1, Math.abs(v));
                String colour = difference || v < 0 ? shade(214, 39, 40, strength) : shade(76, 120, 168, strength);
                double x = MATRIX_LABELS + b * CELL;
                h.append(String.format(Locale.ROOT, "<rect class=\"mark\" x=\"%.1f\" y=\"%.1f\" width=\"%d\" "
                        + "height=\"%d\" fill=\"%s\" stroke=\"#fff\"><title>", x, y, CELL, CELL, colour))
                        .append(escape(names.get(a))).append(" / ").append(escape(names.get(b))).append(": ")
                        .append(String.format(Locale.ROOT, "%.3f", v)).append("</title></rect>");
                h.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                        + "fill=\"%s\">%.2f</text>", x + CELL / 2.0, y + CELL / 2.0 + 3,
                        strength > 0.6 ? "#fff" : "#222", Math.abs(v) < 0.005 ? 0.0 : v));
            }
        }
        h.append("</svg></figure>");
    }

    /** Training and synthetic rows as points on the first two principal components of the training data. */
    static void scatter(StringBuilder h, Projection projection) {
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (double[][] points : List.of(projection.training(), projection.synthetic())) {
            for (double[] p : points) {
                minX = Math.min(minX, p[0]);
                maxX = Math.max(maxX, p[0]);
                minY = Math.min(minY, p[1]);
                maxY = Math.max(maxY, p[1]);
            }
        }
        double[] xTicks = ticks(minX, maxX);
        double[] yTicks = ticks(minY, maxY);
        double plot = SCATTER_SIZE - LEFT - RIGHT;
        int height = TOP + (int) plot + SCATTER_BOTTOM;
        double baseline = TOP + plot;
        open(h, "pca", SCATTER_SIZE, height);
        Scale x = new Scale(xTicks[0], xTicks[xTicks.length - 1], LEFT, LEFT + plot);
        Scale y = new Scale(yTicks[0], yTicks[yTicks.length - 1], baseline, TOP);
        for (double t : xTicks) {
            h.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" "
                    + "stroke=\"#e4e4e4\"/>", x.at(t), TOP, x.at(t), baseline));
            text(h, x.at(t), baseline + 14, "middle", number(t));
        }
        for (double t : yTicks) {
            h.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                    + "stroke=\"#e4e4e4\"/>", LEFT, y.at(t), LEFT + plot, y.at(t)));
            text(h, LEFT - 4, y.at(t) + 3, "end", number(t));
        }
        points(h, projection.training(), x, y, TRAINING, "training");
        points(h, projection.synthetic(), x, y, SYNTHETIC, "synthetic");
        axes(h, LEFT, baseline, LEFT + plot, TOP);
        text(h, LEFT + plot / 2, height - 6, "middle", String.format(Locale.ROOT,
                "PC1 (%.1f%% of the training variance)", projection.explainedVariance()[0] * 100));
        yTitle(h, TOP + plot / 2, String.format(Locale.ROOT, "PC2 (%.1f%% of the training variance)",
                projection.explainedVariance()[1] * 100));
        h.append("</svg>");
    }

    private record Scale(double from, double to, double start, double end) {
        double at(double v) {
            return to == from ? (start + end) / 2 : start + (v - from) / (to - from) * (end - start);
        }
    }

    private static void points(StringBuilder h, double[][] points, Scale x, Scale y, String colour, String set) {
        for (double[] p : points) {
            h.append(String.format(Locale.ROOT, "<circle class=\"mark\" cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\" "
                    + "fill-opacity=\"0.55\"><title>%s (%.2f, %.2f)</title></circle>", x.at(p[0]), y.at(p[1]),
                    colour, set, p[0], p[1]));
        }
    }

    private static void valueAbove(StringBuilder h, double x, double baseline, double yMax, double share) {
        text(h, x, baseline - share / yMax * HISTOGRAM_PLOT_HEIGHT - 3, "middle", percent(share));
    }

    private static void bars(StringBuilder h, double x, double slot, double baseline, double yMax, String label,
                             double training, double synthetic) {
        double width = slot * 0.4;
        bar(h, x + slot * 0.1, width, baseline, training / yMax * HISTOGRAM_PLOT_HEIGHT, TRAINING,
                label + " training: " + percent(training));
        bar(h, x + slot * 0.5, width, baseline, synthetic / yMax * HISTOGRAM_PLOT_HEIGHT, SYNTHETIC,
                label + " synthetic: " + percent(synthetic));
    }

    private static void bar(StringBuilder h, double x, double width, double baseline, double height, String colour,
                            String title) {
        h.append(String.format(Locale.ROOT, "<rect class=\"mark\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                + "height=\"%.1f\" fill=\"%s\"><title>", x, baseline - height, width, height, colour))
                .append(escape(title)).append("</title></rect>");
    }

    private static void open(StringBuilder h, String id, int width, int height) {
        h.append("<svg id=\"").append(escape(id)).append("\" width=\"").append(width).append("\" height=\"")
                .append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" font-size=\"10\" font-family=\"sans-serif\" role=\"img\">");
    }

    private static void axes(StringBuilder h, double left, double bottom, double right, double top) {
        h.append(String.format(Locale.ROOT, "<path d=\"M%.1f %.1fV%.1fH%.1f\" fill=\"none\" stroke=\"#555\"/>",
                left, top, bottom, right));
    }

    private static void yTitle(StringBuilder h, double middle, String title) {
        h.append(String.format(Locale.ROOT, "<text x=\"12\" y=\"%.1f\" text-anchor=\"middle\" "
                + "transform=\"rotate(-90 12 %.1f)\">", middle, middle)).append(escape(title)).append("</text>");
    }

    private static void text(StringBuilder h, double x, double y, String anchor, String text) {
        h.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">", x, y, anchor))
                .append(escape(text)).append("</text>");
    }

    /** Round tick values covering [from, to]: steps of 1, 2 or 5 times a power of ten, about five of them. */
    static double[] ticks(double from, double to) {
        if (to <= from) {
            to = from + 1;
        }
        double raw = (to - from) / 5;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = raw / magnitude <= 1 ? magnitude : raw / magnitude <= 2 ? 2 * magnitude
                : raw / magnitude <= 5 ? 5 * magnitude : 10 * magnitude;
        long first = (long) Math.floor(from / step + 1e-9);
        long last = (long) Math.ceil(to / step - 1e-9);
        double[] ticks = new double[(int) (last - first + 1)];
        for (int i = 0; i < ticks.length; i++) {
            ticks[i] = (first + i) * step;
        }
        return ticks;
    }

    private static String percentTick(double share) {
        return String.format(Locale.ROOT, share * 100 >= 10 || share == 0 ? "%.0f%%" : "%.1f%%", share * 100);
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, Math.abs(v) >= 10 || v == Math.rint(v) ? "%.0f" : "%.1f", v);
    }

    private static String shade(int r, int g, int b, double strength) {
        return String.format(Locale.ROOT, "rgb(%d,%d,%d)", mix(r, strength), mix(g, strength), mix(b, strength));
    }

    private static int mix(int channel, double strength) {
        return (int) Math.round(255 + (channel - 255) * strength);
    }

    private static String shorten(String label) {
        return shorten(label, 14);
    }

    private static String shorten(String label, int length) {
        return label.length() <= length ? label : label.substring(0, length - 1) + "…";
    }
}
