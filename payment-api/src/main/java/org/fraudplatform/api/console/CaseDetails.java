package org.fraudplatform.api.console;

import static org.fraudplatform.api.console.Html.esc;
import static org.fraudplatform.api.console.Html.money;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fraudplatform.api.http.Json;

/**
 * The parts of a case page read from the decision and link projections ({@code payment_decisions},
 * {@code payment_links}, {@code payment_labels}): the model's score and its top contributions, the
 * shadow model and shadow rules, the feature values at decision time with the catalogue's
 * descriptions, and the other payments of the same card, customer, e-mail hash, IP and device.
 */
final class CaseDetails {

    /** Linked payments shown per kind of link. */
    static final int LINKED_PER_KIND = 10;

    /** "Model m scored 0.93; f = 3 raised it by 0.412": the contribution of a model reason. */
    private static final Pattern RAISED = Pattern.compile("raised it by (-?[0-9.]+(?:E-?[0-9]+)?)");

    private CaseDetails() {}

    /** What the decision projection holds of the payment's decision, or a note that it has none. */
    static String decision(Connection c, String paymentId, Map<String, String> descriptions)
            throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement(
                        "SELECT model_version, model_score, shadow_model_version,"
                                + " shadow_model_score, shadow_action, shadow_reasons::text,"
                                + " features::text, reasons::text, latency_micros, decided_at"
                                + " FROM payment_decisions WHERE payment_id = ?")) {
            s.setString(1, paymentId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return "<h2>Model and features</h2><p class=\"role\">The decision's features"
                            + " and scores are not in the history (yet).</p>";
                }
                String modelVersion = r.getString(1);
                Double modelScore = nullable(r, 2);
                String shadowModel = r.getString(3);
                Double shadowScore = nullable(r, 4);
                String shadowAction = r.getString(5);
                JsonNode shadowReasons = json(r.getString(6));
                JsonNode features = json(r.getString(7));
                JsonNode reasons = json(r.getString(8));
                StringBuilder out = new StringBuilder();
                out.append("<h2>Model</h2><div class=\"card\"><div class=\"grid\">");
                cell(
                        out,
                        "Champion",
                        modelVersion == null
                                ? "none: the rules decided alone"
                                : modelVersion + ", score " + score(modelScore));
                cell(
                        out,
                        "Shadow model",
                        shadowModel == null
                                ? "none"
                                : shadowModel
                                        + ", score "
                                        + score(shadowScore)
                                        + " (recorded, decides nothing)");
                cell(out, "Decided at", r.getTimestamp(10).toInstant());
                cell(out, "Decision took", r.getLong(9) / 1000.0 + " ms");
                out.append("</div></div>");
                out.append(contributions(reasons, features, descriptions));
                out.append(shadowRules(shadowAction, shadowReasons));
                out.append(featureTable(features, descriptions));
                return out.toString();
            }
        }
    }

    private static String contributions(
            JsonNode reasons, JsonNode features, Map<String, String> descriptions) {
        StringBuilder rows = new StringBuilder();
        for (JsonNode reason : reasons) {
            String source = reason.path("source").asText("");
            String code = reason.path("code").asText("");
            if (!source.startsWith("model:") || !code.startsWith("ML_")) {
                continue;
            }
            String feature = code.substring(3).toLowerCase(Locale.ROOT);
            Matcher m = RAISED.matcher(reason.path("message").asText(""));
            rows.append("<tr><td><code>")
                    .append(esc(feature))
                    .append("</code></td><td class=\"num\">")
                    .append(esc(value(features.get(feature))))
                    .append("</td><td class=\"num\">")
                    .append(m.find() ? "+" + esc(m.group(1)) : "")
                    .append("</td><td>")
                    .append(esc(descriptions.getOrDefault(feature, "")))
                    .append("</td></tr>");
        }
        if (rows.length() == 0) {
            return "<h3>Top contributions</h3><p class=\"role\">None recorded: the model explains"
                    + " a score when the payment is not simply approved or scores 0.5 or"
                    + " more.</p>";
        }
        return "<h3>Top contributions</h3><table><caption>What raised the champion's score"
                + " most (log-odds)</caption><thead><tr><th scope=\"col\">Feature</th>"
                + "<th scope=\"col\">Value</th><th scope=\"col\">Raised the score by</th>"
                + "<th scope=\"col\">What it is</th></tr></thead><tbody>"
                + rows
                + "</tbody></table>";
    }

    private static String shadowRules(String shadowAction, JsonNode shadowReasons) {
        StringBuilder out = new StringBuilder("<h2>Shadow rules</h2>");
        if (shadowAction == null && shadowReasons.isEmpty()) {
            return out.append("<p class=\"role\">No shadow rule fired.</p>").toString();
        }
        String action = shadowAction == null ? "" : shadowAction.toLowerCase(Locale.ROOT);
        out.append("<p>Would have decided: <span class=\"")
                .append(esc(action))
                .append("\">")
                .append(esc(action.isEmpty() ? "nothing else" : action))
                .append("</span> (recorded, decides nothing)</p><ul>");
        for (JsonNode r : shadowReasons) {
            out.append("<li>")
                    .append(esc(r.path("code").asText("")))
                    .append(": ")
                    .append(esc(r.path("message").asText("")))
                    .append(" <span class=\"role\">")
                    .append(esc(r.path("source").asText("")))
                    .append("</span></li>");
        }
        return out.append("</ul>").toString();
    }

    private static String featureTable(JsonNode features, Map<String, String> descriptions) {
        // catalogue order first, then whatever the decision had that this catalogue lacks
        List<String> names = new ArrayList<>();
        for (String name : descriptions.keySet()) {
            if (features.has(name)) {
                names.add(name);
            }
        }
        features.fieldNames()
                .forEachRemaining(
                        n -> {
                            if (!descriptions.containsKey(n)) {
                                names.add(n);
                            }
                        });
        if (names.isEmpty()) {
            return "<h2>Features at decision time</h2><p class=\"role\">None recorded.</p>";
        }
        StringBuilder out =
                new StringBuilder(
                        "<h2>Features at decision time</h2><table><thead><tr>"
                                + "<th scope=\"col\">Feature</th><th scope=\"col\">Value</th>"
                                + "<th scope=\"col\">What it is</th></tr></thead><tbody>");
        for (String name : names) {
            out.append("<tr><td><code>")
                    .append(esc(name))
                    .append("</code></td><td class=\"num\">")
                    .append(esc(value(features.get(name))))
                    .append("</td><td>")
                    .append(esc(descriptions.getOrDefault(name, "")))
                    .append("</td></tr>");
        }
        return out.append("</tbody></table>").toString();
    }

    /** One payment linked to the case, and what it shares with it. */
    private record Linked(
            String id,
            Set<String> shares,
            String merchant,
            java.time.Instant requestedAt,
            Long amount,
            String currency,
            String action,
            String status,
            String labels) {}

    /**
     * The other payments of the same card, customer (of the same merchant), e-mail hash, IP and
     * device: the newest {@value #LINKED_PER_KIND} of each kind, with their decision, status and
     * labels; a payment linked several ways is one row naming each.
     */
    static String linked(Connection c, String paymentId) throws SQLException {
        StringBuilder sql = new StringBuilder("WITH me AS (SELECT * FROM payment_links WHERE");
        sql.append(" payment_id = ?), l AS (");
        String[][] kinds = {
            {"card", "o.instrument_key = me.instrument_key"},
            {"customer", "o.merchant_id = me.merchant_id AND o.customer_id = me.customer_id"},
            {"e-mail", "o.email_hash = me.email_hash"},
            {"IP", "o.ip = me.ip"},
            {"device", "o.device_id = me.device_id"}
        };
        for (int i = 0; i < kinds.length; i++) {
            if (i > 0) {
                sql.append(" UNION ALL ");
            }
            sql.append("(SELECT '")
                    .append(kinds[i][0])
                    .append("' AS link, o.payment_id, o.merchant_id, o.requested_at FROM")
                    .append(" payment_links o, me WHERE ")
                    .append(kinds[i][1])
                    .append(" AND o.payment_id <> me.payment_id ORDER BY o.requested_at DESC")
                    .append(" LIMIT ")
                    .append(LINKED_PER_KIND)
                    .append(")");
        }
        sql.append(
                ") SELECT l.link, l.payment_id, l.merchant_id, l.requested_at, p.amount,"
                        + " p.currency, d.action, COALESCE(h.status, p.status), (SELECT"
                        + " string_agg(CASE WHEN b.fraud THEN 'fraud' ELSE 'not fraud' END"
                        + " || ' (' || lower(b.source) || ')', ', ' ORDER BY b.known_at) FROM"
                        + " payment_labels b WHERE b.payment_id = l.payment_id) FROM l LEFT JOIN"
                        + " payments p ON p.id = l.payment_id LEFT JOIN payment_history h ON"
                        + " h.id = l.payment_id LEFT JOIN payment_decisions d ON d.payment_id ="
                        + " l.payment_id ORDER BY l.requested_at DESC");
        Map<String, Linked> rows = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement(sql.toString())) {
            s.setString(1, paymentId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    String id = r.getString(2);
                    Linked row = rows.get(id);
                    if (row == null) {
                        long minor = r.getLong(5);
                        Long amount = r.wasNull() ? null : minor;
                        row =
                                new Linked(
                                        id,
                                        new LinkedHashSet<>(),
                                        r.getString(3),
                                        r.getTimestamp(4).toInstant(),
                                        amount,
                                        r.getString(6),
                                        r.getString(7),
                                        r.getString(8),
                                        r.getString(9));
                        rows.put(id, row);
                    }
                    row.shares().add(r.getString(1));
                }
            }
        }
        if (rows.isEmpty()) {
            return "<h2>Linked payments</h2><p class=\"role\">No other payment shares this one's"
                    + " card, customer, e-mail, IP or device.</p>";
        }
        StringBuilder out =
                new StringBuilder(
                        "<h2>Linked payments</h2><table><caption>Other payments of the same"
                                + " card, customer, e-mail, IP or device, newest first</caption>"
                                + "<thead><tr><th scope=\"col\">Payment</th>"
                                + "<th scope=\"col\">Shares</th><th scope=\"col\">Merchant</th>"
                                + "<th scope=\"col\">Requested</th><th scope=\"col\">Amount</th>"
                                + "<th scope=\"col\">Decision</th><th scope=\"col\">Status</th>"
                                + "<th scope=\"col\">Label</th></tr></thead><tbody>");
        for (Linked l : rows.values()) {
            String action = l.action() == null ? "" : l.action().toLowerCase(Locale.ROOT);
            out.append("<tr><td>")
                    .append(Html.paymentLink(l.id()))
                    .append("</td><td>")
                    .append(esc(String.join(", ", inKindOrder(l.shares()))))
                    .append("</td><td>")
                    .append(esc(l.merchant()))
                    .append("</td><td>")
                    .append(esc(l.requestedAt()))
                    .append("</td><td class=\"num\">")
                    .append(l.amount() == null ? "" : esc(money(l.amount(), l.currency())))
                    .append("</td><td class=\"")
                    .append(esc(action))
                    .append("\">")
                    .append(esc(action))
                    .append("</td><td>")
                    .append(esc(l.status()))
                    .append("</td><td>")
                    .append(esc(l.labels() == null ? "none" : l.labels()))
                    .append("</td></tr>");
        }
        return out.append("</tbody></table>").toString();
    }

    private static final List<String> KINDS = List.of("card", "customer", "e-mail", "IP", "device");

    private static List<String> inKindOrder(Set<String> shares) {
        List<String> out = new ArrayList<>();
        for (String kind : KINDS) {
            if (shares.contains(kind)) {
                out.add(kind);
            }
        }
        return out;
    }

    private static String value(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "missing";
        }
        double d = v.asDouble();
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return String.format(Locale.ROOT, "%.4g", d);
    }

    private static String score(Double s) {
        return s == null ? "none" : String.format(Locale.ROOT, "%.3f", s);
    }

    private static Double nullable(ResultSet r, int column) throws SQLException {
        double v = r.getDouble(column);
        return r.wasNull() ? null : v;
    }

    private static void cell(StringBuilder out, String name, Object value) {
        out.append("<div>")
                .append(esc(name))
                .append("</div><div>")
                .append(esc(value))
                .append("</div>");
    }

    private static JsonNode json(String text) {
        try {
            return text == null ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(text);
        } catch (IOException e) {
            return Json.MAPPER.createObjectNode();
        }
    }
}
