package org.fraudplatform.api.console;

import static org.fraudplatform.api.console.Html.esc;
import static org.fraudplatform.api.console.Html.money;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.fraudplatform.api.http.Json;

/**
 * The console's decision search ({@code /console/search}): the risk decisions of the decisions
 * projection ({@code payment_decisions}) by payment, merchant, customer, card fingerprint, IP,
 * device, action, reason code and decision time, every filter given combined with AND, newest
 * first, {@value #PAGE} a page (keyset on {@code decided_at, payment_id}, so a page costs the same
 * however deep it is). The customer, card, IP and device come from the links projection ({@code
 * payment_links}); a card fingerprint ({@code fp_…}, the merchant's name for a card) finds the
 * card's payments at every merchant, as the case page links them.
 */
final class DecisionSearch {

    /** Decisions a page. */
    static final int PAGE = 50;

    private static final List<String> ACTIONS = List.of("approve", "review", "decline");

    private DecisionSearch() {}

    /**
     * What to search for; null is "any". From is inclusive, to exclusive.
     *
     * @param card a card fingerprint
     */
    record Filters(
            String payment,
            String merchant,
            String customer,
            String card,
            String ip,
            String device,
            String action,
            String reason,
            Instant from,
            Instant to) {

        static final Filters ANY =
                new Filters(null, null, null, null, null, null, null, null, null, null);

        /**
         * The filters of a query string. A time is UTC unless it names its offset; a bare day means
         * its start in "from" and its end in "to".
         *
         * @throws IllegalArgumentException for an action or a time that is not one
         */
        static Filters of(Map<String, String> query) {
            String action = blankToNull(query.get("action"));
            if (action != null && !ACTIONS.contains(action.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException(
                        "Decision: one of approve, review, decline, not " + action);
            }
            return new Filters(
                    blankToNull(query.get("payment")),
                    blankToNull(query.get("merchant")),
                    blankToNull(query.get("customer")),
                    blankToNull(query.get("card")),
                    blankToNull(query.get("ip")),
                    blankToNull(query.get("device")),
                    action == null ? null : action.toLowerCase(Locale.ROOT),
                    blankToNull(query.get("reason")),
                    time("From", query.get("from"), false),
                    time("To", query.get("to"), true));
        }

        /** The filters of a query string without those that are not one, to show the form again. */
        static Filters lenient(Map<String, String> query) {
            Map<String, String> valid = new LinkedHashMap<>(query);
            for (String key : List.of("action", "from", "to")) {
                try {
                    of(Map.of(key, query.getOrDefault(key, "")));
                } catch (IllegalArgumentException e) {
                    valid.remove(key);
                }
            }
            return of(valid);
        }

        /** The filters as a query string, for the next page's link. */
        String query() {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("payment", payment);
            q.put("merchant", merchant);
            q.put("customer", customer);
            q.put("card", card);
            q.put("ip", ip);
            q.put("device", device);
            q.put("action", action);
            q.put("reason", reason);
            q.put("from", from == null ? null : from.toString());
            q.put("to", to == null ? null : to.toString());
            StringBuilder out = new StringBuilder();
            q.forEach(
                    (k, v) -> {
                        if (v != null) {
                            out.append(out.length() == 0 ? "" : "&")
                                    .append(k)
                                    .append('=')
                                    .append(Html.url(v));
                        }
                    });
            return out.toString();
        }
    }

    /** Where a page ends: the next page holds the decisions strictly before it. */
    record Cursor(Instant decidedAt, String paymentId) {

        static Optional<Cursor> of(Map<String, String> query) {
            String time = blankToNull(query.get("before"));
            String id = blankToNull(query.get("before_id"));
            if (time == null || id == null) {
                return Optional.empty();
            }
            try {
                return Optional.of(new Cursor(Instant.parse(time), id));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("Not a page: " + time);
            }
        }

        String query() {
            return "before=" + Html.url(decidedAt.toString()) + "&before_id=" + Html.url(paymentId);
        }
    }

    /** One decision found, with the payment's amount and status when the API has them. */
    record Hit(
            String paymentId,
            String merchantId,
            String action,
            double score,
            Instant decidedAt,
            List<String> reasons,
            Long amount,
            String currency,
            String status) {}

    /**
     * @param next where the next (older) page starts; empty on the last page
     */
    record Page(List<Hit> hits, Optional<Cursor> next) {}

    /** The newest {@code limit} decisions matching every filter, before the cursor if any. */
    static Page find(Connection c, Filters f, Optional<Cursor> before, int limit)
            throws SQLException {
        Query q = query(f, before, limit + 1);
        List<Hit> hits = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(q.sql())) {
            q.bind(s);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    long minor = r.getLong(7);
                    Long amount = r.wasNull() ? null : minor;
                    List<String> codes = new ArrayList<>();
                    for (JsonNode reason : json(r.getString(6))) {
                        codes.add(reason.path("code").asText(""));
                    }
                    hits.add(
                            new Hit(
                                    r.getString(1),
                                    r.getString(2),
                                    r.getString(3).toLowerCase(Locale.ROOT),
                                    r.getDouble(4),
                                    r.getTimestamp(5).toInstant(),
                                    codes,
                                    amount,
                                    r.getString(8),
                                    r.getString(9)));
                }
            }
        }
        if (hits.size() <= limit) {
            return new Page(hits, Optional.empty());
        }
        hits = hits.subList(0, limit);
        Hit last = hits.get(limit - 1);
        return new Page(
                List.copyOf(hits), Optional.of(new Cursor(last.decidedAt(), last.paymentId())));
    }

    /** A statement and its parameters. */
    record Query(String sql, List<Object> args) {

        void bind(PreparedStatement s) throws SQLException {
            for (int i = 0; i < args.size(); i++) {
                s.setObject(i + 1, args.get(i));
            }
        }
    }

    /**
     * The statement of a search: only the filters given are in it, so that each is planned on its
     * own index rather than on a generic plan of "(? IS NULL OR …)".
     */
    static Query query(Filters f, Optional<Cursor> before, int rows) {
        StringBuilder sql = new StringBuilder();
        List<Object> args = new ArrayList<>();
        boolean links = f.customer() != null || f.card() != null || f.ip() != null;
        links |= f.device() != null;
        if (links) {
            // the payments of the customer, card, IP or device first, on their own index (a
            // thousand payments of one IP are read, joined and sorted in a few milliseconds);
            // otherwise the planner walks every decision newest first to find them
            sql.append(
                    "WITH l AS MATERIALIZED (SELECT l.payment_id FROM payment_links l WHERE true");
            where(sql, args, "l.customer_id = ?", f.customer());
            where(
                    sql,
                    args,
                    "l.instrument_key = ANY (ARRAY(SELECT instrument_key FROM payments WHERE"
                            + " card_fingerprint = ?))",
                    f.card());
            where(sql, args, "l.ip = ?", f.ip());
            where(sql, args, "l.device_id = ?", f.device());
            sql.append(") ");
        }
        sql.append(
                "SELECT d.payment_id, d.merchant_id, d.action, d.score, d.decided_at,"
                        + " d.reasons::text, p.amount, p.currency, COALESCE(h.status, p.status)"
                        + " FROM ");
        if (links) {
            // each of them looked up by its key (OFFSET 0 keeps the planner from hashing every
            // decision to join a thousand)
            sql.append(
                    "l CROSS JOIN LATERAL (SELECT * FROM payment_decisions k WHERE k.payment_id ="
                            + " l.payment_id OFFSET 0) d");
        } else {
            sql.append("payment_decisions d");
        }
        sql.append(
                " LEFT JOIN payments p ON p.id = d.payment_id LEFT JOIN payment_history h ON"
                        + " h.id = d.payment_id WHERE true");
        where(sql, args, "d.payment_id = ?", f.payment());
        where(sql, args, "d.merchant_id = ?", f.merchant());
        where(
                sql,
                args,
                "d.action = ?",
                f.action() == null ? null : f.action().toUpperCase(Locale.ROOT));
        where(
                sql,
                args,
                "d.reasons @> jsonb_build_array(jsonb_build_object('code', ?::text))",
                f.reason());
        where(sql, args, "d.decided_at >= ?", stamp(f.from()));
        where(sql, args, "d.decided_at < ?", stamp(f.to()));
        if (before.isPresent()) {
            sql.append(" AND (d.decided_at, d.payment_id) < (?, ?)");
            args.add(stamp(before.get().decidedAt()));
            args.add(before.get().paymentId());
        }
        sql.append(" ORDER BY d.decided_at DESC, d.payment_id DESC LIMIT ?");
        args.add(rows);
        return new Query(sql.toString(), args);
    }

    /** The search form, then the page found (or the error that stopped the search). */
    static String render(Filters f, Page page, boolean paged, String error) {
        StringBuilder out = new StringBuilder();
        if (error != null) {
            out.append("<p class=\"notice error\">").append(esc(error)).append("</p>");
        }
        out.append("<form class=\"filters\" method=\"get\" action=\"/console/search\">");
        input(out, "Payment", "payment", f.payment(), "pay_…");
        input(out, "Merchant", "merchant", f.merchant(), null);
        input(out, "Customer", "customer", f.customer(), null);
        input(out, "Card fingerprint", "card", f.card(), "fp_…");
        input(out, "IP address", "ip", f.ip(), null);
        input(out, "Device", "device", f.device(), null);
        out.append("<label>Decision<select name=\"action\"><option value=\"\">any</option>");
        for (String a : ACTIONS) {
            out.append("<option")
                    .append(a.equals(f.action()) ? " selected" : "")
                    .append(">")
                    .append(a)
                    .append("</option>");
        }
        out.append("</select></label>");
        input(out, "Reason code", "reason", f.reason(), "AMOUNT_VERY_LARGE");
        input(
                out,
                "From (UTC)",
                "from",
                f.from() == null ? null : f.from().toString(),
                "2026-12-01T09:00");
        input(out, "To (UTC)", "to", f.to() == null ? null : f.to().toString(), "2026-12-01T10:00");
        out.append("<button type=\"submit\">Search</button></form>");
        if (page == null) {
            return out.toString();
        }
        if (page.hits().isEmpty()) {
            out.append("<p class=\"notice\">No decision matches.</p>");
        } else {
            out.append(
                    "<table><caption>Decisions matching every filter given, newest"
                            + " first</caption><thead><tr><th scope=\"col\">Payment</th><th"
                            + " scope=\"col\">Decided (UTC)</th><th scope=\"col\">Merchant</th><th"
                            + " scope=\"col\">Decision</th><th scope=\"col\">Score</th><th"
                            + " scope=\"col\">Amount</th><th scope=\"col\">Status</th><th"
                            + " scope=\"col\">Reasons</th></tr></thead><tbody>");
            for (Hit h : page.hits()) {
                out.append("<tr><td>")
                        .append(Html.paymentLink(h.paymentId()))
                        .append("</td><td>")
                        .append(esc(h.decidedAt()))
                        .append("</td><td>")
                        .append(esc(h.merchantId()))
                        .append("</td><td class=\"")
                        .append(esc(h.action()))
                        .append("\">")
                        .append(esc(h.action()))
                        .append("</td><td class=\"num\">")
                        .append(String.format(Locale.ROOT, "%.2f", h.score()))
                        .append("</td><td class=\"num\">")
                        .append(h.amount() == null ? "" : esc(money(h.amount(), h.currency())))
                        .append("</td><td>")
                        .append(esc(h.status()))
                        .append("</td><td>")
                        .append(esc(String.join(", ", h.reasons())))
                        .append("</td></tr>");
            }
            out.append("</tbody></table>");
        }
        String filters = f.query();
        String base = "/console/search?" + filters + (filters.isEmpty() ? "" : "&");
        out.append("<p class=\"pages\">");
        if (paged) {
            out.append("<a href=\"/console/search")
                    .append(filters.isEmpty() ? "" : "?" + esc(filters))
                    .append("\">Newest</a> ");
        }
        page.next()
                .ifPresent(
                        next ->
                                out.append("<a rel=\"next\" href=\"")
                                        .append(esc(base + next.query()))
                                        .append("\">Older decisions</a>"));
        return out.append("</p>").toString();
    }

    private static void input(
            StringBuilder out, String label, String name, String value, String placeholder) {
        out.append("<label>")
                .append(esc(label))
                .append("<input name=\"")
                .append(name)
                .append("\" value=\"")
                .append(esc(value))
                .append("\"")
                .append(placeholder == null ? "" : " placeholder=\"" + esc(placeholder) + "\"")
                .append("></label>");
    }

    private static void where(StringBuilder sql, List<Object> args, String condition, Object v) {
        if (v != null) {
            sql.append(" AND ").append(condition);
            args.add(v);
        }
    }

    private static Timestamp stamp(Instant t) {
        return t == null ? null : Timestamp.from(t);
    }

    static Instant time(String field, String text, boolean end) {
        String t = blankToNull(text);
        if (t == null) {
            return null;
        }
        try {
            if (t.length() == 10) {
                LocalDate day = LocalDate.parse(t);
                return (end ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d:\\d\\d$")) {
                return OffsetDateTime.parse(t).toInstant();
            }
            return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    field + ": a day (2026-12-01) or a time (2026-12-01T09:30), not " + t);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static JsonNode json(String text) {
        try {
            return text == null ? Json.MAPPER.createArrayNode() : Json.MAPPER.readTree(text);
        } catch (IOException e) {
            return Json.MAPPER.createArrayNode();
        }
    }
}
