package org.fraudplatform.models.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes the comparison of models evaluated under one {@link Protocol} into a folder:
 *
 * <ul>
 *   <li>{@value #HTML}: one self-contained page (inline SVG, no script, nothing fetched) with the
 *       data range and protocol, the comparison table (best value per column marked, the handbook's
 *       published baselines below for reference), the ROC and precision-recall curves of all
 *       models, and each model's score distribution;
 *   <li>{@value #MARKDOWN}: the same table, for a terminal or a pull request;
 *   <li>{@value #JSON}: the protocol, the row counts and every model's metrics (NaN as null);
 *   <li>{@value #SCORES}: {@code transaction_id,score} of the champion candidate, one row per test
 *       transaction, so anyone can recompute its metrics from the feature file's labels.
 * </ul>
 *
 * The champion candidate is the model with the highest average precision (the first of equals):
 * with about one fraud in a hundred payments, AP follows the few alerts an analyst can look at,
 * where ROC AUC is dominated by the easy genuine majority.
 */
public final class EvaluationReport {

    public static final String HTML = "report.html";
    public static final String MARKDOWN = "report.md";
    public static final String JSON = "metrics.json";
    public static final String SCORES = "test-scores.csv";

    /** A result published in the handbook, shown for reference, never ranked. */
    public record Baseline(
            String name, double rocAuc, double averagePrecision, double cardPrecisionAt100) {}

    /**
     * The handbook's published test results under its default protocol (its own simulated data, so
     * a guide to the order of magnitude, not a target to the third decimal).
     */
    public static final List<Baseline> HANDBOOK_BASELINES =
            List.of(
                    new Baseline("handbook: logistic regression", 0.871, 0.606, 0.291),
                    new Baseline("handbook: XGBoost (tuned)", 0.869, 0.687, 0.303));

    /** The files written and the champion candidate's name. */
    public record Written(Path html, Path markdown, Path json, Path scores, String champion) {}

    /** A column of the comparison table. */
    private record Column(String key, String title, boolean higherIsBetter) {}

    private static final String TRAINING_SECONDS = "training_seconds";

    private static final List<Column> COLUMNS =
            List.of(
                    new Column(Metrics.ROC_AUC, "ROC AUC", true),
                    new Column(Metrics.AVERAGE_PRECISION, "Average precision", true),
                    new Column(Metrics.CARD_PRECISION_AT_100, "Card precision@100", true),
                    new Column(Metrics.RECALL_AT_1PCT_FPR, "Recall at 1 % FPR", true),
                    new Column(Metrics.BRIER, "Brier score", false),
                    new Column(TRAINING_SECONDS, "Training (s)", false));

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private EvaluationReport() {}

    /**
     * Writes the four files into {@code folder} (created if needed, files replaced).
     *
     * @param models at least one, unique names, each with a score per test row of {@code split}
     */
    public static Written write(Path folder, Split split, List<ModelResult> models)
            throws IOException {
        return write(folder, split, models, null);
    }

    /**
     * As {@link #write(Path, Split, List)}, with the prequential search that chose a model's
     * settings: each report gets a section with the folds, every setting tried and its validation
     * average precision per fold.
     *
     * @param search the search, or null when there was none
     */
    public static Written write(
            Path folder, Split split, List<ModelResult> models, PrequentialSearch.Result search)
            throws IOException {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("no model to report");
        }
        Set<String> names = new HashSet<>();
        for (ModelResult m : models) {
            if (!names.add(m.name())) {
                throw new IllegalArgumentException("two models are named " + m.name());
            }
            if (m.testScores().length != split.testSize()) {
                throw new IllegalArgumentException(
                        m.name()
                                + " has "
                                + m.testScores().length
                                + " scores for "
                                + split.testSize()
                                + " test rows");
            }
        }
        ModelResult champion = champion(models);
        Files.createDirectories(folder);
        Written written =
                new Written(
                        folder.resolve(HTML),
                        folder.resolve(MARKDOWN),
                        folder.resolve(JSON),
                        folder.resolve(SCORES),
                        champion.name());
        String html = html(split, models, champion);
        String markdown = markdown(split, models, champion);
        if (search != null) {
            html = html.replace("</body>", searchHtml(search) + "</body>");
            markdown = markdown + searchMarkdown(search);
        }
        Files.writeString(written.html(), html, StandardCharsets.UTF_8);
        Files.writeString(written.markdown(), markdown, StandardCharsets.UTF_8);
        Files.writeString(
                written.json(), json(split, models, champion, search), StandardCharsets.UTF_8);
        writeScores(written.scores(), split, champion);
        return written;
    }

    /** The model with the highest average precision (NaN ranks last; the first of equals). */
    public static ModelResult champion(List<ModelResult> models) {
        ModelResult best = models.get(0);
        for (ModelResult m : models) {
            double ap = m.metric(Metrics.AVERAGE_PRECISION);
            double bestAp = best.metric(Metrics.AVERAGE_PRECISION);
            if (!Double.isNaN(ap) && (Double.isNaN(bestAp) || ap > bestAp)) {
                best = m;
            }
        }
        return best;
    }

    private static double value(ModelResult m, Column c) {
        return c.key().equals(TRAINING_SECONDS) ? m.trainingSeconds() : m.metric(c.key());
    }

    private static double value(Baseline b, Column c) {
        switch (c.key()) {
            case Metrics.ROC_AUC:
                return b.rocAuc();
            case Metrics.AVERAGE_PRECISION:
                return b.averagePrecision();
            case Metrics.CARD_PRECISION_AT_100:
                return b.cardPrecisionAt100();
            default:
                return Double.NaN;
        }
    }

    /** The best value of a column over the models (NaN if none has one). */
    private static double best(List<ModelResult> models, Column c) {
        double best = Double.NaN;
        for (ModelResult m : models) {
            double v = value(m, c);
            if (!Double.isNaN(v)
                    && (Double.isNaN(best) || (c.higherIsBetter() ? v > best : v < best))) {
                best = v;
            }
        }
        return best;
    }

    private static String number(double value, Column c) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        return Charts.fmt(value, c.key().equals(TRAINING_SECONDS) ? 1 : 3);
    }

    /** The handbook's published baselines when they were measured on this very split. */
    private static List<Baseline> baselines(Split split) {
        return split.design().handbookBaselinesApply() ? HANDBOOK_BASELINES : List.of();
    }

    private static String range(Split split) {
        FeatureFile data = split.data();
        long[] times = data.eventTimesMs();
        if (times.length == 0) {
            return data.source();
        }
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (long t : times) {
            first = Math.min(first, t);
            last = Math.max(last, t);
        }
        return data.source()
                + ", "
                + day(Instant.ofEpochMilli(first))
                + " .. "
                + day(Instant.ofEpochMilli(last));
    }

    private static String day(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC).toLocalDate().toString();
    }

    // ---------------------------------------------------------------- HTML

    private static String html(Split split, List<ModelResult> models, ModelResult champion) {
        String title = "Fraud model evaluation: " + range(split);
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(Html.escape(title))
                .append("</title>\n<style>\n")
                .append(
                        "body{font-family:sans-serif;max-width:1180px;margin:2em auto;padding:0 1em;color:#222}\n")
                .append(
                        "table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}\n")
                .append(
                        "th:first-child,td:first-child,td.text{text-align:left}th{background:#f4f4f4}\n")
                .append(
                        "td.best{font-weight:bold;background:#e8f5e9}tr.baseline td{color:#666;font-style:italic}\n")
                .append(
                        ".charts{display:flex;flex-wrap:wrap;gap:1em}figure{margin:0}figcaption{font-size:.9em;color:#555}\n")
                .append("</style>\n</head>\n<body>\n<h1>")
                .append(Html.escape(title))
                .append("</h1>\n<p>")
                .append(Html.escape(split.design().name()))
                .append(": ")
                .append(Html.escape(split.design().description()))
                .append(".</p>\n<ul>\n<li>")
                .append(Html.escape(trainingSummary(split)))
                .append("</li>\n<li>")
                .append(Html.escape(testSummary(split)))
                .append("</li>\n<li>Rows read: ")
                .append(split.data().size())
                .append(" with event time in [")
                .append(Html.escape(TIME.format(split.data().from())))
                .append(", ")
                .append(Html.escape(TIME.format(split.data().to())))
                .append(") UTC, of ")
                .append(split.data().linesRead())
                .append(" in the file; ")
                .append(split.data().featureNames().size())
                .append(" model inputs.</li>\n</ul>\n");

        h.append("<h2>Comparison</h2>\n<table>\n<tr><th>Model</th><th>Kind</th>");
        for (Column c : COLUMNS) {
            h.append("<th>").append(Html.escape(c.title())).append("</th>");
        }
        h.append("</tr>\n");
        for (ModelResult m : models) {
            h.append("<tr><td>")
                    .append(Html.escape(m.name()))
                    .append(m == champion ? " &#9733;" : "")
                    .append("</td><td class=\"text\">")
                    .append(Html.escape(m.kind()))
                    .append("</td>");
            for (Column c : COLUMNS) {
                double v = value(m, c);
                boolean isBest = !Double.isNaN(v) && v == best(models, c);
                h.append(isBest ? "<td class=\"best\">" : "<td>")
                        .append(number(v, c))
                        .append("</td>");
            }
            h.append("</tr>\n");
        }
        for (Baseline b : baselines(split)) {
            h.append("<tr class=\"baseline\"><td>")
                    .append(Html.escape(b.name()))
                    .append("</td><td class=\"text\">published, for reference</td>");
            for (Column c : COLUMNS) {
                h.append("<td>").append(number(value(b, c), c)).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n<p>Bold: the best value per column among the models. &#9733; ")
                .append("champion candidate: <b>")
                .append(Html.escape(champion.name()))
                .append("</b> (highest average precision); its test scores are in <code>")
                .append(SCORES)
                .append("</code>. Card precision@100: per test day, the share of compromised ")
                .append(
                        "cards among the 100 cards with the highest score, averaged over days.</p>\n");
        parameters(h, models);

        int[] labels = split.testLabels();
        int frauds = 0;
        for (int label : labels) {
            frauds += label;
        }
        h.append("<h2>Curves</h2>\n");
        if (frauds == 0 || frauds == labels.length) {
            h.append("<p>No curves: the test set holds only one class.</p>\n");
        } else {
            List<Charts.Series> roc = new ArrayList<>();
            List<Charts.Series> pr = new ArrayList<>();
            for (int i = 0; i < models.size(); i++) {
                ModelResult m = models.get(i);
                double[] scores = m.testScores();
                roc.add(
                        new Charts.Series(
                                m.name(), Charts.colour(i), Metrics.rocCurve(scores, labels)));
                pr.add(
                        new Charts.Series(
                                m.name(),
                                Charts.colour(i),
                                Metrics.precisionRecallCurve(scores, labels)));
            }
            double rate = (double) frauds / labels.length;
            h.append("<div class=\"charts\">\n<figure>\n")
                    .append(
                            Charts.curves(
                                    "ROC curves",
                                    "false-positive rate",
                                    "recall (true-positive rate)",
                                    roc,
                                    List.of(
                                            new Metrics.CurvePoint(0, 0),
                                            new Metrics.CurvePoint(1, 1)),
                                    "chance"))
                    .append(
                            "<figcaption>ROC curves of the test set.</figcaption>\n</figure>\n<figure>\n")
                    .append(
                            Charts.curves(
                                    "Precision-recall curves",
                                    "recall",
                                    "precision",
                                    pr,
                                    List.of(
                                            new Metrics.CurvePoint(0, rate),
                                            new Metrics.CurvePoint(1, rate)),
                                    "fraud rate " + Charts.fmt(100 * rate, 2) + " %"))
                    .append("<figcaption>Precision-recall curves of the test set.</figcaption>\n")
                    .append("</figure>\n</div>\n");
        }

        reliability(h, models, labels);

        h.append("<h2>Score distributions</h2>\n<div class=\"charts\">\n");
        for (ModelResult m : models) {
            h.append("<figure>\n")
                    .append(
                            Charts.histogram(
                                    "Scores of " + m.name(),
                                    Metrics.histogram(m.testScores(), labels)))
                    .append("<figcaption>")
                    .append(Html.escape(m.name()))
                    .append(": test scores of fraud and genuine rows, ")
                    .append(Metrics.HISTOGRAM_BINS)
                    .append(" bins, counts on a log scale.</figcaption>\n</figure>\n");
        }
        h.append("</div>\n");

        h.append("<h2>Test days</h2>\n<table>\n<tr><th>Day</th><th>Rows</th><th>Frauds</th>")
                .append(
                        "<th>Fraud cards</th><th>Known compromised cards</th><th>Rows left out</th>");
        for (ModelResult m : models) {
            h.append("<th>CP@100 ").append(Html.escape(m.name())).append("</th>");
        }
        h.append("</tr>\n");
        List<double[]> byDay = new ArrayList<>();
        for (ModelResult m : models) {
            byDay.add(Metrics.cardPrecisionAtKByDay(split.testDays(), m.testScores(), 100));
        }
        for (int d = 0; d < split.testDays().size(); d++) {
            TestDay day = split.testDays().get(d);
            h.append("<tr><td>")
                    .append(day.day())
                    .append("</td><td>")
                    .append(day.size())
                    .append("</td><td>")
                    .append(day.frauds())
                    .append("</td><td>")
                    .append(day.fraudCards())
                    .append("</td><td>")
                    .append(day.excludedCards().size())
                    .append("</td><td>")
                    .append(day.excludedRows())
                    .append("</td>");
            for (double[] values : byDay) {
                h.append("<td>").append(Charts.fmt(values[d], 3)).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void parameters(StringBuilder h, List<ModelResult> models) {
        boolean any = false;
        for (ModelResult m : models) {
            any |= !m.parameters().isEmpty();
        }
        if (!any) {
            return;
        }
        h.append("<h3>Parameters</h3>\n<ul>\n");
        for (ModelResult m : models) {
            h.append("<li><b>").append(Html.escape(m.name())).append("</b>: ");
            List<String> pairs = new ArrayList<>();
            for (Map.Entry<String, String> e : m.parameters().entrySet()) {
                pairs.add(Html.escape(e.getKey() + " = " + e.getValue()));
            }
            h.append(pairs.isEmpty() ? "defaults" : String.join(", ", pairs)).append("</li>\n");
        }
        h.append("</ul>\n");
    }

    private static String trainingSummary(Split split) {
        TrainingSet t = split.training();
        return "Training: "
                + t.size()
                + " rows, "
                + t.frauds()
                + " labelled fraud ("
                + split.design().trainingLabels()
                + "); "
                + t.fraudsNotYetKnown()
                + " later frauds held as genuine.";
    }

    private static String testSummary(Split split) {
        int rows = split.testSize();
        int frauds = 0;
        int excluded = 0;
        for (TestDay d : split.testDays()) {
            frauds += d.frauds();
            excluded += d.excludedRows();
        }
        return "Test: "
                + rows
                + " rows, "
                + frauds
                + " fraud (true labels); "
                + excluded
                + " rows of cards already known to be compromised at the start of their day left out.";
    }

    // ---------------------------------------------------------------- Markdown

    private static void reliability(StringBuilder h, List<ModelResult> models, int[] labels) {
        h.append("<h2>Reliability</h2>\n<div class=\"charts\">\n<figure>\n");
        List<Charts.Series> series = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            List<Metrics.CurvePoint> points = new ArrayList<>();
            for (Metrics.ReliabilityBin b :
                    Metrics.reliability(
                            models.get(i).testScores(), labels, Metrics.RELIABILITY_BINS)) {
                points.add(new Metrics.CurvePoint(b.meanScore(), b.fraudRate()));
            }
            series.add(new Charts.Series(models.get(i).name(), Charts.colour(i), points));
        }
        h.append(
                        Charts.curves(
                                "Reliability",
                                "mean score of the bin",
                                "share of fraud in the bin",
                                series,
                                List.of(new Metrics.CurvePoint(0, 0), new Metrics.CurvePoint(1, 1)),
                                "calibrated"))
                .append("<figcaption>Test rows in ")
                .append(Metrics.RELIABILITY_BINS)
                .append(
                        " equal score bins: a calibrated model's points lie on the diagonal (a"
                                + " score of 0.8 is fraud 8 times in 10). The Brier score in the"
                                + " table sums up the same.</figcaption>\n</figure>\n</div>\n");
    }

    /** The champion's reliability bins as a Markdown table: what rule bands are set from. */
    private static void reliabilityTable(StringBuilder md, Split split, ModelResult champion) {
        md.append("\n## Reliability of ")
                .append(markdownText(champion.name()))
                .append("\n\nTest rows by score: a calibrated score is the share of fraud among")
                .append(" the payments that get it. Brier score ")
                .append(Charts.fmt(champion.metric(Metrics.BRIER), 5))
                .append(
                        ".\n\n| score | rows | mean score | share of fraud |\n|---|---:|---:|---:|\n");
        for (Metrics.ReliabilityBin b :
                Metrics.reliability(
                        champion.testScores(), split.testLabels(), Metrics.RELIABILITY_BINS)) {
            md.append("| ")
                    .append(Charts.fmt(b.low(), 1))
                    .append("–")
                    .append(Charts.fmt(b.high(), 1))
                    .append(" | ")
                    .append(b.rows())
                    .append(" | ")
                    .append(Charts.fmt(b.meanScore(), 4))
                    .append(" | ")
                    .append(Charts.fmt(b.fraudRate(), 4))
                    .append(" |\n");
        }
    }

    private static String markdown(Split split, List<ModelResult> models, ModelResult champion) {
        StringBuilder md = new StringBuilder();
        md.append("# Fraud model evaluation: ")
                .append(markdownText(range(split)))
                .append("\n\n")
                .append(split.design().name())
                .append(": ")
                .append(split.design().description())
                .append(".\n")
                .append(trainingSummary(split))
                .append("\n")
                .append(testSummary(split))
                .append("\n\n| Model | Kind |");
        for (Column c : COLUMNS) {
            md.append(' ').append(c.title()).append(" |");
        }
        md.append("\n|---|---|");
        md.append("---:|".repeat(COLUMNS.size()));
        md.append('\n');
        for (ModelResult m : models) {
            md.append("| ")
                    .append(markdownText(m.name()))
                    .append(m == champion ? " ★" : "")
                    .append(" | ")
                    .append(markdownText(m.kind()))
                    .append(" |");
            for (Column c : COLUMNS) {
                double v = value(m, c);
                String text = number(v, c);
                boolean isBest = !Double.isNaN(v) && v == best(models, c);
                md.append(' ').append(isBest ? "**" + text + "**" : text).append(" |");
            }
            md.append('\n');
        }
        for (Baseline b : baselines(split)) {
            md.append("| _")
                    .append(markdownText(b.name()))
                    .append("_ | published, for reference |");
            for (Column c : COLUMNS) {
                md.append(' ').append(number(value(b, c), c)).append(" |");
            }
            md.append('\n');
        }
        md.append("\n**Bold**: best per column. ★ champion candidate: **")
                .append(markdownText(champion.name()))
                .append("** (highest average precision); test scores in `")
                .append(SCORES)
                .append("`.\n");
        reliabilityTable(md, split, champion);
        return md.toString();
    }

    private static String searchMarkdown(PrequentialSearch.Result search) {
        StringBuilder md = new StringBuilder();
        PrequentialSearch.Outcome best = search.best();
        md.append("\n## Model selection: prequential validation\n\n")
                .append("Every setting was trained and validated on each fold below (never on the")
                .append(" test weeks); the highest mean validation average precision chose **")
                .append(markdownText(best.candidate().name()))
                .append("** (")
                .append(search.outcomes().size())
                .append(" settings, ")
                .append(String.format(Locale.ROOT, "%.0f", search.seconds()))
                .append(" s).\n\n");
        for (int f = 0; f < search.folds().size(); f++) {
            md.append("- fold ")
                    .append(f + 1)
                    .append(": ")
                    .append(markdownText(search.folds().get(f)))
                    .append('\n');
        }
        md.append("\n| setting |");
        for (int f = 0; f < search.folds().size(); f++) {
            md.append(" AP fold ").append(f + 1).append(" |");
        }
        md.append(" mean AP | mean ROC AUC | mean CP@100 | seconds |\n|---|");
        md.append("---:|".repeat(search.folds().size() + 4)).append('\n');
        for (PrequentialSearch.Outcome o : search.outcomes()) {
            md.append("| ")
                    .append(markdownText(o.candidate().name()))
                    .append(o == best ? " ★" : "")
                    .append(" |");
            for (double ap : o.averagePrecision()) {
                md.append(' ').append(Charts.fmt(ap, 3)).append(" |");
            }
            String mean = Charts.fmt(o.meanAveragePrecision(), 4);
            md.append(' ')
                    .append(o == best ? "**" + mean + "**" : mean)
                    .append(" | ")
                    .append(Charts.fmt(o.meanRocAuc(), 4))
                    .append(" | ")
                    .append(Charts.fmt(o.meanCardPrecisionAt100(), 4))
                    .append(" | ")
                    .append(String.format(Locale.ROOT, "%.0f", o.seconds()))
                    .append(" |\n");
        }
        return md.toString();
    }

    private static String searchHtml(PrequentialSearch.Result search) {
        StringBuilder h = new StringBuilder();
        PrequentialSearch.Outcome best = search.best();
        h.append("<h2>Model selection: prequential validation</h2>\n<p>Every setting was trained")
                .append(" and validated on each fold (never on the test weeks); the highest mean")
                .append(" validation average precision chose <b>")
                .append(Html.escape(best.candidate().name()))
                .append("</b>.</p>\n<ol>\n");
        for (String fold : search.folds()) {
            h.append("<li>").append(Html.escape(fold)).append("</li>\n");
        }
        h.append("</ol>\n<table>\n<tr><th>setting</th>");
        for (int f = 0; f < search.folds().size(); f++) {
            h.append("<th>AP fold ").append(f + 1).append("</th>");
        }
        h.append(
                "<th>mean AP</th><th>mean ROC AUC</th><th>mean CP@100</th><th>seconds</th></tr>\n");
        for (PrequentialSearch.Outcome o : search.outcomes()) {
            h.append("<tr><td>")
                    .append(Html.escape(o.candidate().name()))
                    .append(o == best ? " ★" : "")
                    .append("</td>");
            for (double ap : o.averagePrecision()) {
                h.append("<td>").append(Charts.fmt(ap, 3)).append("</td>");
            }
            String mean = Charts.fmt(o.meanAveragePrecision(), 4);
            h.append("<td>")
                    .append(o == best ? "<b>" + mean + "</b>" : mean)
                    .append("</td><td>")
                    .append(Charts.fmt(o.meanRocAuc(), 4))
                    .append("</td><td>")
                    .append(Charts.fmt(o.meanCardPrecisionAt100(), 4))
                    .append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.0f", o.seconds()))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");
        return h.toString();
    }

    private static String markdownText(String text) {
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ");
    }

    // ---------------------------------------------------------------- JSON

    private static String json(
            Split split,
            List<ModelResult> models,
            ModelResult champion,
            PrequentialSearch.Result search)
            throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        ObjectNode protocol = root.putObject("protocol");
        protocol.put("name", split.design().name());
        split.design().settings().forEach(protocol::put);

        FeatureFile data = split.data();
        ObjectNode source = root.putObject("data");
        source.put("file", data.source());
        source.put("from", data.from().toString());
        source.put("to", data.to().toString());
        source.put("lines_in_file", data.linesRead());
        source.put("rows_read", data.size());
        ArrayNode features = source.putArray("features");
        data.featureNames().forEach(features::add);

        ObjectNode counts = root.putObject("counts");
        TrainingSet t = split.training();
        counts.put("training_rows", t.size());
        counts.put("training_frauds_known", t.frauds());
        counts.put("training_frauds_not_yet_known", t.fraudsNotYetKnown());
        counts.put("test_rows", split.testSize());
        int testFrauds = 0;
        int excluded = 0;
        ArrayNode days = counts.putArray("test_days");
        for (TestDay d : split.testDays()) {
            testFrauds += d.frauds();
            excluded += d.excludedRows();
            ObjectNode day = days.addObject();
            day.put("day", d.day().toString());
            day.put("rows", d.size());
            day.put("frauds", d.frauds());
            day.put("fraud_cards", d.fraudCards());
            day.put("known_compromised_cards", d.excludedCards().size());
            day.put("rows_left_out", d.excludedRows());
        }
        counts.put("test_frauds", testFrauds);
        counts.put("test_rows_left_out", excluded);

        ObjectNode chosen = root.putObject("champion");
        chosen.put("name", champion.name());
        chosen.put("selected_by", Metrics.AVERAGE_PRECISION);
        chosen.put("scores_file", SCORES);

        ArrayNode list = root.putArray("models");
        for (ModelResult m : models) {
            ObjectNode model = list.addObject();
            model.put("name", m.name());
            model.put("kind", m.kind());
            putNumber(model, TRAINING_SECONDS, m.trainingSeconds());
            ObjectNode parameters = model.putObject("parameters");
            m.parameters().forEach(parameters::put);
            ObjectNode metrics = model.putObject("metrics");
            m.metrics().forEach((k, v) -> putNumber(metrics, k, v));
            ArrayNode reliability = model.putArray("reliability");
            for (Metrics.ReliabilityBin b :
                    Metrics.reliability(
                            m.testScores(), split.testLabels(), Metrics.RELIABILITY_BINS)) {
                ObjectNode bin = reliability.addObject();
                bin.put("low", b.low());
                bin.put("high", b.high());
                bin.put("rows", b.rows());
                bin.put("mean_score", b.meanScore());
                bin.put("fraud_rate", b.fraudRate());
            }
            ArrayNode byDay = model.putArray("card_precision_at_100_by_day");
            for (double v : Metrics.cardPrecisionAtKByDay(split.testDays(), m.testScores(), 100)) {
                byDay.add(v);
            }
        }
        ArrayNode baselines = root.putArray("handbook_baselines");
        for (Baseline b : baselines(split)) {
            ObjectNode baseline = baselines.addObject();
            baseline.put("name", b.name());
            baseline.put(Metrics.ROC_AUC, b.rocAuc());
            baseline.put(Metrics.AVERAGE_PRECISION, b.averagePrecision());
            baseline.put(Metrics.CARD_PRECISION_AT_100, b.cardPrecisionAt100());
        }
        if (search != null) {
            ObjectNode node = root.putObject("search");
            node.put("method", "prequential validation");
            node.put("selected_by", "mean validation " + Metrics.AVERAGE_PRECISION);
            node.put("chosen", search.best().candidate().name());
            putNumber(node, "seconds", search.seconds());
            ArrayNode folds = node.putArray("folds");
            search.folds().forEach(folds::add);
            ArrayNode tried = node.putArray("candidates");
            for (PrequentialSearch.Outcome o : search.outcomes()) {
                ObjectNode c = tried.addObject();
                c.put("name", o.candidate().name());
                ObjectNode settings = c.putObject("settings");
                o.candidate().settings().forEach(settings::put);
                ArrayNode ap = c.putArray("validation_average_precision");
                for (double v : o.averagePrecision()) {
                    ap.add(v);
                }
                putNumber(c, "mean_average_precision", o.meanAveragePrecision());
                putNumber(c, "mean_roc_auc", o.meanRocAuc());
                putNumber(c, "mean_card_precision_at_100", o.meanCardPrecisionAt100());
                putNumber(c, "seconds", o.seconds());
            }
        }
        return mapper.writeValueAsString(root) + "\n";
    }

    private static void putNumber(ObjectNode node, String key, Double value) {
        if (value == null || value.isNaN() || value.isInfinite()) {
            node.putNull(key);
        } else {
            node.put(key, value);
        }
    }

    // ---------------------------------------------------------------- scores

    private static void writeScores(Path target, Split split, ModelResult champion)
            throws IOException {
        String[] ids = split.testTransactionIds();
        double[] scores = champion.testScores();
        try (BufferedWriter w = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
            w.write("transaction_id,score\n");
            for (int i = 0; i < ids.length; i++) {
                w.write(csvField(ids[i]));
                w.write(',');
                w.write(Double.toString(scores[i]));
                w.write('\n');
            }
        }
    }

    private static String csvField(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
