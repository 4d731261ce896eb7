package org.fraudplatform.api.console;

import static org.fraudplatform.api.console.Html.csrfField;
import static org.fraudplatform.api.console.Html.esc;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.fraudplatform.api.people.Person;
import org.fraudplatform.api.reports.Reports;

/** The console's rules pages: the releases, one release's files, a diff, rollback. */
final class RulesPages {

    private static final DateTimeFormatter PUBLISHED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private RulesPages() {}

    /**
     * The releases, live first, then what follows them on the page (the rule hits).
     *
     * @param after HTML shown below the releases
     */
    static String list(
            Person me,
            String csrf,
            List<RulesetHistory.Release> releases,
            List<RulesetHistory.Proposal> proposals,
            String notice,
            String after) {
        StringBuilder out = new StringBuilder();
        if (notice != null) {
            out.append(notice);
        }
        out.append(
                "<p class=\"role\">Analysts write and test rule files and put them live with"
                        + " <code>bin/fraud rules deploy</code>; every risk instance takes a"
                        + " release up between two payments, without a restart. A release that"
                        + " is not signed by a trusted release-signing key, or that does not"
                        + " compile, is refused and the live one stays.</p>");
        out.append(proposals(me, csrf, proposals));
        if (releases.isEmpty()) {
            return Html.frame(
                    "Rules",
                    me.name(),
                    me.role().label(),
                    csrf,
                    out + "<p class=\"notice\">No release yet.</p>" + after);
        }
        out.append(
                "<table>"
                        + Html.headerRow(
                                "Version", "Kind", "Released", "By", "Message", "Cases", "")
                        + "<tbody>");
        boolean liveShown = false;
        for (RulesetHistory.Release r : releases) {
            // the newest release the scoring instances took up is live
            boolean live = !liveShown && !r.refused();
            out.append("<tr><td><a href=\"/console/rules/")
                    .append(Html.url(r.version()))
                    .append("\">")
                    .append(esc(r.version()))
                    .append("</a>")
                    .append(live ? " <strong>live</strong>" : "")
                    .append(r.refused() ? " <strong>refused</strong>: " + esc(r.refusal()) : "")
                    .append("</td><td>")
                    .append(esc(r.kind()))
                    .append("</td><td>")
                    .append(esc(r.releasedAt()))
                    .append("</td><td>")
                    .append(esc(r.author()))
                    .append("</td><td>")
                    .append(esc(r.message()))
                    .append("</td><td class=\"num\">")
                    .append(r.cases())
                    .append("</td><td>");
            if (!live && !r.refused() && me.role().worksCases()) {
                out.append("<form class=\"inline\" method=\"post\" action=\"/console/rules/")
                        .append(Html.url(r.version()))
                        .append("/rollback\">")
                        .append(csrfField(csrf))
                        .append("<button type=\"submit\">Put live again</button></form>");
            }
            out.append("</td></tr>");
            liveShown |= live;
        }
        out.append("</tbody></table>").append(after);
        return Html.frame("Rules", me.name(), me.role().label(), csrf, out.toString());
    }

    /**
     * The releases proposed with {@code rules deploy --require-approval} that wait for a second
     * person: an approve button for whoever may put rules live and did not propose it.
     */
    private static String proposals(
            Person me, String csrf, List<RulesetHistory.Proposal> proposals) {
        if (proposals.isEmpty()) {
            return "";
        }
        StringBuilder out =
                new StringBuilder(
                        "<h2 id=\"proposals\">Waiting for a second person</h2><p"
                                + " class=\"role\">Proposed with <code>bin/fraud rules deploy"
                                + " --require-approval</code> (four eyes): tested, not live."
                                + " Another person who may put rules live approves it; it is"
                                + " then signed, published and audited under both names.</p>"
                                + "<table>"
                                + Html.headerRow(
                                        "Version (its diff against the live one)",
                                        "Proposed",
                                        "By",
                                        "Message",
                                        "Files",
                                        "")
                                + "<tbody>");
        for (RulesetHistory.Proposal p : proposals) {
            out.append("<tr><td><a href=\"/console/rules/")
                    .append(Html.url(p.version()))
                    .append("\">")
                    .append(esc(p.version()))
                    .append("</a></td><td>")
                    .append(esc(p.proposedAt()))
                    .append("</td><td>")
                    .append(esc(p.proposedBy()))
                    .append("</td><td>")
                    .append(esc(p.message()))
                    .append("</td><td class=\"num\">")
                    .append(p.files().size())
                    .append("</td><td>");
            if (p.proposedBy().equals(me.auditName())) {
                out.append("<span class=\"role\">yours: another person approves it</span>");
            } else if (me.may(org.fraudplatform.api.people.Permission.RULES)) {
                out.append("<form class=\"inline\" method=\"post\" action=\"/console/rules/")
                        .append(Html.url(p.version()))
                        .append("/approve\">")
                        .append(csrfField(csrf))
                        .append("<button type=\"submit\">Approve and put live<span")
                        .append(" class=\"sr-only\"> ")
                        .append(esc(p.version()))
                        .append("</span></button></form>");
            }
            out.append("</td></tr>");
        }
        return out.append("</tbody></table><h2>Releases</h2>").toString();
    }

    /**
     * A page of back-test reports, newest first.
     *
     * @param older whether these come after the newest page
     * @param more whether there are older reports than these
     */
    static String backtestReports(List<Reports.Listed> reports, boolean older, boolean more) {
        StringBuilder out =
                new StringBuilder(
                        "<h2 id=\"backtests\">Back-test reports</h2><p class=\"role\">Published"
                                + " with <code>bin/fraud rules backtest --publish</code>: the"
                                + " candidate ruleset replayed over history against a baseline."
                                + " A report opens on its own page, with its charts.</p>");
        if (reports.isEmpty()) {
            return out.append(
                            older
                                    ? "<p class=\"notice\">No older back-test report.</p>"
                                    : "<p class=\"notice\">No back-test report was published.</p>")
                    .toString();
        }
        out.append(
                        older
                                ? "<table><caption>Older back-test reports, newest first</caption>"
                                : "<table><caption>Back-test reports, newest first</caption>")
                .append(
                        Html.headerRow(
                                "Published", "By", "Candidate", "Baseline", "Headline", "Report"))
                .append("<tbody>");
        for (Reports.Listed r : reports) {
            out.append("<tr><td>")
                    .append(esc(PUBLISHED.format(r.publishedAt())))
                    .append("</td><td>")
                    .append(esc(r.author()))
                    .append("</td><td><code>")
                    .append(esc(r.subject()))
                    .append("</code></td><td><code>")
                    .append(esc(r.baseline()))
                    .append("</code></td><td>")
                    .append(esc(r.headline()))
                    .append("</td><td><a href=\"/console/reports/")
                    .append(r.id())
                    .append("\">Open<span class=\"sr-only\"> the back-test of ")
                    .append(esc(r.subject()))
                    .append("</span></a></td></tr>");
        }
        out.append("</tbody></table>");
        if (older || more) {
            out.append("<nav aria-label=\"Pages of back-test reports\"><p>");
            if (older) {
                out.append("<a href=\"/console/rules#backtests\">Newest back-tests</a>");
            }
            if (more) {
                out.append(older ? " · " : "")
                        .append("<a href=\"/console/rules?backtests_before=")
                        .append(reports.get(reports.size() - 1).id())
                        .append("#backtests\">Older back-tests</a>");
            }
            out.append("</p></nav>");
        }
        return out.toString();
    }

    static Optional<String> release(
            Person me,
            String csrf,
            List<RulesetHistory.Release> releases,
            String version,
            String against) {
        Optional<RulesetHistory.Release> shown =
                releases.stream().filter(r -> r.version().equals(version)).findFirst();
        if (shown.isEmpty()) {
            return Optional.empty();
        }
        RulesetHistory.Release base =
                releases.stream()
                        .filter(r -> r.version().equals(against))
                        .findFirst()
                        .orElse(releases.get(0));
        RulesetHistory.Release r = shown.get();
        StringBuilder out = new StringBuilder();
        out.append("<div class=\"card\"><div class=\"grid\">");
        cell(out, "Version", r.version());
        cell(out, "Kind", r.kind());
        cell(out, "Released", r.releasedAt());
        cell(out, "By", r.author());
        cell(out, "Message", r.message());
        cell(out, "Cases passed", r.cases());
        if (r.refused()) {
            cell(out, "Refused by the scoring instances", r.refusal());
        }
        out.append("</div></div>");
        if (r.kind().equals("proposal")) {
            out.append("<p class=\"notice\">Proposed with four eyes: not live. ");
            if (r.author().equals(me.auditName())) {
                out.append("Yours: another person approves it.</p>");
            } else if (me.may(org.fraudplatform.api.people.Permission.RULES)) {
                out.append("Read the diff, then:</p>")
                        .append("<form method=\"post\" action=\"/console/rules/")
                        .append(Html.url(r.version()))
                        .append("/approve\">")
                        .append(csrfField(csrf))
                        .append("<p><button type=\"submit\">Approve and put live</button></p>")
                        .append("</form>");
            } else {
                out.append("A person who may put rules live approves it.</p>");
            }
        }
        out.append("<form class=\"filters\" method=\"get\" action=\"/console/rules/")
                .append(Html.url(r.version()))
                .append("\"><label>Compare with<select name=\"against\">");
        for (RulesetHistory.Release other : releases) {
            out.append("<option value=\"")
                    .append(esc(other.version()))
                    .append("\"")
                    .append(other.version().equals(base.version()) ? " selected" : "")
                    .append(">")
                    .append(esc(other.version()))
                    .append(" · ")
                    .append(esc(other.releasedAt()))
                    .append("</option>");
        }
        out.append("</select></label><button type=\"submit\">Compare</button></form>");
        TreeSet<String> names = new TreeSet<>(r.files().keySet());
        names.addAll(base.files().keySet());
        for (String name : names) {
            String mine = r.files().getOrDefault(name, "");
            String theirs = base.files().getOrDefault(name, "");
            out.append("<h2>").append(esc(name));
            if (base.version().equals(r.version()) || mine.equals(theirs)) {
                out.append("</h2><pre class=\"code\">").append(esc(mine)).append("</pre>");
                continue;
            }
            out.append(" <span class=\"role\">(")
                    .append(esc(base.version()))
                    .append(" → ")
                    .append(esc(r.version()))
                    .append(")</span></h2><pre class=\"code\">");
            for (LineDiff.Line line : LineDiff.of(theirs, mine)) {
                String cls = line.op() == '+' ? "add" : line.op() == '-' ? "del" : "same";
                out.append("<span class=\"")
                        .append(cls)
                        .append("\">")
                        .append(line.op())
                        .append(' ')
                        .append(esc(line.text()))
                        .append("</span>\n");
            }
            out.append("</pre>");
        }
        return Optional.of(
                Html.frame(
                        "Ruleset " + r.version(),
                        me.name(),
                        me.role().label(),
                        csrf,
                        out.toString()));
    }

    private static void cell(StringBuilder out, String name, Object value) {
        out.append("<div>")
                .append(esc(name))
                .append("</div><div>")
                .append(esc(value))
                .append("</div>");
    }
}
