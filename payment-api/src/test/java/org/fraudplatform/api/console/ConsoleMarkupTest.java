package org.fraudplatform.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fraudplatform.api.http.HttpReply;
import org.fraudplatform.api.people.Person;
import org.fraudplatform.api.people.Role;
import org.fraudplatform.api.reports.Reports;
import org.junit.jupiter.api.Test;

/**
 * The console's markup keeps the structural accessibility rules without a browser: {@code lang},
 * one h1, a skip link to the main content, a label for every field, a scope on every table header,
 * and text in the stylesheet's colours at a contrast of at least 4.5:1 on its backgrounds. {@code
 * ConsoleBrowserIT} checks the same rules on every page of a running platform in Chromium.
 */
class ConsoleMarkupTest {

    private static final Person ADMIN = new Person("admin", Role.ADMIN);
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    @Test
    void shouldFrameEveryPageWithLangOneH1AndASkipLinkToTheMainContent() {
        String page = Html.frame("Lists", "admin", "admin", "token", "<h2>Add</h2>");

        assertThat(page).contains("<html lang=\"en\">");
        assertThat(page.split("<h1", -1)).hasSize(2);
        assertThat(page.indexOf("<a class=\"skip\" href=\"#main\">"))
                .as("the skip link comes before the navigation")
                .isPositive()
                .isLessThan(page.indexOf("<header>"));
        assertThat(page).contains("<main id=\"main\"");
        assertThat(problems(page)).isEmpty();
    }

    @Test
    void shouldGiveTheRulesPageHeadersWithScopeAndTextForItsButtonsColumn() {
        String page =
                RulesPages.list(
                        ADMIN,
                        "token",
                        List.of(release("r2"), release("r1")),
                        List.of(
                                new RulesetHistory.Proposal(
                                        "r3",
                                        "tighter",
                                        2,
                                        Map.of("a.drl", "rule a"),
                                        "person:ana",
                                        T0),
                                new RulesetHistory.Proposal(
                                        "r4",
                                        "mine",
                                        2,
                                        Map.of("a.drl", "rule a"),
                                        ADMIN.auditName(),
                                        T0)),
                        null,
                        "<h2>Rule hits</h2>");

        assertThat(page).contains("Put live again");
        assertThat(page)
                .contains("<h2 id=\"proposals\">Waiting for a second person</h2>")
                .contains("action=\"/console/rules/r3/approve\"")
                .doesNotContain("action=\"/console/rules/r4/approve\"")
                .contains("yours: another person approves it");
        assertThat(problems(page)).isEmpty();
    }

    @Test
    void shouldLabelTheNoteOfEveryReconciliationException() throws Exception {
        JsonNode items =
                new ObjectMapper()
                        .readTree(
                                """
                                {"data": [
                                  {"item_id": "pay_1/op_1", "payment_id": "pay_1", "status": "EXCEPTION",
                                   "category": "AMOUNT_MISMATCH", "merchant_id": "demo", "provider": "sim",
                                   "type": "CAPTURE", "ledger": {"amount": 1999, "currency": "EUR"},
                                   "settled": {"amount": 2000, "currency": "EUR"}, "fee": 0},
                                  {"item_id": "pay_2/op_2", "payment_id": "pay_2", "status": "EXCEPTION",
                                   "category": "MISSING_SETTLEMENT", "merchant_id": "demo", "provider": "sim",
                                   "type": "CAPTURE", "ledger": {"amount": 500, "currency": "EUR"}, "fee": 0}]}
                                """);

        String page =
                Html.frame(
                        "Reconciliation",
                        "admin",
                        "admin",
                        "token",
                        ReconciliationPage.render(
                                ADMIN, "token", LocalDate.of(2026, 3, 2), items, null));

        assertThat(page).contains("<label for=\"note-1\">").contains("<label for=\"note-2\">");
        assertThat(problems(page)).isEmpty();
    }

    @Test
    void shouldNameTheModelsPageButtonsColumn() {
        ModelStages.Model model =
                new ModelStages.Model(
                        "m1",
                        "amount",
                        "logistic",
                        "CANDIDATE",
                        Map.of("roc_auc", 0.9),
                        T0,
                        T0.plusSeconds(86_400),
                        "person:dina",
                        "first",
                        T0,
                        "person:dina");

        String page =
                ModelsPage.render(
                        ADMIN,
                        "token",
                        List.of(model),
                        List.of(),
                        false,
                        Map.of("m1", report(7, Reports.Kind.EVALUATION, "m1", null)),
                        null);

        assertThat(page).contains("<a href=\"/console/reports/7\">Report");
        assertThat(page).contains(">Promote to champion<").contains(">Propose promotion<");
        assertThat(problems(Html.frame("Models", "admin", "admin", "token", page))).isEmpty();
    }

    @Test
    void shouldOfferOnlyProposalsAndAnotherPersonsApprovalWhereFourEyesAreRequired() {
        ModelStages.Model model =
                new ModelStages.Model(
                        "m1",
                        "amount",
                        "logistic",
                        "CANDIDATE",
                        Map.of("roc_auc", 0.9),
                        T0,
                        T0.plusSeconds(86_400),
                        "person:dina",
                        "first",
                        T0,
                        "person:dina");

        String page =
                ModelsPage.render(
                        ADMIN,
                        "token",
                        List.of(model),
                        List.of(new ModelStages.Proposal("m1", "person:dina", T0)),
                        true,
                        Map.of(),
                        null);

        assertThat(page)
                .contains("Four eyes are required for promotions")
                .contains("Promotions waiting for a second person")
                .contains("action=\"/console/models/m1/approve\"")
                .doesNotContain(">Promote to champion<")
                .doesNotContain(">Propose promotion<");
        assertThat(problems(Html.frame("Models", "admin", "admin", "token", page))).isEmpty();
    }

    @Test
    void shouldListTheBacktestReportsWithLinksThatSayWhatTheyOpen() {
        String page =
                RulesPages.list(
                        ADMIN,
                        "token",
                        List.of(release("r1")),
                        List.of(),
                        null,
                        RulesPages.backtestReports(
                                List.of(
                                        report(2, Reports.Kind.BACKTEST, "c2", "<b>r1</b>"),
                                        report(1, Reports.Kind.BACKTEST, "c1", "r1")),
                                false,
                                false));

        assertThat(page)
                .contains("<h2 id=\"backtests\">Back-test reports</h2>")
                .contains(
                        "<a href=\"/console/reports/2\">Open<span class=\"sr-only\"> the back-test of c2")
                .contains("&lt;b&gt;r1&lt;/b&gt;")
                .doesNotContain("<b>r1</b>");
        assertThat(page.indexOf("/console/reports/2"))
                .as("newest first, as given")
                .isLessThan(page.indexOf("/console/reports/1"));
        assertThat(problems(page)).isEmpty();
    }

    @Test
    void shouldLinkToOlderBacktestReportsAfterTheLastOneShownAndBackToTheNewest() {
        List<Reports.Listed> page =
                List.of(
                        report(7, Reports.Kind.BACKTEST, "c7", "r6"),
                        report(5, Reports.Kind.BACKTEST, "c5", "r4"));

        String newest = RulesPages.backtestReports(page, false, true);
        String middle = RulesPages.backtestReports(page, true, true);
        String oldest = RulesPages.backtestReports(page, true, false);
        String alone = RulesPages.backtestReports(page, false, false);

        assertThat(newest)
                .contains(
                        "<a href=\"/console/rules?backtests_before=5#backtests\">Older back-tests</a>")
                .doesNotContain("Newest back-tests");
        assertThat(middle)
                .contains("Older back-test reports, newest first")
                .contains("<a href=\"/console/rules#backtests\">Newest back-tests</a>")
                .contains("backtests_before=5");
        assertThat(oldest).contains("Newest back-tests").doesNotContain("backtests_before");
        assertThat(alone).doesNotContain("<nav");
        for (String html : List.of(newest, middle, oldest, alone)) {
            assertThat(problems(Html.frame("Rules", "ana", "analyst", "token", html))).isEmpty();
        }
    }

    @Test
    void shouldServeAReportSandboxedWithNoScriptNoFetchAndNoFraming() {
        HttpReply reply = Html.report("<!DOCTYPE html><html><body>report</body></html>");

        String policy = reply.headers().get("Content-Security-Policy");
        assertThat(policy)
                .startsWith("sandbox;")
                .contains("default-src 'none'")
                .contains("style-src 'unsafe-inline'")
                .contains("img-src data:")
                .contains("frame-ancestors 'none'")
                .doesNotContain("script-src")
                .doesNotContain("allow-");
        assertThat(reply.headers())
                .containsEntry("X-Content-Type-Options", "nosniff")
                .containsEntry("Cache-Control", "no-store");
    }

    private static Reports.Listed report(
            long id, Reports.Kind kind, String subject, String baseline) {
        return new Reports.Listed(
                id, kind, subject, baseline, "candidate stops 3 frauds", "person:rita", T0, 1_000);
    }

    @Test
    void shouldWriteTextInColoursOfAtLeastFourAndAHalfToOneOnItsBackgrounds() {
        Map<String, String> colours = new java.util.TreeMap<>();
        Matcher m = Pattern.compile("--([a-z]+):(#[0-9a-f]{6})").matcher(Html.CSS);
        while (m.find()) {
            colours.put(m.group(1), m.group(2));
        }
        // the page, the tables and cards, the notices, and the diff's added and removed lines
        List<String> backgrounds =
                List.of(colours.get("bg"), "#ffffff", "#eef4ff", "#fdecea", "#e6f4ea");
        List<String> failing = new ArrayList<>();
        for (String text : List.of("ink", "muted", "accent", "bad", "good", "warn")) {
            for (String background : backgrounds) {
                double ratio = contrast(colours.get(text), background);
                if (ratio < 4.5) {
                    failing.add(text + " on " + background + ": " + ratio);
                }
            }
        }

        assertThat(colours).containsKeys("ink", "muted", "accent", "bad", "good", "warn", "bg");
        assertThat(failing).isEmpty();
        assertThat(Html.CSS).contains(":focus-visible").contains("outline:3px solid");
    }

    /** The WCAG contrast ratio of two sRGB colours. */
    static double contrast(String a, String b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    private static double luminance(String hex) {
        double[] c = new double[3];
        for (int i = 0; i < 3; i++) {
            double v = Integer.parseInt(hex.substring(1 + 2 * i, 3 + 2 * i), 16) / 255.0;
            c[i] = v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    }

    private static final Pattern TAG = Pattern.compile("<(/?)([a-zA-Z0-9]+)([^>]*)>");

    /**
     * The page's breaches: a field outside any label and named by no {@code label for}, a table
     * header without scope or text, a link or button without text, headings that skip a level.
     */
    static List<String> problems(String html) {
        List<String> found = new ArrayList<>();
        Set<String> labelled = new HashSet<>();
        Matcher forAttr = Pattern.compile("<label for=\"([^\"]+)\"").matcher(html);
        while (forAttr.find()) {
            labelled.add(forAttr.group(1));
        }
        int inLabel = 0;
        int level = 0;
        Matcher tag = TAG.matcher(html);
        while (tag.find()) {
            boolean closing = !tag.group(1).isEmpty();
            String name = tag.group(2).toLowerCase(java.util.Locale.ROOT);
            String attrs = tag.group(3);
            switch (name) {
                case "label" -> inLabel += closing ? -1 : 1;
                case "input", "select", "textarea" -> {
                    if (!closing
                            && !attrs.contains("type=\"hidden\"")
                            && inLabel == 0
                            && !labelled.contains(attr(attrs, "id"))) {
                        found.add("no label: " + tag.group());
                    }
                }
                case "th" -> {
                    if (!closing) {
                        if (!attrs.matches(".*scope=\"(col|row|colgroup|rowgroup)\".*")) {
                            found.add("th without scope: " + tag.group());
                        }
                        if (html.startsWith("</th>", tag.end())) {
                            found.add("empty th");
                        }
                    }
                }
                case "a", "button" -> {
                    if (!closing && html.startsWith("</" + name + ">", tag.end())) {
                        found.add("no text: " + tag.group());
                    }
                }
                case "h1", "h2", "h3", "h4", "h5", "h6" -> {
                    if (!closing) {
                        int l = name.charAt(1) - '0';
                        if (l > level + 1) {
                            found.add("h" + l + " after h" + level);
                        }
                        level = l;
                    }
                }
                default -> {}
            }
        }
        return found;
    }

    private static String attr(String attrs, String name) {
        Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(attrs);
        return m.find() ? m.group(1) : null;
    }

    private static RulesetHistory.Release release(String version) {
        return new RulesetHistory.Release(
                version, "deploy", "ana", "a release", T0, 3, Map.of("a.drl", "rule"), null);
    }
}
