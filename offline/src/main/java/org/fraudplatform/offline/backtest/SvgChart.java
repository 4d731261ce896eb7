package org.fraudplatform.offline.backtest;

import java.util.List;
import java.util.Locale;

/**
 * Bar charts as inline SVG for the back-test's {@code report.html}: drawn here, with no script, and
 * readable without sight: each chart is an image named by its title ({@code role="img"}, {@code
 * <title>}, {@code <desc>} listing every value), its axes labelled, each bar carrying its value as
 * a tooltip. Well-formed XML, so the report parses as XHTML too.
 */
final class SvgChart {

    /** Series colours, told apart by shade too (blue and orange). */
    private static final List<String> COLOURS = List.of("#4e79a7", "#f28e2b");

    private SvgChart() {}

    /**
     * Vertical bars per category, one per series side by side.
     *
     * @param values values[series][category]
     */
    static String groupedBars(
            String id,
            String title,
            List<String> categories,
            List<String> series,
            long[][] values,
            String yLabel) {
        int width = 640;
        int height = 320;
        int left = 70;
        int right = 20;
        int top = 40;
        int bottom = 60;
        int plotW = width - left - right;
        int plotH = height - top - bottom;
        long max = 0;
        StringBuilder desc = new StringBuilder();
        for (int c = 0; c < categories.size(); c++) {
            desc.append(c == 0 ? "" : "; ").append(categories.get(c)).append(':');
            for (int s = 0; s < series.size(); s++) {
                max = Math.max(max, values[s][c]);
                desc.append(' ').append(series.get(s)).append(' ').append(values[s][c]);
                desc.append(s + 1 < series.size() ? "," : "");
            }
        }
        long step = step(max);
        long topValue = Math.max(step, (max + step - 1) / step * step);
        StringBuilder svg = open(id, title, desc.toString(), width, height);
        axes(svg, left, top, plotW, plotH, step, topValue, true);
        double group = (double) plotW / categories.size();
        double bar = group * 0.8 / series.size();
        for (int c = 0; c < categories.size(); c++) {
            double x0 = left + c * group + group * 0.1;
            for (int s = 0; s < series.size(); s++) {
                long v = values[s][c];
                double h = plotH * (double) v / topValue;
                svg.append(
                        String.format(
                                Locale.ROOT,
                                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\""
                                        + " fill=\"%s\"><title>%s, %s: %d</title></rect>",
                                x0 + s * bar,
                                top + plotH - h,
                                bar - 2,
                                h,
                                COLOURS.get(s % COLOURS.size()),
                                esc(series.get(s)),
                                esc(categories.get(c)),
                                v));
                svg.append(
                        String.format(
                                Locale.ROOT,
                                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%d</text>",
                                x0 + s * bar + (bar - 2) / 2,
                                top + plotH - h - 4,
                                v));
            }
            svg.append(
                    String.format(
                            Locale.ROOT,
                            "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                            left + c * group + group / 2,
                            top + plotH + 18,
                            esc(categories.get(c))));
        }
        // axis title and legend
        svg.append(
                String.format(
                        Locale.ROOT,
                        "<text class=\"axis-label\" transform=\"translate(16 %d) rotate(-90)\""
                                + " text-anchor=\"middle\">%s</text>",
                        top + plotH / 2,
                        esc(yLabel)));
        int x = left;
        for (int s = 0; s < series.size(); s++) {
            svg.append(
                    String.format(
                            Locale.ROOT,
                            "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                                    + "<text x=\"%d\" y=\"%d\">%s</text>",
                            x,
                            height - 22,
                            COLOURS.get(s % COLOURS.size()),
                            x + 16,
                            height - 12,
                            esc(series.get(s))));
            x += 24 + 8 * series.get(s).length();
        }
        return svg.append("</svg>").toString();
    }

    /** One horizontal bar per name, longest to the value's scale. */
    static String horizontalBars(
            String id, String title, List<String> names, List<Long> values, String xLabel) {
        int left = 260;
        int right = 60;
        int top = 40;
        int rowH = 26;
        int width = 760;
        int plotW = width - left - right;
        int plotH = rowH * names.size();
        int height = top + plotH + 50;
        long max = 0;
        StringBuilder desc = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            max = Math.max(max, values.get(i));
            desc.append(i == 0 ? "" : "; ").append(names.get(i)).append(": ").append(values.get(i));
        }
        long step = step(max);
        long topValue = Math.max(step, (max + step - 1) / step * step);
        StringBuilder svg = open(id, title, desc.toString(), width, height);
        axes(svg, left, top, plotW, plotH, step, topValue, false);
        for (int i = 0; i < names.size(); i++) {
            long v = values.get(i);
            double w = plotW * (double) v / topValue;
            int y = top + i * rowH + 4;
            svg.append(
                    String.format(
                            Locale.ROOT,
                            "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>",
                            left - 6,
                            y + 14,
                            esc(shorten(names.get(i)))));
            svg.append(
                    String.format(
                            Locale.ROOT,
                            "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
                                    + "<title>%s: %d</title></rect>",
                            left,
                            y,
                            w,
                            rowH - 8,
                            COLOURS.get(0),
                            esc(names.get(i)),
                            v));
            svg.append(
                    String.format(
                            Locale.ROOT,
                            "<text x=\"%.1f\" y=\"%d\">%d</text>",
                            left + w + 4,
                            y + 14,
                            v));
        }
        svg.append(
                String.format(
                        Locale.ROOT,
                        "<text class=\"axis-label\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s"
                                + "</text>",
                        left + plotW / 2,
                        height - 8,
                        esc(xLabel)));
        return svg.append("</svg>").toString();
    }

    private static StringBuilder open(String id, String title, String desc, int w, int h) {
        return new StringBuilder()
                .append(
                        String.format(
                                Locale.ROOT,
                                "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\""
                                        + " role=\"img\" width=\"%d\" height=\"%d\""
                                        + " viewBox=\"0 0 %d %d\" aria-labelledby=\"%s-title"
                                        + " %s-desc\"><title id=\"%s-title\">%s</title>"
                                        + "<desc id=\"%s-desc\">%s</desc>",
                                w,
                                h,
                                w,
                                h,
                                id,
                                id,
                                id,
                                esc(title),
                                id,
                                esc(desc)))
                .append(
                        String.format(
                                Locale.ROOT,
                                "<text class=\"chart-title\" x=\"%d\" y=\"22\""
                                        + " text-anchor=\"middle\">%s</text>",
                                w / 2,
                                esc(title)));
    }

    /** Grid lines and tick labels every step up to topValue; the value axis is y or x. */
    private static void axes(
            StringBuilder svg,
            int left,
            int top,
            int plotW,
            int plotH,
            long step,
            long topValue,
            boolean vertical) {
        for (long t = 0; t <= topValue; t += step) {
            if (vertical) {
                double y = top + plotH - plotH * (double) t / topValue;
                svg.append(
                        String.format(
                                Locale.ROOT,
                                "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\""
                                        + " stroke=\"#d9dee7\"/><text x=\"%d\" y=\"%.1f\""
                                        + " text-anchor=\"end\">%d</text>",
                                left,
                                y,
                                left + plotW,
                                y,
                                left - 6,
                                y + 4,
                                t));
            } else {
                double x = left + plotW * (double) t / topValue;
                svg.append(
                        String.format(
                                Locale.ROOT,
                                "<line class=\"grid\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\""
                                        + " stroke=\"#d9dee7\"/><text x=\"%.1f\" y=\"%d\""
                                        + " text-anchor=\"middle\">%d</text>",
                                x,
                                top,
                                x,
                                top + plotH,
                                x,
                                top + plotH + 16,
                                t));
            }
        }
        svg.append(
                String.format(
                        Locale.ROOT,
                        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#5b6578\"/>",
                        left,
                        top,
                        left,
                        top + plotH));
        svg.append(
                String.format(
                        Locale.ROOT,
                        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#5b6578\"/>",
                        left,
                        top + plotH,
                        left + plotW,
                        top + plotH));
    }

    /** A round step (1, 2 or 5 times a power of ten) giving about five ticks up to max. */
    static long step(long max) {
        if (max <= 5) {
            return 1;
        }
        double raw = max / 5.0;
        long power = (long) Math.pow(10, Math.floor(Math.log10(raw)));
        for (long m : new long[] {1, 2, 5, 10}) {
            if (m * power >= raw) {
                return m * power;
            }
        }
        return 10 * power;
    }

    private static String shorten(String name) {
        return name.length() <= 40 ? name : name.substring(0, 39) + "…";
    }

    /** Text safe in XML content and attribute values. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
