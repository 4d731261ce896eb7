package org.fraudplatform.offline.backtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.fraudplatform.schemas.ModelRelease;

/**
 * Writes a back-test's {@code report.md} (tables, Mermaid charts), {@code report.html} (the same
 * tables, the charts drawn as inline SVG: a page that opens anywhere, with no script) and {@code
 * summary.json}.
 */
final class BacktestReport {

    private BacktestReport() {}

    static void write(RuleBacktest.Result r) throws IOException {
        Files.writeString(r.report(), markdown(r), StandardCharsets.UTF_8);
        Files.writeString(r.htmlReport(), html(r), StandardCharsets.UTF_8);
        Files.writeString(r.summary(), json(r), StandardCharsets.UTF_8);
    }

    static String markdown(RuleBacktest.Result r) {
        RuleBacktest.Settings s = r.settings();
        Tally c = r.candidate();
        Tally b = r.baseline();
        StringBuilder md = new StringBuilder();
        md.append("# Rule back-test: ")
                .append(s.candidate().version())
                .append(" against ")
                .append(s.baseline().version())
                .append("\n\n")
                .append("- History: `")
                .append(s.features())
                .append("`")
                .append(
                        s.from() == null && s.to() == null
                                ? ""
                                : ", event time in ["
                                        + (s.from() == null ? "start" : s.from())
                                        + ", "
                                        + (s.to() == null ? "end" : s.to())
                                        + ")")
                .append("\n- Models (their score reaches the rules as `model_score`): candidate ")
                .append(model(s.candidateModel()))
                .append(", baseline ")
                .append(model(s.baselineModel()))
                .append(
                        "\n- Each payment decided as the platform decides it: the request kept by"
                                + " the backfill, the same rules and model scorer")
                .append(
                        r.decisions() == null
                                ? ""
                                : "; every decision in `" + RuleBacktest.DECISIONS + "`")
                .append("\n- Payments judged: ")
                .append(String.format(Locale.ROOT, "%,d", c.payments))
                .append(", of which fraud: ")
                .append(String.format(Locale.ROOT, "%,d", c.frauds))
                .append(" (labels known later; features as at each payment's time)\n")
                .append("- Stopped = sent to review or declined. Amounts in minor units.\n")
                .append(
                        String.format(
                                Locale.ROOT,
                                "- %,.0f payments/s on the local Flink MiniCluster (%.1f s)%n%n",
                                r.rowsPerSecond(),
                                r.elapsed().toMillis() / 1e3));

        md.append(
                "## Overall\n\n| | baseline | candidate | difference |\n| --- | ---: | ---: | ---: |\n");
        row(md, "approve", b.approve, c.approve);
        row(md, "review", b.review, c.review);
        row(md, "decline", b.decline, c.decline);
        row(md, "frauds caught", b.caught, c.caught);
        row(md, "false positives", b.falsePositives, c.falsePositives);
        row(md, "amount saved", b.amountSaved, c.amountSaved);
        md.append(
                String.format(
                        Locale.ROOT,
                        "| review rate | %.3f %% | %.3f %% | %+.3f points |%n",
                        100 * b.reviewRate(),
                        100 * c.reviewRate(),
                        100 * (c.reviewRate() - b.reviewRate())));
        md.append(
                String.format(
                        Locale.ROOT,
                        "| frauds caught / all frauds | %.3f | %.3f | %+.3f |%n",
                        b.recall(),
                        c.recall(),
                        c.recall() - b.recall()));
        md.append(
                String.format(
                        Locale.ROOT,
                        "| frauds among stopped | %.3f | %.3f | %+.3f |%n%n",
                        b.precision(),
                        c.precision(),
                        c.precision() - b.precision()));

        md.append("```mermaid\nxychart-beta\n  title \"Stopped payments: baseline, candidate\"\n")
                .append(
                        "  x-axis [\"review\", \"decline\", \"frauds caught\", \"false positives\"]\n")
                .append("  y-axis \"payments\"\n")
                .append(
                        String.format(
                                Locale.ROOT,
                                "  bar [%d, %d, %d, %d]%n  bar [%d, %d, %d, %d]%n```%n%n",
                                b.review,
                                b.decline,
                                b.caught,
                                b.falsePositives,
                                c.review,
                                c.decline,
                                c.caught,
                                c.falsePositives));

        md.append("## Per rule\n\n")
                .append(
                        "| rule | hits | Δ hits vs baseline | frauds hit | genuine hit | frauds among hits | fraud amount hit |\n")
                .append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        TreeSet<String> rules = new TreeSet<>(r.candidateRules().keySet());
        rules.addAll(r.baselineRules().keySet());
        List<String> chartNames = new ArrayList<>();
        List<Long> chartHits = new ArrayList<>();
        for (String rule : rules) {
            Tally t = r.candidateRules().getOrDefault(rule, new Tally());
            Tally was = r.baselineRules().getOrDefault(rule, new Tally());
            long fraudHits = t.frauds;
            long genuineHits = t.payments - t.frauds;
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| %s%s | %,d | %+,d | %,d | %,d | %.3f | %,d |%n",
                            rule,
                            r.candidateRules().containsKey(rule)
                                            || !r.baselineRules().containsKey(rule)
                                    ? ""
                                    : " (baseline only)",
                            t.payments,
                            t.payments - was.payments,
                            fraudHits,
                            genuineHits,
                            t.payments == 0 ? 0.0 : (double) fraudHits / t.payments,
                            t.fraudAmount));
            if (t.payments > 0) {
                chartNames.add("\"" + rule.replace("\"", "'") + "\"");
                chartHits.add(t.payments);
            }
        }
        if (!chartNames.isEmpty()) {
            md.append(
                            "\n```mermaid\nxychart-beta horizontal\n  title \"Hits per rule (candidate)\"\n")
                    .append("  x-axis [")
                    .append(String.join(", ", chartNames))
                    .append("]\n  y-axis \"payments\"\n  bar ")
                    .append(chartHits)
                    .append("\n```\n");
        }
        return md.toString();
    }

    /**
     * The report as one self-contained page: well-formed XHTML (it parses as XML), charts as inline
     * SVG with titles, descriptions and labelled axes.
     */
    static String html(RuleBacktest.Result r) {
        RuleBacktest.Settings s = r.settings();
        Tally c = r.candidate();
        Tally b = r.baseline();
        String title =
                "Rule back-test: " + s.candidate().version() + " against " + s.baseline().version();
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">")
                .append("<head><meta charset=\"utf-8\"/><title>")
                .append(esc(title))
                .append("</title><style>")
                .append(STYLE)
                .append("</style></head><body><main><h1>")
                .append(esc(title))
                .append("</h1><ul><li>History: <code>")
                // the file and its folder, not the whole path: the report may be published to
                // the console, where the operator's folders are nobody's business
                .append(esc(shortName(s.features())))
                .append("</code>")
                .append(
                        s.from() == null && s.to() == null
                                ? ""
                                : esc(
                                        ", event time in ["
                                                + (s.from() == null ? "start" : s.from())
                                                + ", "
                                                + (s.to() == null ? "end" : s.to())
                                                + ")"))
                .append("</li><li>Models (their score reaches the rules as <code>model_score")
                .append("</code>): candidate ")
                .append(esc(modelText(s.candidateModel())))
                .append(", baseline ")
                .append(esc(modelText(s.baselineModel())))
                .append("</li><li>Payments judged: ")
                .append(String.format(Locale.ROOT, "%,d", c.payments))
                .append(", of which fraud: ")
                .append(String.format(Locale.ROOT, "%,d", c.frauds))
                .append(" (labels known later; features as at each payment&#39;s time)</li>")
                .append("<li>Stopped = sent to review or declined. Amounts in minor units.</li>")
                .append(
                        String.format(
                                Locale.ROOT,
                                "<li>%,.0f payments/s on the local Flink MiniCluster (%.1f"
                                        + " s)</li></ul>",
                                r.rowsPerSecond(),
                                r.elapsed().toMillis() / 1e3));
        h.append(
                "<h2>Overall</h2><table><caption>The baseline against the candidate on the same"
                        + " payments</caption><thead><tr><th scope=\"col\"></th>"
                        + "<th scope=\"col\">baseline</th><th scope=\"col\">candidate</th>"
                        + "<th scope=\"col\">difference</th></tr></thead><tbody>");
        htmlRow(h, "approve", b.approve, c.approve);
        htmlRow(h, "review", b.review, c.review);
        htmlRow(h, "decline", b.decline, c.decline);
        htmlRow(h, "frauds caught", b.caught, c.caught);
        htmlRow(h, "false positives", b.falsePositives, c.falsePositives);
        htmlRow(h, "amount saved", b.amountSaved, c.amountSaved);
        h.append(
                String.format(
                        Locale.ROOT,
                        "<tr><th scope=\"row\">review rate</th><td>%.3f %%</td><td>%.3f %%</td>"
                                + "<td>%+.3f points</td></tr>",
                        100 * b.reviewRate(),
                        100 * c.reviewRate(),
                        100 * (c.reviewRate() - b.reviewRate())));
        h.append(
                String.format(
                        Locale.ROOT,
                        "<tr><th scope=\"row\">frauds caught / all frauds</th><td>%.3f</td>"
                                + "<td>%.3f</td><td>%+.3f</td></tr>",
                        b.recall(),
                        c.recall(),
                        c.recall() - b.recall()));
        h.append(
                String.format(
                        Locale.ROOT,
                        "<tr><th scope=\"row\">frauds among stopped</th><td>%.3f</td>"
                                + "<td>%.3f</td><td>%+.3f</td></tr></tbody></table>",
                        b.precision(),
                        c.precision(),
                        c.precision() - b.precision()));
        h.append(
                SvgChart.groupedBars(
                        "stopped",
                        "Stopped payments: baseline and candidate",
                        List.of("review", "decline", "frauds caught", "false positives"),
                        List.of("baseline", "candidate"),
                        new long[][] {
                            {b.review, b.decline, b.caught, b.falsePositives},
                            {c.review, c.decline, c.caught, c.falsePositives}
                        },
                        "payments"));
        h.append(
                "<h2>Per rule</h2><table><caption>Each rule of the candidate (and of the baseline"
                        + " only) with the payments it hit</caption><thead><tr>"
                        + "<th scope=\"col\">rule</th><th scope=\"col\">hits</th>"
                        + "<th scope=\"col\">Δ hits vs baseline</th>"
                        + "<th scope=\"col\">frauds hit</th><th scope=\"col\">genuine hit</th>"
                        + "<th scope=\"col\">frauds among hits</th>"
                        + "<th scope=\"col\">fraud amount hit</th></tr></thead><tbody>");
        TreeSet<String> rules = new TreeSet<>(r.candidateRules().keySet());
        rules.addAll(r.baselineRules().keySet());
        List<String> chartNames = new ArrayList<>();
        List<Long> chartHits = new ArrayList<>();
        for (String rule : rules) {
            Tally t = r.candidateRules().getOrDefault(rule, new Tally());
            Tally was = r.baselineRules().getOrDefault(rule, new Tally());
            long fraudHits = t.frauds;
            h.append(
                    String.format(
                            Locale.ROOT,
                            "<tr><th scope=\"row\">%s%s</th><td>%,d</td><td>%+,d</td><td>%,d"
                                    + "</td><td>%,d</td><td>%.3f</td><td>%,d</td></tr>",
                            esc(rule),
                            r.candidateRules().containsKey(rule)
                                            || !r.baselineRules().containsKey(rule)
                                    ? ""
                                    : " (baseline only)",
                            t.payments,
                            t.payments - was.payments,
                            fraudHits,
                            t.payments - fraudHits,
                            t.payments == 0 ? 0.0 : (double) fraudHits / t.payments,
                            t.fraudAmount));
            if (t.payments > 0) {
                chartNames.add(rule);
                chartHits.add(t.payments);
            }
        }
        h.append("</tbody></table>");
        if (!chartNames.isEmpty()) {
            h.append(
                    SvgChart.horizontalBars(
                            "hits",
                            "Hits per rule (candidate)",
                            chartNames,
                            chartHits,
                            "payments hit"));
        }
        return h.append("</main></body></html>\n").toString();
    }

    private static final String STYLE =
            "body{font:15px/1.45 system-ui,sans-serif;color:#1d2330;margin:0}"
                    + "main{max-width:960px;margin:0 auto;padding:16px 24px}"
                    + "table{border-collapse:collapse;margin:8px 0 16px}"
                    + "th,td{padding:4px 10px;border-bottom:1px solid #d9dee7;text-align:right}"
                    + "th[scope=row],thead th:first-child{text-align:left}"
                    + "caption{text-align:left;color:#5b6578;font-size:13px}"
                    + "svg.chart{display:block;max-width:100%;height:auto;margin:8px 0 24px}"
                    + "svg.chart text{font-size:12px;fill:#1d2330}"
                    + "svg.chart .chart-title{font-size:14px;font-weight:600}";

    private static void htmlRow(StringBuilder h, String name, long baseline, long candidate) {
        h.append(
                String.format(
                        Locale.ROOT,
                        "<tr><th scope=\"row\">%s</th><td>%,d</td><td>%,d</td><td>%+,d</td></tr>",
                        name,
                        baseline,
                        candidate,
                        candidate - baseline));
    }

    private static String modelText(ModelRelease m) {
        return m == null ? "none (rules alone)" : m.getVersion() + " (" + m.getName() + ")";
    }

    private static String esc(String s) {
        return SvgChart.esc(s);
    }

    static String json(RuleBacktest.Result r) {
        StringBuilder j = new StringBuilder("{\n");
        j.append("  \"candidate_version\": \"")
                .append(r.settings().candidate().version())
                .append("\",\n");
        j.append("  \"baseline_version\": \"")
                .append(r.settings().baseline().version())
                .append("\",\n");
        j.append("  \"candidate_model\": ")
                .append(jsonModel(r.settings().candidateModel()))
                .append(",\n");
        j.append("  \"baseline_model\": ")
                .append(jsonModel(r.settings().baselineModel()))
                .append(",\n");
        j.append("  \"features\": \"")
                .append(escape(r.settings().features().toString()))
                .append("\",\n");
        j.append(
                String.format(Locale.ROOT, "  \"seconds\": %.3f,%n", r.elapsed().toMillis() / 1e3));
        j.append(
                String.format(
                        Locale.ROOT, "  \"payments_per_second\": %.1f,%n", r.rowsPerSecond()));
        j.append("  \"candidate\": ").append(tally(r.candidate())).append(",\n");
        j.append("  \"baseline\": ").append(tally(r.baseline())).append(",\n");
        j.append("  \"candidate_rules\": ").append(rules(r.candidateRules())).append(",\n");
        j.append("  \"baseline_rules\": ").append(rules(r.baselineRules())).append("\n}\n");
        return j.toString();
    }

    private static String model(ModelRelease m) {
        return m == null ? "none (rules alone)" : "`" + m.getVersion() + "` (" + m.getName() + ")";
    }

    private static String jsonModel(ModelRelease m) {
        return m == null ? "null" : "\"" + escape(m.getVersion()) + "\"";
    }

    private static String rules(Map<String, Tally> rules) {
        List<String> entries = new ArrayList<>();
        rules.forEach((k, t) -> entries.add("\"" + escape(k) + "\": " + tally(t)));
        return "{" + String.join(", ", entries) + "}";
    }

    private static String tally(Tally t) {
        return String.format(
                Locale.ROOT,
                "{\"payments\": %d, \"approve\": %d, \"review\": %d, \"decline\": %d,"
                        + " \"frauds\": %d, \"frauds_caught\": %d, \"false_positives\": %d,"
                        + " \"amount_saved\": %d, \"fraud_amount\": %d, \"review_rate\": %.6f}",
                t.payments,
                t.approve,
                t.review,
                t.decline,
                t.frauds,
                t.caught,
                t.falsePositives,
                t.amountSaved,
                t.fraudAmount,
                t.reviewRate());
    }

    private static void row(StringBuilder md, String name, long baseline, long candidate) {
        md.append(
                String.format(
                        Locale.ROOT,
                        "| %s | %,d | %,d | %+,d |%n",
                        name,
                        baseline,
                        candidate,
                        candidate - baseline));
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static String shortName(java.nio.file.Path file) {
        java.nio.file.Path name = file.getFileName();
        java.nio.file.Path parent = file.toAbsolutePath().getParent();
        return parent == null || parent.getFileName() == null
                ? String.valueOf(name)
                : parent.getFileName() + "/" + name;
    }
}
