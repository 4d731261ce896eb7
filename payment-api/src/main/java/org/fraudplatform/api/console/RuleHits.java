package org.fraudplatform.api.console;

import static org.fraudplatform.api.console.Html.esc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rules page's hits over the last day: per rule and mode (live rules decide, shadow rules are
 * recorded only), the decisions it was among the reasons of ({@code rule_hit_minutes}, counted by
 * the decisions projection: at most 1 440 rows per rule whatever the volume), and of those hits the
 * ones whose payment has a label by now and how many of them are frauds (the newest label of each
 * payment, from {@code payment_labels} joined with the hits' decisions in {@code
 * payment_decisions}).
 */
final class RuleHits {

    static final Duration WINDOW = Duration.ofHours(24);

    private RuleHits() {}

    /**
     * One rule's day.
     *
     * @param labelled hits whose payment has a label by now
     * @param frauds labelled hits whose newest label says fraud
     */
    record Row(String rule, String mode, long hits, long labelled, long frauds) {

        /** Frauds among all hits, 0 to 1. */
        double fraudShare() {
            return hits == 0 ? 0 : (double) frauds / hits;
        }
    }

    /** Every rule that hit in the day to {@code now}, most hits first. */
    static List<Row> read(Connection c, Instant now) throws SQLException {
        // whole minutes: the day ends with the minute now is in
        Instant since = Instant.ofEpochSecond((now.getEpochSecond() / 60 + 1) * 60).minus(WINDOW);
        Map<List<String>, long[]> counts = new LinkedHashMap<>();
        try (PreparedStatement s =
                c.prepareStatement(
                        "SELECT rule, mode, sum(decisions) FROM rule_hit_minutes WHERE minute >= ?"
                                + " GROUP BY rule, mode ORDER BY 3 DESC, 1, 2")) {
            s.setTimestamp(1, Timestamp.from(since));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    counts.put(
                            List.of(r.getString(1), r.getString(2)),
                            new long[] {r.getLong(3), 0, 0});
                }
            }
        }
        // a payment is labelled after it was decided: the day's hits have labels known since
        try (PreparedStatement s =
                c.prepareStatement(
                        "WITH labelled AS (SELECT DISTINCT ON (b.payment_id) b.payment_id,"
                                + " b.fraud FROM payment_labels b WHERE b.known_at >= ? ORDER BY"
                                + " b.payment_id, b.known_at DESC, b.label_id DESC) SELECT x.rule,"
                                + " x.mode, count(*), count(*) FILTER (WHERE l.fraud) FROM"
                                + " labelled l JOIN payment_decisions d ON d.payment_id ="
                                + " l.payment_id CROSS JOIN LATERAL (SELECT DISTINCT"
                                + " substr(r ->> 'source', 6) AS rule, 'live' AS mode FROM"
                                + " jsonb_array_elements(d.reasons) r WHERE r ->> 'source' LIKE"
                                + " 'rule:_%' UNION SELECT DISTINCT substr(r ->> 'source', 6),"
                                + " 'shadow' FROM jsonb_array_elements(d.shadow_reasons) r WHERE"
                                + " r ->> 'source' LIKE 'rule:_%') x WHERE d.decided_at >= ?"
                                + " GROUP BY x.rule, x.mode")) {
            s.setTimestamp(1, Timestamp.from(since));
            s.setTimestamp(2, Timestamp.from(since));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    long[] n = counts.get(List.of(r.getString(1), r.getString(2)));
                    if (n != null) {
                        n[1] = r.getLong(3);
                        n[2] = r.getLong(4);
                    }
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        counts.forEach((k, n) -> rows.add(new Row(k.get(0), k.get(1), n[0], n[1], n[2])));
        return rows;
    }

    static String render(List<Row> rows) {
        StringBuilder out =
                new StringBuilder(
                        "<h2 id=\"hits\">Rule hits, last 24 hours</h2><p class=\"role\">A hit is a"
                                + " decision that names the rule among its reasons (a shadow"
                                + " rule's among what it would have decided). Frauds are the hits"
                                + " whose payment's newest label says fraud; most payments are"
                                + " never labelled, and chargebacks come weeks later, so the"
                                + " share grows as labels arrive.</p>");
        if (rows.isEmpty()) {
            return out.append("<p class=\"notice\">No rule hit in the last 24 hours.</p>")
                    .toString();
        }
        out.append(
                "<table><caption>Hits per rule over the last 24 hours, most first, with the"
                        + " labels known so far</caption><thead><tr><th scope=\"col\">Rule</th>"
                        + "<th scope=\"col\">Mode</th><th scope=\"col\">Hits</th>"
                        + "<th scope=\"col\">Labelled</th><th scope=\"col\">Frauds</th>"
                        + "<th scope=\"col\">Frauds among hits</th>"
                        + "<th scope=\"col\">Frauds among labelled</th></tr></thead><tbody>");
        for (Row r : rows) {
            out.append("<tr><td>")
                    .append(esc(r.rule()))
                    .append("</td><td>")
                    .append(esc(r.mode()))
                    .append("</td><td class=\"num\">")
                    .append(r.hits())
                    .append("</td><td class=\"num\">")
                    .append(r.labelled())
                    .append("</td><td class=\"num\">")
                    .append(r.frauds())
                    .append("</td><td class=\"num\">")
                    .append(percent(r.fraudShare()))
                    .append("</td><td class=\"num\">")
                    .append(
                            r.labelled() == 0
                                    ? "no label yet"
                                    : percent((double) r.frauds() / r.labelled()))
                    .append("</td></tr>");
        }
        return out.append("</tbody></table>").toString();
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f %%", share * 100);
    }
}
