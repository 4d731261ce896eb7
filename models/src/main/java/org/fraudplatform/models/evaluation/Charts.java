package org.fraudplatform.models.evaluation;

import java.util.List;
import java.util.Locale;

/**
 * Inline SVG for the evaluation report: curves in the unit square and score histograms with
 * logarithmic counts. Plain strings, no script and no external resource, so the report opens
 * anywhere and stays small (a curve holds at most {@link Metrics#CHART_POINTS} points).
 */
final class Charts {

    /** Model colours, in list order (repeated beyond ten models). */
    static final List<String> PALETTE =
            List.of(
                    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
                    "#7f7f7f", "#bcbd22", "#17becf");

    static final String FRAUD = "#d62728";
    static final String GENUINE = "#1f77b4";

    private static final int WIDTH = 560;
    private static final int HEIGHT = 400;
    private static final int LEFT = 56;
    private static final int RIGHT = 170;
    private static final int TOP = 16;
    private static final int BOTTOM = 48;

    private Charts() {}

    /** One named curve. */
    record Series(String name, String colour, List<Metrics.CurvePoint> points) {}

    static String colour(int index) {
        return PALETTE.get(index % PALETTE.size());
    }

    /**
     * Curves in the unit square with a legend on the right; {@code reference} is a dashed line (the
     * chance diagonal of a ROC chart, the fraud rate of a precision-recall chart), or null.
     */
    static String curves(
            String title,
            String xLabel,
            String yLabel,
            List<Series> series,
            List<Metrics.CurvePoint> reference,
            String referenceName) {
        StringBuilder svg = open(title);
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        for (int i = 0; i <= 5; i++) {
            double v = i / 5.0;
            double x = LEFT + v * plotW;
            double y = TOP + plotH - v * plotH;
            svg.append(line(x, TOP, x, TOP + plotH, "#eee"))
                    .append(line(LEFT, y, LEFT + plotW, y, "#eee"))
                    .append(text(x, TOP + plotH + 16, "middle", fmt(v, 1)))
                    .append(text(LEFT - 6, y + 4, "end", fmt(v, 1)));
        }
        axes(svg, plotW, plotH, xLabel, yLabel);
        if (reference != null) {
            svg.append("<polyline fill=\"none\" stroke=\"#999\" stroke-dasharray=\"4 4\" points=\"")
                    .append(points(reference, plotW, plotH))
                    .append("\"/>\n");
        }
        int row = 0;
        for (Series s : series) {
            svg.append("<polyline fill=\"none\" stroke-width=\"1.8\" stroke=\"")
                    .append(s.colour())
                    .append("\" points=\"")
                    .append(points(s.points(), plotW, plotH))
                    .append("\"/>\n");
            legend(svg, row++, s.colour(), s.name(), false);
        }
        if (reference != null) {
            legend(svg, row, "#999", referenceName, true);
        }
        return svg.append("</svg>\n").toString();
    }

    /**
     * Fraud and genuine counts per score bin, side by side, on a logarithmic count axis (a fraud
     * bar of 1 stays visible next to genuine bars of 100 000).
     */
    static String histogram(String title, Metrics.ScoreHistogram h) {
        return histogram(title, h, "score", "genuine", "fraud");
    }

    /**
     * As {@link #histogram(String, Metrics.ScoreHistogram)}, naming the axis and the two series:
     * {@code first} is the histogram's genuine counts, {@code second} its fraud counts.
     */
    static String histogram(
            String title, Metrics.ScoreHistogram h, String xLabel, String first, String second) {
        StringBuilder svg = open(title);
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        long max = 1;
        for (int i = 0; i < h.fraud().length; i++) {
            max = Math.max(max, Math.max(h.fraud()[i], h.genuine()[i]));
        }
        double floor = Math.log10(0.5); // a count of 1 still shows as a short bar
        double top = Math.ceil(Math.log10(max));
        if (top <= 0) {
            top = 1;
        }
        for (int decade = 0; decade <= top; decade++) {
            double y = TOP + plotH - (decade - floor) / (top - floor) * plotH;
            svg.append(line(LEFT, y, LEFT + plotW, y, "#eee"))
                    .append(
                            text(
                                    LEFT - 6,
                                    y + 4,
                                    "end",
                                    decade < 4
                                            ? String.valueOf((long) Math.pow(10, decade))
                                            : "1e" + decade));
        }
        int bins = h.fraud().length;
        double binW = plotW / bins;
        double[] edges = h.edges();
        for (int i = 0; i <= bins; i += Math.max(1, bins / 5)) {
            double x = LEFT + i * binW;
            svg.append(text(x, TOP + plotH + 16, "middle", fmt(edges[i], 2)));
        }
        for (int i = 0; i < bins; i++) {
            bar(svg, LEFT + i * binW + 1, binW / 2 - 1, h.genuine()[i], floor, top, plotH, GENUINE);
            bar(
                    svg,
                    LEFT + i * binW + binW / 2,
                    binW / 2 - 1,
                    h.fraud()[i],
                    floor,
                    top,
                    plotH,
                    FRAUD);
        }
        axes(svg, plotW, plotH, xLabel, "rows (log scale)");
        legend(svg, 0, GENUINE, first, false);
        legend(svg, 1, FRAUD, second, false);
        return svg.append("</svg>\n").toString();
    }

    private static void bar(
            StringBuilder svg,
            double x,
            double width,
            long count,
            double floor,
            double top,
            double plotH,
            String colour) {
        if (count == 0) {
            return;
        }
        double height = (Math.log10(count) - floor) / (top - floor) * plotH;
        svg.append("<rect x=\"")
                .append(fmt(x, 1))
                .append("\" y=\"")
                .append(fmt(TOP + plotH - height, 1))
                .append("\" width=\"")
                .append(fmt(Math.max(width, 0.5), 1))
                .append("\" height=\"")
                .append(fmt(height, 1))
                .append("\" fill=\"")
                .append(colour)
                .append("\"><title>")
                .append(count)
                .append("</title></rect>\n");
    }

    private static StringBuilder open(String title) {
        return new StringBuilder()
                .append("<svg role=\"img\" width=\"")
                .append(WIDTH)
                .append("\" height=\"")
                .append(HEIGHT)
                .append("\" viewBox=\"0 0 ")
                .append(WIDTH)
                .append(' ')
                .append(HEIGHT)
                .append("\" font-family=\"sans-serif\" font-size=\"11\"><title>")
                .append(Html.escape(title))
                .append("</title>\n");
    }

    private static void axes(
            StringBuilder svg, double plotW, double plotH, String xLabel, String yLabel) {
        svg.append(line(LEFT, TOP + plotH, LEFT + plotW, TOP + plotH, "#333"))
                .append(line(LEFT, TOP, LEFT, TOP + plotH, "#333"))
                .append(text(LEFT + plotW / 2, HEIGHT - 12, "middle", xLabel))
                .append("<text transform=\"translate(14 ")
                .append(fmt(TOP + plotH / 2, 1))
                .append(") rotate(-90)\" text-anchor=\"middle\">")
                .append(Html.escape(yLabel))
                .append("</text>\n");
    }

    private static void legend(
            StringBuilder svg, int row, String colour, String name, boolean dashed) {
        double x = WIDTH - RIGHT + 12;
        double y = TOP + 8 + row * 18;
        svg.append("<line x1=\"")
                .append(fmt(x, 1))
                .append("\" y1=\"")
                .append(fmt(y, 1))
                .append("\" x2=\"")
                .append(fmt(x + 18, 1))
                .append("\" y2=\"")
                .append(fmt(y, 1))
                .append("\" stroke-width=\"3\" stroke=\"")
                .append(colour)
                .append(dashed ? "\" stroke-dasharray=\"4 3\"/>" : "\"/>")
                .append(text(x + 24, y + 4, "start", shorten(name)));
    }

    private static String shorten(String name) {
        return name.length() <= 24 ? name : name.substring(0, 23) + "…";
    }

    private static String points(List<Metrics.CurvePoint> points, double plotW, double plotH) {
        StringBuilder s = new StringBuilder(points.size() * 12);
        for (Metrics.CurvePoint p : points) {
            s.append(fmt(LEFT + p.x() * plotW, 1))
                    .append(',')
                    .append(fmt(TOP + plotH - p.y() * plotH, 1))
                    .append(' ');
        }
        return s.toString().trim();
    }

    private static String line(double x1, double y1, double x2, double y2, String colour) {
        return "<line x1=\""
                + fmt(x1, 1)
                + "\" y1=\""
                + fmt(y1, 1)
                + "\" x2=\""
                + fmt(x2, 1)
                + "\" y2=\""
                + fmt(y2, 1)
                + "\" stroke=\""
                + colour
                + "\"/>\n";
    }

    private static String text(double x, double y, String anchor, String value) {
        return "<text x=\""
                + fmt(x, 1)
                + "\" y=\""
                + fmt(y, 1)
                + "\" text-anchor=\""
                + anchor
                + "\">"
                + Html.escape(value)
                + "</text>\n";
    }

    static String fmt(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
