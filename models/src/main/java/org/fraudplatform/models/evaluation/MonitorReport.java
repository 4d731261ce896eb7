package org.fraudplatform.models.evaluation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The production watch of the champion and shadow models: their precision, recall (at the decision
 * threshold) and average precision on the payments of a period with the labels known so far, and
 * the drift (PSI) of every input feature and of each score against a reference period. Writes
 * {@code report.md} and a self-contained {@code report.html} (inline SVG, the evaluation report's
 * charts).
 */
public final class MonitorReport {

    public static final String HTML = "report.html";
    public static final String MARKDOWN = "report.md";

    /**
     * One model's scores on the monitored payments: {@code role} champion or shadow, {@code labels}
     * 1 where fraud is known, 0 otherwise.
     */
    public record ModelScores(
            String role, String version, double[] scores, int[] labels, double[] referenceScores) {}

    /** One input feature's values in the reference period and in the monitored one. */
    public record FeatureValues(String name, double[] reference, double[] current) {}

    /** What the report covers. */
    public record Period(Instant from, Instant to, long payments) {}

    /** A model's numbers. */
    public record ModelSummary(
            String role,
            String version,
            long payments,
            long frauds,
            double precision,
            double recall,
            double averagePrecision,
            double scorePsi) {}

    /** A feature's drift. */
    public record FeatureDrift(String name, long referenceRows, long currentRows, double psi) {}

    /** The computed numbers, and where they were written. */
    public record Summary(
            List<ModelSummary> models, List<FeatureDrift> drift, Path html, Path markdown) {}

    private MonitorReport() {}

    /** Computes the numbers and writes both files into {@code folder} (created). */
    public static Summary write(
            Path folder,
            Period monitored,
            Period reference,
            double threshold,
            List<ModelScores> models,
            List<FeatureValues> features)
            throws IOException {
        List<ModelSummary> summaries = new ArrayList<>();
        for (ModelScores m : models) {
            long frauds = 0;
            for (int l : m.labels()) {
                frauds += l;
            }
            summaries.add(
                    new ModelSummary(
                            m.role(),
                            m.version(),
                            m.scores().length,
                            frauds,
                            Monitoring.precisionAt(m.scores(), m.labels(), threshold),
                            Monitoring.recallAt(m.scores(), m.labels(), threshold),
                            Metrics.averagePrecision(m.scores(), m.labels()),
                            Monitoring.psi(m.referenceScores(), m.scores(), Monitoring.PSI_BINS)));
        }
        List<FeatureDrift> drift = new ArrayList<>();
        for (FeatureValues f : features) {
            drift.add(
                    new FeatureDrift(
                            f.name(),
                            f.reference().length,
                            f.current().length,
                            Monitoring.psi(f.reference(), f.current(), Monitoring.PSI_BINS)));
        }
        // largest drift first; undefined last
        drift.sort(
                Comparator.comparingDouble((FeatureDrift d) -> Double.isNaN(d.psi()) ? 1 : 0)
                        .thenComparing(Comparator.comparingDouble(FeatureDrift::psi).reversed())
                        .thenComparing(FeatureDrift::name));
        Files.createDirectories(folder);
        Path html = folder.resolve(HTML);
        Path md = folder.resolve(MARKDOWN);
        Files.writeString(
                md,
                markdown(monitored, reference, threshold, summaries, drift),
                StandardCharsets.UTF_8);
        Files.writeString(
                html,
                html(monitored, reference, threshold, summaries, drift, models),
                StandardCharsets.UTF_8);
        return new Summary(List.copyOf(summaries), List.copyOf(drift), html, md);
    }

    /** A number with three decimals, or n/a. */
    public static String number(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.3f", value);
    }

    private static String period(Period p) {
        return p.from() + " .. " + p.to() + " (" + p.payments() + " payments)";
    }

    private static String markdown(
            Period monitored,
            Period reference,
            double threshold,
            List<ModelSummary> models,
            List<FeatureDrift> drift) {
        StringBuilder md = new StringBuilder();
        md.append("# Models in production\n\n")
                .append("Monitored: ")
                .append(period(monitored))
                .append("  \nReference for drift: ")
                .append(period(reference))
                .append("\n\n## Champion and shadow on the labels known so far\n\n")
                .append(
                        String.format(
                                Locale.ROOT,
                                "Precision and recall at score >= %s; payments without a fraud"
                                        + " label count as genuine; n/a while no fraud is"
                                        + " known.\n\n",
                                number(threshold)))
                .append(
                        "| model | version | payments | known frauds | precision | recall | AP |"
                                + " score PSI |\n")
                .append("|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (ModelSummary m : models) {
            md.append("| ")
                    .append(m.role())
                    .append(" | ")
                    .append(m.version())
                    .append(" | ")
                    .append(m.payments())
                    .append(" | ")
                    .append(m.frauds())
                    .append(" | ")
                    .append(number(m.precision()))
                    .append(" | ")
                    .append(number(m.recall()))
                    .append(" | ")
                    .append(number(m.averagePrecision()))
                    .append(" | ")
                    .append(number(m.scorePsi()))
                    .append(" |\n");
        }
        if (models.isEmpty()) {
            md.append("| no model scored these payments | | | | | | | |\n");
        }
        md.append("\n## Feature drift (PSI against the reference)\n\n")
                .append(
                        String.format(
                                Locale.ROOT,
                                "%d bins at the reference's deciles; below %s stable, from %s a"
                                        + " moderate shift, from %s a major shift.\n\n",
                                Monitoring.PSI_BINS,
                                Monitoring.PSI_MODERATE,
                                Monitoring.PSI_MODERATE,
                                Monitoring.PSI_MAJOR))
                .append("| feature | PSI | reading | reference rows | monitored rows |\n")
                .append("|---|---:|---|---:|---:|\n");
        for (FeatureDrift d : drift) {
            md.append("| ")
                    .append(d.name())
                    .append(" | ")
                    .append(number(d.psi()))
                    .append(" | ")
                    .append(Monitoring.verdict(d.psi()))
                    .append(" | ")
                    .append(d.referenceRows())
                    .append(" | ")
                    .append(d.currentRows())
                    .append(" |\n");
        }
        return md.toString();
    }

    private static String html(
            Period monitored,
            Period reference,
            double threshold,
            List<ModelSummary> models,
            List<FeatureDrift> drift,
            List<ModelScores> scores) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>Models in production</title>\n<style>\n")
                .append("body{font-family:sans-serif;margin:2em;max-width:1100px}")
                .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;")
                .append("padding:3px 8px;text-align:right}td:first-child,th:first-child")
                .append("{text-align:left}.major{background:#fdd}.moderate{background:#ffe}\n")
                .append("</style>\n</head>\n<body>\n<h1>Models in production</h1>\n<p>Monitored: ")
                .append(Html.escape(period(monitored)))
                .append("<br>Reference for drift: ")
                .append(Html.escape(period(reference)))
                .append("</p>\n<h2>Champion and shadow on the labels known so far</h2>\n<p>")
                .append(
                        Html.escape(
                                "Precision and recall at score >= "
                                        + number(threshold)
                                        + "; payments without a fraud label count as genuine;"
                                        + " n/a while no fraud is known."))
                .append("</p>\n<table>\n<tr><th>model</th><th>version</th><th>payments</th>")
                .append("<th>known frauds</th><th>precision</th><th>recall</th><th>AP</th>")
                .append("<th>score PSI</th></tr>\n");
        for (ModelSummary m : models) {
            h.append("<tr><td>")
                    .append(Html.escape(m.role()))
                    .append("</td><td>")
                    .append(Html.escape(m.version()))
                    .append("</td><td>")
                    .append(m.payments())
                    .append("</td><td>")
                    .append(m.frauds())
                    .append("</td><td>")
                    .append(number(m.precision()))
                    .append("</td><td>")
                    .append(number(m.recall()))
                    .append("</td><td>")
                    .append(number(m.averagePrecision()))
                    .append("</td><td>")
                    .append(number(m.scorePsi()))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");
        List<Charts.Series> curves = new ArrayList<>();
        for (int i = 0; i < scores.size(); i++) {
            ModelScores m = scores.get(i);
            if (!Double.isNaN(models.get(i).averagePrecision())) {
                curves.add(
                        new Charts.Series(
                                m.role() + " " + m.version(),
                                Charts.colour(i),
                                Metrics.precisionRecallCurve(m.scores(), m.labels())));
            }
        }
        if (!curves.isEmpty()) {
            h.append(
                    Charts.curves(
                            "Precision-recall on the labels known so far",
                            "recall",
                            "precision",
                            curves,
                            null,
                            null));
        }
        for (ModelScores m : scores) {
            if (m.referenceScores().length > 0 && m.scores().length > 0) {
                h.append(
                        Charts.histogram(
                                m.role() + " score: reference and monitored",
                                periodHistogram(m.referenceScores(), m.scores()),
                                "score",
                                "reference",
                                "monitored"));
            }
        }
        h.append("<h2>Feature drift (PSI against the reference)</h2>\n<p>")
                .append(
                        Html.escape(
                                String.format(
                                        Locale.ROOT,
                                        "%d bins at the reference's deciles; below %s stable,"
                                                + " from %s a moderate shift, from %s a major"
                                                + " shift.",
                                        Monitoring.PSI_BINS,
                                        Monitoring.PSI_MODERATE,
                                        Monitoring.PSI_MODERATE,
                                        Monitoring.PSI_MAJOR)))
                .append("</p>\n<table>\n<tr><th>feature</th><th>PSI</th><th>reading</th>")
                .append("<th>reference rows</th><th>monitored rows</th></tr>\n");
        for (FeatureDrift d : drift) {
            String reading = Monitoring.verdict(d.psi());
            h.append("<tr class=\"")
                    .append(reading.startsWith("major") ? "major" : "")
                    .append(reading.startsWith("moderate") ? "moderate" : "")
                    .append("\"><td>")
                    .append(Html.escape(d.name()))
                    .append("</td><td>")
                    .append(number(d.psi()))
                    .append("</td><td>")
                    .append(reading)
                    .append("</td><td>")
                    .append(d.referenceRows())
                    .append("</td><td>")
                    .append(d.currentRows())
                    .append("</td></tr>\n");
        }
        return h.append("</table>\n</body>\n</html>\n").toString();
    }

    /**
     * The two periods' scores in one histogram: reference as the first series, monitored second.
     */
    private static Metrics.ScoreHistogram periodHistogram(double[] reference, double[] current) {
        double[] all = new double[reference.length + current.length];
        int[] period = new int[all.length];
        System.arraycopy(reference, 0, all, 0, reference.length);
        System.arraycopy(current, 0, all, reference.length, current.length);
        for (int i = reference.length; i < all.length; i++) {
            period[i] = 1;
        }
        return Metrics.histogram(all, period);
    }
}
