package org.fraudplatform.api.console;

import static org.fraudplatform.api.console.Html.csrfField;
import static org.fraudplatform.api.console.Html.esc;
import static org.fraudplatform.api.console.Html.money;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fraudplatform.api.people.Permission;
import org.fraudplatform.api.people.Person;

/**
 * The console's reconciliation page: a day's items (the ledger's money movements against the
 * providers' settlement reports) counted by category and status, then every item, exceptions first,
 * each exception with a form to resolve it with a note. Read and resolved through the same service
 * as {@code GET /v1/reconciliation} and {@code POST /v1/reconciliation/resolutions}.
 */
final class ReconciliationPage {

    /** Items other than exceptions and open ones shown per day; the counts hold them all. */
    static final int SETTLED_SHOWN = 200;

    private static final List<String> STATUS_ORDER =
            List.of("EXCEPTION", "OPEN", "RESOLVED", "MATCHED");

    private ReconciliationPage() {}

    static String render(Person me, String csrf, LocalDate day, JsonNode items, String notice) {
        StringBuilder out = new StringBuilder();
        if (notice != null) {
            out.append(notice);
        }
        out.append("<form class=\"filters\" method=\"get\" action=\"/console/reconciliation\">")
                .append("<label>Day<input type=\"date\" name=\"date\" value=\"")
                .append(esc(day))
                .append("\" required></label><button type=\"submit\">Show</button>")
                .append("<a href=\"/console/reconciliation?date=")
                .append(esc(day.minusDays(1)))
                .append("\">previous day</a><a href=\"/console/reconciliation?date=")
                .append(esc(day.plusDays(1)))
                .append("\">next day</a></form>");
        List<JsonNode> all = new ArrayList<>();
        items.path("data").forEach(all::add);
        if (all.isEmpty()) {
            return out.append("<p class=\"notice\">No reconciliation item on ")
                    .append(esc(day))
                    .append(".</p>")
                    .toString();
        }
        // counts by category and status
        Map<String, Map<String, Integer>> counts = new TreeMap<>();
        for (JsonNode item : all) {
            counts.computeIfAbsent(item.path("category").asText(), c -> new TreeMap<>())
                    .merge(item.path("status").asText(), 1, Integer::sum);
        }
        out.append("<table class=\"narrow\"><caption>Items of ")
                .append(esc(day))
                .append(" by category</caption><thead><tr><th scope=\"col\">Category</th>");
        for (String status : STATUS_ORDER) {
            out.append("<th scope=\"col\">").append(lower(status)).append("</th>");
        }
        out.append("</tr></thead><tbody>");
        counts.forEach(
                (category, byStatus) -> {
                    out.append("<tr><td>").append(esc(lower(category))).append("</td>");
                    for (String status : STATUS_ORDER) {
                        int n = byStatus.getOrDefault(status, 0);
                        out.append("<td class=\"num")
                                .append(status.equals("EXCEPTION") && n > 0 ? " reject" : "")
                                .append("\">")
                                .append(n)
                                .append("</td>");
                    }
                    out.append("</tr>");
                });
        out.append("</tbody></table>");
        all.sort(
                Comparator.<JsonNode>comparingInt(i -> rank(i.path("status").asText()))
                        .thenComparing(i -> i.path("category").asText())
                        .thenComparing(i -> i.path("item_id").asText()));
        boolean mayResolve = me.may(Permission.RECONCILIATION);
        out.append("<h2>Items, exceptions first</h2><table><thead><tr>")
                .append("<th scope=\"col\">Item</th><th scope=\"col\">Status</th>")
                .append("<th scope=\"col\">Category</th><th scope=\"col\">Merchant</th>")
                .append("<th scope=\"col\">Provider</th><th scope=\"col\">Type</th>")
                .append("<th scope=\"col\">Ledger</th><th scope=\"col\">Settled</th>")
                .append("<th scope=\"col\">Fee</th><th scope=\"col\">Resolution</th>")
                .append("</tr></thead><tbody>");
        int settledShown = 0;
        int settledLeft = 0;
        int row = 0;
        for (JsonNode item : all) {
            String status = item.path("status").asText();
            boolean settled = status.equals("MATCHED") || status.equals("RESOLVED");
            if (settled && settledShown >= SETTLED_SHOWN) {
                settledLeft++;
                continue;
            }
            if (settled) {
                settledShown++;
            }
            row++;
            String id = item.path("item_id").asText();
            out.append("<tr><td><code>")
                    .append(esc(id))
                    .append("</code><br>")
                    .append(Html.paymentLink(item.path("payment_id").asText()))
                    .append("</td><td class=\"")
                    .append(status.equals("EXCEPTION") ? "reject" : "")
                    .append("\">")
                    .append(esc(lower(status)))
                    .append("</td><td>")
                    .append(esc(lower(item.path("category").asText())))
                    .append("</td><td>")
                    .append(esc(item.path("merchant_id").asText("")))
                    .append("</td><td>")
                    .append(esc(item.path("provider").asText("")))
                    .append("</td><td>")
                    .append(esc(lower(item.path("type").asText(""))))
                    .append("</td><td class=\"num\">")
                    .append(esc(amount(item.path("ledger"))))
                    .append("</td><td class=\"num\">")
                    .append(esc(amount(item.path("settled"))))
                    .append("</td><td class=\"num\">")
                    .append(item.path("fee").asLong())
                    .append("</td><td>");
            if (status.equals("EXCEPTION") && mayResolve) {
                String field = "note-" + row;
                out.append("<form method=\"post\" action=\"/console/reconciliation/resolve\">")
                        .append(csrfField(csrf))
                        .append("<input type=\"hidden\" name=\"item_id\" value=\"")
                        .append(esc(id))
                        .append("\"><input type=\"hidden\" name=\"date\" value=\"")
                        .append(esc(day))
                        .append("\"><label for=\"")
                        .append(field)
                        .append("\">Note</label> <input id=\"")
                        .append(field)
                        .append("\" name=\"note\" required maxlength=\"2000\"> <button")
                        .append(" type=\"submit\">Resolve</button></form>");
            } else if (!item.path("resolution").isNull()
                    && !item.path("resolution").isMissingNode()) {
                out.append(esc(item.path("resolution").asText()))
                        .append(" <span class=\"role\">")
                        .append(esc(item.path("resolved_by").asText("")))
                        .append("</span>");
            }
            out.append("</td></tr>");
        }
        out.append("</tbody></table>");
        if (settledLeft > 0) {
            out.append("<p class=\"role\">")
                    .append(settledLeft)
                    .append(" more matched or resolved items are counted above, not listed.</p>");
        }
        return out.toString();
    }

    private static int rank(String status) {
        int i = STATUS_ORDER.indexOf(status);
        return i < 0 ? STATUS_ORDER.size() : i;
    }

    private static String amount(JsonNode money) {
        if (money == null || money.isNull() || money.isMissingNode()) {
            return "";
        }
        return money(money.path("amount").asLong(), money.path("currency").asText(""));
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
