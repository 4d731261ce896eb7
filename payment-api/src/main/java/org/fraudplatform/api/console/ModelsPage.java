package org.fraudplatform.api.console;

import static org.fraudplatform.api.console.Html.csrfField;
import static org.fraudplatform.api.console.Html.esc;

import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.fraudplatform.api.people.Permission;
import org.fraudplatform.api.people.Person;
import org.fraudplatform.api.reports.Reports;

/**
 * The console's models page: the registry with each model's stage, test metrics and who put it
 * there; promote, shadow and rollback for whoever may release models (data scientists and
 * administrators), and nothing to press for anyone else.
 */
final class ModelsPage {

    /** The metrics shown first, in this order; the others follow by name. */
    private static final List<String> FIRST =
            List.of("roc_auc", "average_precision", "card_precision_at_100");

    private ModelsPage() {}

    /**
     * @param reports each model's newest evaluation report, by model version
     */
    static String render(
            Person me,
            String csrf,
            List<ModelStages.Model> models,
            List<ModelStages.Proposal> proposals,
            boolean fourEyes,
            java.util.Map<String, Reports.Listed> reports,
            String notice) {
        StringBuilder out = new StringBuilder();
        if (notice != null) {
            out.append(notice);
        }
        out.append(
                "<p class=\"role\">Data scientists train, evaluate and register models with"
                        + " <code>bin/fraud models</code>; the champion scores every payment and"
                        + " the rules read its score, a shadow model is scored and recorded,"
                        + " deciding nothing. Every change is signed and audited under the"
                        + " person's name; every scoring instance takes it up without a"
                        + " restart. A model registered with <code>--report</code> links its"
                        + " evaluation report.</p>");
        if (models.isEmpty()) {
            return out.append("<p class=\"notice\">No model is registered: the rules decide")
                    .append(" alone.</p>")
                    .toString();
        }
        boolean mayChange = me.may(Permission.MODELS);
        if (fourEyes) {
            out.append("<p class=\"notice\">Four eyes are required for promotions: one person")
                    .append(" proposes, another approves.</p>");
        }
        if (!proposals.isEmpty()) {
            proposals(out, me, csrf, models, proposals, mayChange);
        }
        TreeSet<String> others = new TreeSet<>();
        for (ModelStages.Model m : models) {
            others.addAll(m.metrics().keySet());
        }
        // the usual metrics first, those no model has left out
        List<String> metrics = new java.util.ArrayList<>();
        for (String metric : FIRST) {
            if (others.remove(metric)) {
                metrics.add(metric);
            }
        }
        metrics.addAll(others);
        out.append("<table><caption>The registry, newest stage change first; metrics on the")
                .append(" test period</caption><thead><tr><th scope=\"col\">Version</th>")
                .append("<th scope=\"col\">Name</th><th scope=\"col\">Stage</th>");
        for (String metric : metrics) {
            out.append("<th scope=\"col\">").append(esc(metric)).append("</th>");
        }
        out.append("<th scope=\"col\">Tested on</th><th scope=\"col\">Evaluation</th>")
                .append("<th scope=\"col\">Stage set</th>")
                .append("<th scope=\"col\">By</th><th scope=\"col\"><span class=\"sr-only\">")
                .append("Action</span></th></tr></thead><tbody>");
        boolean hasChampion = false;
        for (ModelStages.Model m : models) {
            String stage = m.stage().toLowerCase(Locale.ROOT);
            hasChampion |= stage.equals("champion");
            out.append("<tr><td><code>")
                    .append(esc(m.version()))
                    .append("</code></td><td>")
                    .append(esc(m.name()))
                    .append(" <span class=\"role\">")
                    .append(esc(m.kind()))
                    .append("</span></td><td class=\"stage-")
                    .append(esc(stage))
                    .append("\">")
                    .append(stage.equals("champion") ? "<strong>champion</strong>" : esc(stage))
                    .append("</td>");
            for (String metric : metrics) {
                Double v = m.metrics().get(metric);
                out.append("<td class=\"num\">")
                        .append(v == null || v.isNaN() ? "" : String.format(Locale.ROOT, "%.3f", v))
                        .append("</td>");
            }
            out.append("<td>")
                    .append(esc(day(m.testedFrom())))
                    .append(" to ")
                    .append(esc(day(m.testedTo())))
                    .append("</td><td>");
            Reports.Listed report = reports.get(m.version());
            if (report != null) {
                out.append("<a href=\"/console/reports/")
                        .append(report.id())
                        .append("\">Report<span class=\"sr-only\"> of ")
                        .append(esc(m.version()))
                        .append("</span></a>");
            }
            out.append("</td><td>")
                    .append(esc(minute(m.stageChangedAt())))
                    .append("</td><td>")
                    .append(esc(m.stageChangedBy()))
                    .append("</td><td>");
            if (mayChange && !stage.equals("champion")) {
                if (!fourEyes) {
                    action(out, csrf, m.version(), "promote", "Promote to champion");
                }
                if (proposals.stream().noneMatch(p -> p.version().equals(m.version()))) {
                    action(out, csrf, m.version(), "propose", "Propose promotion");
                }
            }
            if (mayChange && !stage.equals("shadow") && !stage.equals("champion")) {
                action(out, csrf, m.version(), "shadow", "Shadow");
            }
            out.append("</td></tr>");
        }
        out.append("</tbody></table>");
        if (mayChange && hasChampion) {
            out.append("<form method=\"post\" action=\"/console/models/rollback\">")
                    .append(csrfField(csrf))
                    .append("<p><button type=\"submit\">Roll back the champion</button>")
                    .append(" <span class=\"role\">the champion before it scores again (none:")
                    .append(" the rules decide alone)</span></p></form>");
        }
        if (!mayChange) {
            out.append("<p class=\"notice\">")
                    .append(esc(Html.aRole(me.role().label())))
                    .append(" reads the registry; data scientists and administrators change")
                    .append(" it.</p>");
        }
        return out.toString();
    }

    /** The champion's and the shadow's scores on the payments labelled so far. */
    record OnLabels(
            long labelled,
            long frauds,
            Double championOnFraud,
            Double championOnLegit,
            Double shadowOnFraud,
            Double shadowOnLegit) {}

    /**
     * How the champion and the shadow scored the payments they both scored whose label is known
     * (the newest label of each payment): the mean score of each on frauds and on the others.
     */
    static OnLabels onLabels(java.sql.Connection c, String champion, String shadow)
            throws java.sql.SQLException {
        try (java.sql.PreparedStatement s =
                c.prepareStatement(
                        "SELECT count(*), count(*) FILTER (WHERE l.fraud), avg(d.model_score)"
                                + " FILTER (WHERE l.fraud), avg(d.model_score) FILTER (WHERE NOT"
                                + " l.fraud), avg(d.shadow_model_score) FILTER (WHERE l.fraud),"
                                + " avg(d.shadow_model_score) FILTER (WHERE NOT l.fraud) FROM"
                                + " payment_decisions d JOIN LATERAL (SELECT b.fraud FROM"
                                + " payment_labels b WHERE b.payment_id = d.payment_id ORDER BY"
                                + " b.known_at DESC LIMIT 1) l ON true WHERE d.model_version = ?"
                                + " AND d.shadow_model_version = ? AND d.model_score IS NOT NULL"
                                + " AND d.shadow_model_score IS NOT NULL")) {
            s.setString(1, champion);
            s.setString(2, shadow);
            try (java.sql.ResultSet r = s.executeQuery()) {
                r.next();
                return new OnLabels(
                        r.getLong(1),
                        r.getLong(2),
                        (Double) r.getObject(3, Double.class),
                        (Double) r.getObject(4, Double.class),
                        (Double) r.getObject(5, Double.class),
                        (Double) r.getObject(6, Double.class));
            }
        }
    }

    /** The comparison as a table, or a sentence when there is nothing to compare yet. */
    static String onLabelsTable(String champion, String shadow, OnLabels on) {
        StringBuilder out =
                new StringBuilder("<h2>Champion against shadow, on the labels so far</h2>");
        if (on.labelled() == 0) {
            return out.append("<p class=\"role\">No payment scored by both ")
                    .append(esc(champion))
                    .append(" and ")
                    .append(esc(shadow))
                    .append(" has a label yet.</p>")
                    .toString();
        }
        out.append("<table class=\"narrow\"><caption>")
                .append(on.labelled())
                .append(" labelled payments scored by both, ")
                .append(on.frauds())
                .append(" of them fraud; a model that tells them apart scores frauds higher")
                .append("</caption><thead><tr><th scope=\"col\">Model</th>")
                .append("<th scope=\"col\">Mean score on frauds</th>")
                .append("<th scope=\"col\">Mean score on the others</th></tr></thead><tbody>");
        row(out, champion + " (champion)", on.championOnFraud(), on.championOnLegit());
        row(out, shadow + " (shadow)", on.shadowOnFraud(), on.shadowOnLegit());
        return out.append("</tbody></table>").toString();
    }

    private static void row(StringBuilder out, String model, Double fraud, Double legit) {
        out.append("<tr><td>")
                .append(esc(model))
                .append("</td><td class=\"num\">")
                .append(fraud == null ? "" : String.format(Locale.ROOT, "%.3f", fraud))
                .append("</td><td class=\"num\">")
                .append(legit == null ? "" : String.format(Locale.ROOT, "%.3f", legit))
                .append("</td></tr>");
    }

    /** The promotions waiting for a second person, with an approve button for another one. */
    private static void proposals(
            StringBuilder out,
            Person me,
            String csrf,
            List<ModelStages.Model> models,
            List<ModelStages.Proposal> proposals,
            boolean mayChange) {
        out.append("<h2 id=\"proposals\">Promotions waiting for a second person</h2>")
                .append("<table>")
                .append(Html.headerRow("Version", "Name", "Proposed", "By", ""))
                .append("<tbody>");
        for (ModelStages.Proposal p : proposals) {
            String name =
                    models.stream()
                            .filter(m -> m.version().equals(p.version()))
                            .map(ModelStages.Model::name)
                            .findFirst()
                            .orElse("");
            out.append("<tr><td><code>")
                    .append(esc(p.version()))
                    .append("</code></td><td>")
                    .append(esc(name))
                    .append("</td><td>")
                    .append(esc(minute(p.proposedAt())))
                    .append("</td><td>")
                    .append(esc(p.proposedBy()))
                    .append("</td><td>");
            if (p.proposedBy().equals(me.auditName())) {
                out.append("<span class=\"role\">yours: another person approves it</span>");
            } else if (mayChange) {
                action(out, csrf, p.version(), "approve", "Approve the promotion");
            }
            out.append("</td></tr>");
        }
        out.append("</tbody></table><h2>The registry</h2>");
    }

    private static void action(
            StringBuilder out, String csrf, String version, String action, String label) {
        out.append("<form class=\"inline\" method=\"post\" action=\"/console/models/")
                .append(Html.url(version))
                .append('/')
                .append(action)
                .append("\">")
                .append(csrfField(csrf))
                .append("<button type=\"submit\">")
                .append(esc(label))
                .append("</button></form> ");
    }

    private static String minute(java.time.Instant at) {
        return at == null ? "" : at.toString().substring(0, 16).replace('T', ' ');
    }

    private static String day(java.time.Instant at) {
        return at == null ? "?" : at.toString().substring(0, 10);
    }
}
