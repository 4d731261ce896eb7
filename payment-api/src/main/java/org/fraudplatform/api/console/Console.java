package org.fraudplatform.api.console;

import static org.fraudplatform.api.console.Html.csrfField;
import static org.fraudplatform.api.console.Html.esc;
import static org.fraudplatform.api.console.Html.money;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.fraudplatform.api.audit.AuditTrail;
import org.fraudplatform.api.http.ApiServer;
import org.fraudplatform.api.http.FailedAuthentications;
import org.fraudplatform.api.http.HttpReply;
import org.fraudplatform.api.http.Json;
import org.fraudplatform.api.http.Requests;
import org.fraudplatform.api.http.Resource;
import org.fraudplatform.api.people.People;
import org.fraudplatform.api.people.Permission;
import org.fraudplatform.api.people.Person;
import org.fraudplatform.api.reports.Reports;
import org.fraudplatform.api.validation.FreeText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analysts' console at {@code /console}, served by the API: sign in as a person, work the
 * review queue across merchants (a case page with the payment, the decision and every reason, its
 * ledger events and the other payments of the same card and customer; approve or reject with a
 * note), search decisions, and keep the block and allow lists. A note or list value holding a card
 * number is refused with the form's page and its error (400) before anything changes ({@link
 * FreeText}).
 *
 * <p>Security: a session cookie ({@code HttpOnly}, {@code SameSite=Strict}, {@code Secure} when the
 * request came over TLS, to the API's HTTPS port or through a proxy) whose secret the database
 * never sees; every form carries the session's CSRF token and a POST without it is refused; roles
 * are checked on the server (a data scientist reads cases but cannot decide one or change a list);
 * every decision and list change is recorded under the person's name (the ledger's review events
 * carry the analyst, list entries their author, both audited). Pages carry a strict
 * Content-Security-Policy, no script at all, and every value is escaped.
 */
public final class Console implements Resource, AutoCloseable {

    static final String PATH = "/console";
    static final String COOKIE = "fraud_console";
    private static final Logger log = LoggerFactory.getLogger(Console.class);
    private static final int MAX_FORM_BYTES = 16 * 1024;
    private static final int REPORTS_LISTED = 20;

    private final People people;
    private final DataSource dataSource;
    private final ApiServer.Lifecycle lifecycle;
    private final ApiServer.Operations operations;
    private final ApiServer.Staff staff;
    private volatile RulesetHistory rules;
    private volatile DeadLetterCounts deadLetters;
    private volatile ModelStages models;
    private volatile ApiServer.Reconciliation reconciliation;
    private volatile Map<String, String> featureDescriptions = Map.of();
    private final Claims claims;
    private final Reports reports;
    private final org.fraudplatform.api.payments.PaymentService.HistoryCatchUp history;

    /** Waits, off the server's threads, until a decided review shows in the history. */
    private final java.util.concurrent.ExecutorService historyWaits =
            java.util.concurrent.Executors.newSingleThreadExecutor(
                    r -> {
                        Thread t = new Thread(r, "console-history-wait");
                        t.setDaemon(true);
                        return t;
                    });

    /** Sign-ins that failed, per address: past 10 a minute the address waits. */
    private final FailedAuthentications failedSignIns =
            new FailedAuthentications(10, System::nanoTime);

    /**
     * @param lifecycle the ledger commands a review outcome goes through
     * @param operations the lists, or null when this API has none
     * @param staff where claims and assignments of cases are audited
     */
    public Console(
            People people,
            DataSource dataSource,
            ApiServer.Lifecycle lifecycle,
            ApiServer.Operations operations,
            ApiServer.Staff staff,
            org.fraudplatform.api.payments.PaymentService.HistoryCatchUp history) {
        this.history = history;
        this.claims = new Claims(dataSource, java.time.Clock.systemUTC());
        this.reports = new Reports(dataSource);
        this.people = people;
        this.dataSource = dataSource;
        this.lifecycle = lifecycle;
        this.operations = operations;
        this.staff = staff;
    }

    /**
     * The feature catalogue's descriptions by feature name, in catalogue order, for the case page.
     */
    public void features(Map<String, String> descriptions) {
        this.featureDescriptions =
                java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(descriptions));
    }

    /** Serves the reconciliation page from now on, through these routes. */
    public void reconciliation(ApiServer.Reconciliation routes) {
        this.reconciliation = routes;
    }

    /** Serves the models page from now on, from this registry. */
    public void models(ModelStages registry) {
        this.models = registry;
    }

    /** Counts the dead letters on the overview from now on. */
    public void deadLetters(DeadLetterCounts counts) {
        this.deadLetters = counts;
    }

    /** Serves the rules pages from now on, from these releases. */
    public void rules(RulesetHistory releases) {
        this.rules = releases;
    }

    @Override
    public boolean owns(String path) {
        return path.equals(PATH) || path.startsWith(PATH + "/");
    }

    @Override
    public Routed handle(HttpExchange exchange, String method, String path) {
        try {
            return new Routed("console", answer(exchange, method, path));
        } catch (RuntimeException e) {
            log.error("console request failed", e);
            return Routed.of(
                    "console",
                    Html.page(500, message("Something went wrong", "The error is in the log.")));
        }
    }

    private CompletableFuture<HttpReply> answer(HttpExchange exchange, String method, String path) {
        if (path.equals(PATH + "/console.css")) {
            return done(Html.secure(HttpReply.text(200, "text/css; charset=utf-8", Html.CSS)));
        }
        if (method.equals("POST") && !sameOrigin(exchange)) {
            // a form posted from another site's page (sign-in included): never acted on
            return done(Html.page(403, message("Refused", "This form came from another site.")));
        }
        if (path.equals(PATH + "/login")) {
            return done(method.equals("POST") ? signIn(exchange) : loginPage(200, null));
        }
        Optional<People.Signed> signed = people.session(cookie(exchange));
        if (signed.isEmpty()) {
            return done(Html.redirect(PATH + "/login"));
        }
        Person me = signed.get().person();
        String csrf = signed.get().csrfToken();
        Map<String, String> query = Requests.decode(exchange.getRequestURI().getRawQuery());
        if (method.equals("POST")) {
            Map<String, String> form = readForm(exchange);
            if (!sameToken(form.get("csrf"), csrf)) {
                return done(
                        Html.page(
                                403,
                                message(
                                        "The form has expired",
                                        "Reload the page and send it again.")));
            }
            if (path.equals(PATH + "/logout")) {
                people.signOut(cookie(exchange));
                return done(
                        Html.redirect(PATH + "/login")
                                .withHeader(
                                        "Set-Cookie",
                                        COOKIE
                                                + "=; Path="
                                                + PATH
                                                + "; Max-Age=0; HttpOnly; SameSite=Strict"));
            }
            if (path.startsWith(PATH + "/payments/")) {
                String[] parts = path.substring((PATH + "/payments/").length()).split("/", -1);
                if (parts.length == 2
                        && (parts[1].equals("approve") || parts[1].equals("reject"))) {
                    return decide(me, csrf, parts[0], parts[1], form.getOrDefault("note", ""));
                }
                if (parts.length == 2 && parts[1].equals("claim")) {
                    return done(claim(me, csrf, parts[0]));
                }
                if (parts.length == 2 && parts[1].equals("release")) {
                    return done(release(me, csrf, parts[0]));
                }
                if (parts.length == 2 && parts[1].equals("assign")) {
                    return done(assign(me, csrf, parts[0], form.getOrDefault("to", "")));
                }
            }
            if (path.equals(PATH + "/lists")) {
                return done(changeList(me, csrf, form));
            }
            if (path.equals(PATH + "/reconciliation/resolve")) {
                return resolveItem(me, csrf, form);
            }
            if (path.equals(PATH + "/models/rollback")) {
                return done(changeModel(me, csrf, null, "rollback"));
            }
            if (path.startsWith(PATH + "/models/")) {
                String[] parts = path.substring((PATH + "/models/").length()).split("/", -1);
                if (parts.length == 2
                        && (parts[1].equals("promote")
                                || parts[1].equals("shadow")
                                || parts[1].equals("propose")
                                || parts[1].equals("approve"))) {
                    return done(changeModel(me, csrf, parts[0], parts[1]));
                }
            }
            if (path.startsWith(PATH + "/rules/") && path.endsWith("/approve")) {
                String version =
                        path.substring(
                                (PATH + "/rules/").length(), path.length() - "/approve".length());
                return done(approveRules(me, csrf, version));
            }
            if (path.startsWith(PATH + "/rules/") && path.endsWith("/rollback")) {
                String version =
                        path.substring(
                                (PATH + "/rules/").length(), path.length() - "/rollback".length());
                return done(rollback(me, csrf, version));
            }
            return done(Html.page(404, message("No such page", path)));
        }
        if (!method.equals("GET")) {
            return done(Html.page(405, message("Not allowed", method)));
        }
        if (path.equals(PATH) || path.equals(PATH + "/")) {
            return done(Html.page(200, reviews(me, csrf, query)));
        }
        if (path.equals(PATH + "/reconciliation")) {
            return done(
                    reconciliationPage(
                            me,
                            csrf,
                            query.get("date"),
                            resolvingNotice(query.get("resolving")),
                            200));
        }
        if (path.equals(PATH + "/models")) {
            return done(modelsPage(me, csrf, null, 200));
        }
        if (path.equals(PATH + "/overview")) {
            return done(Html.page(200, overview(me, csrf)));
        }
        if (path.startsWith(PATH + "/payments/")) {
            String id = path.substring((PATH + "/payments/").length());
            return done(casePage(me, csrf, id, query.get("done"), null));
        }
        if (path.equals(PATH + "/search")) {
            return done(search(me, csrf, query));
        }
        if (path.equals(PATH + "/lists")) {
            return done(Html.page(200, lists(me, csrf, null)));
        }
        if (path.equals(PATH + "/rules")) {
            return done(rulesList(me, csrf, null, query.get("backtests_before")));
        }
        if (path.startsWith(PATH + "/reports/")) {
            return done(report(path.substring((PATH + "/reports/").length())));
        }
        if (path.startsWith(PATH + "/rules/")) {
            RulesetHistory releases = rules;
            Optional<String> page =
                    releases == null
                            ? Optional.empty()
                            : RulesPages.release(
                                    me,
                                    csrf,
                                    withProposals(releases),
                                    path.substring((PATH + "/rules/").length()),
                                    query.get("against"));
            return done(
                    page.map(p -> Html.page(200, p))
                            .orElseGet(() -> Html.page(404, message("No such release", path))));
        }
        return done(Html.page(404, message("No such page", path)));
    }

    // ---- reconciliation

    private HttpReply reconciliationPage(
            Person me, String csrf, String date, String notice, int status) {
        ApiServer.Reconciliation routes = reconciliation;
        if (routes == null) {
            return Html.page(
                    404, message("No reconciliation", "This API serves no reconciliation."));
        }
        if (!me.may(Permission.RECONCILIATION)) {
            return Html.page(
                    403,
                    Html.frame(
                            "Reconciliation",
                            me.name(),
                            me.role().label(),
                            csrf,
                            "<p class=\"notice error\">"
                                    + esc(Html.aRole(me.role().label()))
                                    + " does not reconcile: analysts and administrators do.</p>"));
        }
        java.time.LocalDate day;
        try {
            day =
                    date == null || date.isBlank()
                            ? java.time.LocalDate.now(java.time.ZoneOffset.UTC)
                            : java.time.LocalDate.parse(date.strip());
        } catch (java.time.format.DateTimeParseException e) {
            day = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
            notice = "<p class=\"notice error\">Not a day: " + esc(date) + "</p>";
        }
        HttpReply items = routes.items(null, Map.of("date", day.toString()));
        return Html.page(
                status,
                Html.frame(
                        "Reconciliation " + day,
                        me.name(),
                        me.role().label(),
                        csrf,
                        ReconciliationPage.render(
                                me,
                                csrf,
                                day,
                                json(new String(items.body(), StandardCharsets.UTF_8)),
                                notice)));
    }

    private static String resolvingNotice(String item) {
        return item == null
                ? null
                : "<p class=\"notice\">"
                        + esc(item)
                        + " is being resolved: the reconciliation applies the note within"
                        + " moments and audits it under your name.</p>";
    }

    private CompletableFuture<HttpReply> resolveItem(
            Person me, String csrf, Map<String, String> form) {
        ApiServer.Reconciliation routes = reconciliation;
        String date = form.get("date");
        if (routes == null || !me.may(Permission.RECONCILIATION)) {
            return done(reconciliationPage(me, csrf, date, null, 403));
        }
        String item = form.getOrDefault("item_id", "");
        java.util.Map<String, String> body = new java.util.LinkedHashMap<>();
        body.put("item_id", item);
        body.put("note", form.getOrDefault("note", "").strip());
        return routes.resolve(me.auditName(), Json.write(body))
                .thenApply(
                        reply -> {
                            if (reply.status() < 300) {
                                return Html.redirect(
                                        PATH
                                                + "/reconciliation?date="
                                                + Html.url(date == null ? "" : date)
                                                + "&resolving="
                                                + Html.url(item));
                            }
                            JsonNode problem =
                                    json(new String(reply.body(), StandardCharsets.UTF_8));
                            StringBuilder why = new StringBuilder();
                            for (JsonNode e : problem.path("errors")) {
                                why.append(' ')
                                        .append(e.path("field").asText(""))
                                        .append(' ')
                                        .append(e.path("message").asText(""))
                                        .append('.');
                            }
                            String detail =
                                    why.length() > 0
                                            ? why.toString().strip()
                                            : problem.path("detail")
                                                    .asText(problem.path("title").asText(""));
                            return reconciliationPage(
                                    me,
                                    csrf,
                                    date,
                                    "<p class=\"notice error\">"
                                            + esc(item)
                                            + " was not resolved: "
                                            + esc(detail)
                                            + "</p>",
                                    reply.status());
                        });
    }

    // ---- models

    private HttpReply modelsPage(Person me, String csrf, String notice, int status) {
        ModelStages registry = models;
        String content;
        if (registry == null) {
            content = "<p class=\"notice\">This API serves no model registry.</p>";
        } else {
            List<ModelStages.Model> all = registry.models();
            Map<String, Reports.Listed> evaluations =
                    reports.newestOf(
                            Reports.Kind.EVALUATION,
                            all.stream().map(ModelStages.Model::version).toList());
            boolean fourEyes =
                    new org.fraudplatform.api.people.FourEyes(
                                    dataSource, java.time.Clock.systemUTC())
                            .required(Permission.MODELS);
            content =
                    ModelsPage.render(
                                    me,
                                    csrf,
                                    all,
                                    registry.proposals(),
                                    fourEyes,
                                    evaluations,
                                    notice)
                            + championAgainstShadow(all);
        }
        return Html.page(status, Html.frame("Models", me.name(), me.role().label(), csrf, content));
    }

    private String championAgainstShadow(List<ModelStages.Model> all) {
        String champion = null;
        String shadow = null;
        for (ModelStages.Model m : all) {
            if (m.stage().equals("CHAMPION") && champion == null) {
                champion = m.version();
            } else if (m.stage().equals("SHADOW") && shadow == null) {
                shadow = m.version();
            }
        }
        if (champion == null || shadow == null) {
            return "";
        }
        try (Connection c = dataSource.getConnection()) {
            return ModelsPage.onLabelsTable(
                    champion, shadow, ModelsPage.onLabels(c, champion, shadow));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot compare the models: " + e.getMessage(), e);
        }
    }

    private HttpReply changeModel(Person me, String csrf, String version, String action) {
        ModelStages registry = models;
        if (registry == null) {
            return Html.page(404, message("No models", "This API serves no model registry."));
        }
        if (!me.may(Permission.MODELS)) {
            return modelsPage(
                    me,
                    csrf,
                    "<p class=\"notice error\">"
                            + esc(Html.aRole(me.role().label()))
                            + " cannot change the model registry.</p>",
                    403);
        }
        try {
            String done =
                    switch (action) {
                        case "promote" -> {
                            new org.fraudplatform.api.people.FourEyes(
                                            dataSource, java.time.Clock.systemUTC())
                                    .refuseAlone(
                                            Permission.MODELS,
                                            "model promotions",
                                            "Propose promotion");
                            yield "Model "
                                    + registry.promote(version, me.auditName()).version()
                                    + " is the champion.";
                        }
                        case "shadow" ->
                                "Model "
                                        + registry.shadow(version, me.auditName()).version()
                                        + " is in shadow.";
                        case "propose" ->
                                "The promotion of model "
                                        + registry.propose(version, me.auditName()).version()
                                        + " waits for a second person.";
                        case "approve" ->
                                "Model "
                                        + registry.approve(version, me.auditName()).version()
                                        + " is the champion, approved.";
                        default ->
                                registry.rollback(me.auditName())
                                        .map(m -> "Model " + m.version() + " is champion again.")
                                        .orElse("No model is champion: the rules decide alone.");
                    };
            log.info("{} on the models page: {}", me.auditName(), done);
            return Html.redirect(PATH + "/models");
        } catch (IllegalArgumentException e) {
            return modelsPage(
                    me, csrf, "<p class=\"notice error\">" + esc(e.getMessage()) + "</p>", 400);
        } catch (org.fraudplatform.api.people.FourEyes.Required e) {
            // the four-eyes policy: the change needs a second person
            return modelsPage(
                    me, csrf, "<p class=\"notice error\">" + esc(e.getMessage()) + "</p>", 409);
        }
    }

    // ---- the overview

    private String overview(Person me, String csrf) {
        DeadLetterCounts counts = deadLetters;
        try (Connection c = dataSource.getConnection()) {
            Overview.Numbers numbers =
                    Overview.read(
                            c,
                            java.time.Instant.now(),
                            counts == null ? List.of() : counts.counts());
            return Html.frame(
                    "Overview, last hour",
                    me.name(),
                    me.role().label(),
                    csrf,
                    Overview.render(numbers));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the overview: " + e.getMessage(), e);
        }
    }

    // ---- signing in and out

    private HttpReply loginPage(int status, String error) {
        return Html.page(
                status,
                "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign in ·"
                        + " Fraud console</title><link rel=\"stylesheet\""
                        + " href=\"/console/console.css\"></head><body><a class=\"skip\""
                        + " href=\"#main\">Skip to the main content</a><main id=\"main\""
                        + " tabindex=\"-1\" class=\"login card\"><h1>Fraud console</h1>"
                        + (error == null ? "" : "<p class=\"notice error\">" + esc(error) + "</p>")
                        + "<form method=\"post\" action=\"/console/login\"><label"
                        + " for=\"name\">Name</label><input id=\"name\" name=\"name\""
                        + " autocomplete=\"username\" required><label"
                        + " for=\"password\">Password</label><input id=\"password\""
                        + " name=\"password\" type=\"password\""
                        + " autocomplete=\"current-password\" required><p><button"
                        + " type=\"submit\">Sign in</button></p></form></main></body></html>");
    }

    private HttpReply signIn(HttpExchange exchange) {
        Map<String, String> form = readForm(exchange);
        java.net.InetAddress source = exchange.getRemoteAddress().getAddress();
        long slowedFor = failedSignIns.retryAfterSeconds(source);
        if (slowedFor > 0) {
            return loginPage(
                            429,
                            "Too many failed sign-ins from this address: try again in "
                                    + slowedFor
                                    + " s.")
                    .withHeader("Retry-After", Long.toString(slowedFor));
        }
        Optional<People.Session> session =
                people.signIn(form.get("name"), form.getOrDefault("password", ""));
        if (session.isEmpty()) {
            failedSignIns.failed(source);
            String name = form.getOrDefault("name", "");
            log.info(
                    "console sign-in refused for '{}'",
                    name.length() > 40 ? name.substring(0, 40) : name);
            return loginPage(401, "Wrong name or password.");
        }
        boolean tls = Requests.overTls(exchange);
        long maxAge =
                Duration.between(java.time.Instant.now(), session.get().expiresAt()).toSeconds();
        return Html.redirect(PATH)
                .withHeader(
                        "Set-Cookie",
                        COOKIE
                                + "="
                                + session.get().secret()
                                + "; Path="
                                + PATH
                                + "; Max-Age="
                                + maxAge
                                + "; HttpOnly; SameSite=Strict"
                                + (tls ? "; Secure" : ""));
    }

    // ---- the review queue

    private String reviews(Person me, String csrf, Map<String, String> query) {
        String merchant = blankToNull(query.get("merchant"));
        long minAmount = parseMinor(query.get("min_amount"));
        String reason = blankToNull(query.get("reason"));
        String claimed = query.getOrDefault("claimed", "any");
        StringBuilder rows = new StringBuilder();
        int n = 0;
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                "SELECT h.id, h.merchant_id, p.amount, p.currency, h.created_at,"
                                        + " p.response, rc.person FROM payment_history h JOIN"
                                        + " payments p ON p.id = h.id LEFT JOIN review_claims rc"
                                        + " ON rc.payment_id = h.id WHERE h.under_review AND (?"
                                        + " IS NULL OR h.merchant_id = ?) AND p.amount >= ? AND"
                                        + " (? IS NULL OR p.response::jsonb -> 'risk' -> 'reasons'"
                                        + " @> jsonb_build_array(jsonb_build_object('code', ?)))"
                                        + " AND (? = 'any' OR (? = 'mine' AND rc.person = ?) OR"
                                        + " (? = 'unclaimed' AND rc.person IS NULL)) ORDER BY"
                                        + " h.created_at, h.id LIMIT 200")) {
            s.setString(1, merchant);
            s.setString(2, merchant);
            s.setLong(3, minAmount);
            s.setString(4, reason);
            s.setString(5, reason);
            s.setString(6, claimed);
            s.setString(7, claimed);
            s.setString(8, me.name());
            s.setString(9, claimed);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    n++;
                    JsonNode reply = json(r.getString(6));
                    rows.append("<tr><td>")
                            .append(Html.paymentLink(r.getString(1)))
                            .append("</td><td>")
                            .append(esc(r.getString(2)))
                            .append("</td><td class=\"num\">")
                            .append(esc(money(r.getLong(3), r.getString(4))))
                            .append("</td><td>")
                            .append(esc(age(r.getTimestamp(5).toInstant())))
                            .append("</td><td>")
                            .append(esc(String.join(", ", reasons(reply))))
                            .append("</td><td>")
                            .append(esc(r.getString(7)))
                            .append("</td></tr>");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the review queue: " + e.getMessage(), e);
        }
        StringBuilder claimOptions = new StringBuilder();
        for (String option : List.of("any", "unclaimed", "mine")) {
            claimOptions
                    .append("<option")
                    .append(option.equals(claimed) ? " selected" : "")
                    .append(">")
                    .append(option)
                    .append("</option>");
        }
        String filters =
                "<form class=\"filters\" method=\"get\" action=\"/console\"><label>Merchant<input"
                        + " name=\"merchant\" value=\""
                        + esc(merchant)
                        + "\"></label><label>Amount at least<input name=\"min_amount\" value=\""
                        + esc(query.getOrDefault("min_amount", ""))
                        + "\" inputmode=\"decimal\"></label><label>Reason code<input"
                        + " name=\"reason\" value=\""
                        + esc(reason)
                        + "\" placeholder=\"AMOUNT_VERY_LARGE\"></label><label>Claimed<select"
                        + " name=\"claimed\">"
                        + claimOptions
                        + "</select></label><button type=\"submit\">Filter</button></form>";
        String table =
                n == 0
                        ? "<p class=\"notice\">No payment waits for review.</p>"
                        : "<table>"
                                + Html.headerRow(
                                        "Payment",
                                        "Merchant",
                                        "Amount",
                                        "Waiting",
                                        "Reasons",
                                        "Claimed by")
                                + "<tbody>"
                                + rows
                                + "</tbody></table>";
        return Html.frame(
                "Reviews (" + n + ", oldest first)",
                me.name(),
                me.role().label(),
                csrf,
                filters + table);
    }

    // ---- one case

    private CompletableFuture<HttpReply> decide(
            Person me, String csrf, String paymentId, String action, String note) {
        if (!me.role().worksCases()) {
            return done(
                    casePage(
                            me,
                            csrf,
                            paymentId,
                            null,
                            Html.aRole(me.role().label()) + " cannot decide a review."));
        }
        if (FreeText.holdsCardNumber(note)) {
            HttpReply page =
                    casePage(
                            me,
                            csrf,
                            paymentId,
                            null,
                            "The note " + FreeText.REFUSAL + "; nothing was decided.");
            return done(new HttpReply(400, page.contentType(), page.body(), page.headers()));
        }
        Optional<String> merchant = merchantOf(paymentId);
        if (merchant.isEmpty()) {
            return done(Html.page(404, message("No such payment", paymentId)));
        }
        // deciding claims the case; a case somebody else holds is theirs to decide
        Claims.Claim holder = claims.claim(paymentId, me.name());
        if (!holder.person().equals(me.name())) {
            return done(
                    casePage(
                            me,
                            csrf,
                            paymentId,
                            null,
                            holder.person() + " works this case (since " + holder.since() + ")."));
        }
        String reason = note.isBlank() ? "console_" + action : note.strip();
        byte[] body =
                Json.write(
                        Map.of(
                                "reason",
                                reason.length() > 100 ? reason.substring(0, 100) : reason));
        // one outcome per payment and action: a form sent twice is one command
        String key = "console-" + action + "-" + paymentId;
        return lifecycle
                .commandBy(me.name(), merchant.get(), paymentId, action, key, body)
                .thenCompose(
                        reply ->
                                reply.status() < 300
                                        ? CompletableFuture.supplyAsync(
                                                () -> {
                                                    // the case page reads the history: show it
                                                    // decided, not still under review
                                                    awaitHistory();
                                                    return Html.redirect(
                                                            PATH
                                                                    + "/payments/"
                                                                    + Html.url(paymentId)
                                                                    + "?done="
                                                                    + action);
                                                },
                                                historyWaits)
                                        : done(
                                                casePage(
                                                        me,
                                                        csrf,
                                                        paymentId,
                                                        null,
                                                        "The ledger refused: "
                                                                + new String(
                                                                        reply.body(),
                                                                        StandardCharsets.UTF_8))));
    }

    private HttpReply casePage(
            Person me, String csrf, String paymentId, String done, String error) {
        StringBuilder out = new StringBuilder();
        if (done != null) {
            out.append("<p class=\"notice\">")
                    .append(done.equals("approve") ? "Approved." : "Rejected.")
                    .append(" The outcome is in the ledger and becomes a label.</p>");
        }
        if (error != null) {
            out.append("<p class=\"notice error\">").append(esc(error)).append("</p>");
        }
        try (Connection c = dataSource.getConnection()) {
            Optional<CaseRow> row = caseRow(c, paymentId);
            if (row.isEmpty()) {
                return Html.page(404, message("No such payment", paymentId));
            }
            CaseRow p = row.get();
            JsonNode reply = json(p.response());
            JsonNode risk = reply.path("risk");
            JsonNode method = reply.path("payment_method");
            JsonNode card = method.path("card");
            out.append("<div class=\"card\"><div class=\"grid\">");
            field(out, "Payment", p.id());
            field(out, "Merchant", p.merchantId());
            field(out, "Amount", money(p.amount(), p.currency()));
            field(out, "Status", p.status() + (p.underReview() ? " (under review)" : ""));
            field(
                    out,
                    "Payment method",
                    method.path("type").asText("")
                            + " "
                            + card.path("brand").asText("")
                            + " "
                            + card.path("funding").asText("")
                            + (card.hasNonNull("last4")
                                    ? " •••• " + card.path("last4").asText()
                                    : ""));
            if (card.hasNonNull("fingerprint")) {
                // the card's other decisions, at every merchant
                String fingerprint = card.path("fingerprint").asText();
                out.append("<div>Card fingerprint</div><div><a href=\"/console/search?card=")
                        .append(Html.url(fingerprint))
                        .append("\">")
                        .append(esc(fingerprint))
                        .append("</a></div>");
            }
            field(out, "Customer", p.customerId());
            field(out, "Requested at", p.createdAt());
            out.append("</div></div>");
            String action = risk.path("action").asText("");
            out.append("<h2>Decision: <span class=\"")
                    .append(esc(action))
                    .append("\">")
                    .append(esc(action))
                    .append("</span>")
                    .append(
                            risk.hasNonNull("score")
                                    ? " (score " + esc(risk.path("score").asText()) + ")"
                                    : "")
                    .append("</h2><ul>");
            for (String reason : reasons(reply)) {
                out.append("<li>").append(esc(reason)).append("</li>");
            }
            out.append("</ul><p class=\"role\">Ruleset ")
                    .append(esc(risk.path("ruleset_version").asText("?")))
                    .append(", model ")
                    .append(esc(risk.path("model_version").asText("none")))
                    .append("</p>");
            if (p.underReview()) {
                Optional<Claims.Claim> holder = claims.of(p.id());
                out.append("<p class=\"notice\">")
                        .append(
                                holder.map(
                                                h ->
                                                        "Claimed by "
                                                                + esc(h.person())
                                                                + " since "
                                                                + esc(h.since()))
                                        .orElse("Nobody works this case yet."));
                if (me.role().worksCases()) {
                    boolean mine = holder.isPresent() && holder.get().person().equals(me.name());
                    boolean canRelease =
                            holder.isPresent()
                                    && (mine
                                            || me.role()
                                                    == org.fraudplatform.api.people.Role.ADMIN);
                    if (holder.isEmpty() || canRelease) {
                        out.append(
                                        " <form class=\"inline\" method=\"post\" action=\"/console/payments/")
                                .append(Html.url(p.id()))
                                .append(holder.isEmpty() ? "/claim\">" : "/release\">")
                                .append(csrfField(csrf))
                                .append("<button type=\"submit\">")
                                .append(holder.isEmpty() ? "Claim" : "Release")
                                .append("</button></form>");
                        List<String> others =
                                assignable().stream()
                                        .map(People.Listed::name)
                                        .filter(
                                                n ->
                                                        holder.isEmpty()
                                                                || !n.equals(holder.get().person()))
                                        .toList();
                        if (!others.isEmpty()) {
                            out.append(
                                            " <form class=\"inline\" method=\"post\" action=\"/console/payments/")
                                    .append(Html.url(p.id()))
                                    .append("/assign\">")
                                    .append(csrfField(csrf))
                                    .append(
                                            "<label for=\"assign-to\">Assign to</label> <select"
                                                    + " id=\"assign-to\" name=\"to\">");
                            for (String n : others) {
                                out.append("<option>").append(esc(n)).append("</option>");
                            }
                            out.append("</select> <button type=\"submit\">Assign</button></form>");
                        }
                    }
                }
                out.append("</p>");
                if (me.role().worksCases()) {
                    out.append("<div class=\"card\"><h2>Decide</h2>");
                    for (String a : List.of("approve", "reject")) {
                        out.append(
                                        "<form class=\"inline\" method=\"post\" action=\"/console/payments/")
                                .append(Html.url(p.id()))
                                .append("/")
                                .append(a)
                                .append("\">")
                                .append(csrfField(csrf))
                                .append("<label for=\"note-")
                                .append(a)
                                .append("\">Note</label> <input id=\"note-")
                                .append(a)
                                .append("\" name=\"note\" maxlength=\"100\">")
                                .append(" <button class=\"")
                                .append(a)
                                .append("\" type=\"submit\">")
                                .append(a.equals("approve") ? "Approve" : "Reject")
                                .append("</button></form> ");
                    }
                    out.append(
                            "<p class=\"role\">Approving lets the payment be captured; rejecting"
                                    + " voids its authorization. Either becomes a label for"
                                    + " training.</p></div>");
                } else {
                    out.append(
                            "<p class=\"notice\">Under review: an analyst or an administrator"
                                    + " decides it.</p>");
                }
            }
            out.append(CaseDetails.decision(c, p.id(), featureDescriptions));
            out.append("<h2>Ledger events</h2>").append(events(c, p.id()));
            if (hasLinks(c, p.id())) {
                out.append(CaseDetails.linked(c, p.id()));
            } else {
                // a payment older than the links projection: its card and customer only
                out.append("<h2>Other payments of the same card</h2>")
                        .append(linked(c, "instrument_key", p.instrumentKey(), p.id()));
                if (p.customerId() != null) {
                    out.append("<h2>Other payments of the same customer</h2>")
                            .append(linked(c, "customer_id", p.customerId(), p.id()));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the case: " + e.getMessage(), e);
        }
        return Html.page(
                200,
                Html.frame(
                        "Payment " + paymentId,
                        me.name(),
                        me.role().label(),
                        csrf,
                        out.toString()));
    }

    private record CaseRow(
            String id,
            String merchantId,
            String status,
            boolean underReview,
            long amount,
            String currency,
            String instrumentKey,
            String customerId,
            java.time.Instant createdAt,
            String response) {}

    private static Optional<CaseRow> caseRow(Connection c, String paymentId) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement(
                        "SELECT p.id, p.merchant_id, COALESCE(h.status, p.status),"
                                + " COALESCE(h.under_review, false), p.amount, p.currency,"
                                + " p.instrument_key, h.customer_id, p.created_at, p.response FROM"
                                + " payments p LEFT JOIN payment_history h ON h.id = p.id WHERE"
                                + " p.id = ?")) {
            s.setString(1, paymentId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(
                        new CaseRow(
                                r.getString(1),
                                r.getString(2),
                                r.getString(3),
                                r.getBoolean(4),
                                r.getLong(5),
                                r.getString(6),
                                r.getString(7),
                                r.getString(8),
                                r.getTimestamp(9).toInstant(),
                                r.getString(10)));
            }
        }
    }

    private static String events(Connection c, String paymentId) throws SQLException {
        StringBuilder rows = new StringBuilder();
        try (PreparedStatement s =
                c.prepareStatement(
                        "SELECT type, amount, currency, reason_code, provider, event_time FROM"
                                + " payment_events WHERE payment_id = ? ORDER BY ordinal")) {
            s.setString(1, paymentId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.append("<tr><td>")
                            .append(esc(r.getTimestamp(6).toInstant()))
                            .append("</td><td>")
                            .append(esc(r.getString(1)))
                            .append("</td><td class=\"num\">")
                            .append(esc(money(r.getLong(2), r.getString(3))))
                            .append("</td><td>")
                            .append(esc(r.getString(4)))
                            .append("</td><td>")
                            .append(esc(r.getString(5)))
                            .append("</td></tr>");
                }
            }
        }
        return rows.length() == 0
                ? "<p class=\"role\">None yet.</p>"
                : "<table>"
                        + Html.headerRow("Time", "Event", "Amount", "Reason", "Provider")
                        + "<tbody>"
                        + rows
                        + "</tbody></table>";
    }

    private static boolean hasLinks(Connection c, String paymentId) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement("SELECT 1 FROM payment_links WHERE payment_id = ?")) {
            s.setString(1, paymentId);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    private static String linked(Connection c, String column, String value, String self)
            throws SQLException {
        StringBuilder rows = new StringBuilder();
        try (PreparedStatement s =
                c.prepareStatement(
                        "SELECT id, merchant_id, status, currency, authorized, created_at FROM"
                                + " payment_history WHERE "
                                + column
                                + " = ? AND id <> ? ORDER BY created_at DESC LIMIT 20")) {
            s.setString(1, value);
            s.setString(2, self);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.append("<tr><td>")
                            .append(Html.paymentLink(r.getString(1)))
                            .append("</td><td>")
                            .append(esc(r.getString(2)))
                            .append("</td><td>")
                            .append(esc(r.getString(3)))
                            .append("</td><td class=\"num\">")
                            .append(esc(money(r.getLong(5), r.getString(4))))
                            .append("</td><td>")
                            .append(esc(r.getTimestamp(6).toInstant()))
                            .append("</td></tr>");
                }
            }
        }
        return rows.length() == 0
                ? "<p class=\"role\">None.</p>"
                : "<table>"
                        + Html.headerRow("Payment", "Merchant", "Status", "Authorized", "Requested")
                        + "<tbody>"
                        + rows
                        + "</tbody></table>";
    }

    private HttpReply claim(Person me, String csrf, String paymentId) {
        if (!me.role().worksCases()) {
            return casePage(
                    me,
                    csrf,
                    paymentId,
                    null,
                    Html.aRole(me.role().label()) + " cannot claim a case.");
        }
        if (merchantOf(paymentId).isEmpty()) {
            return Html.page(404, message("No such payment", paymentId));
        }
        Optional<Claims.Claim> before = claims.of(paymentId);
        Claims.Claim holder = claims.claim(paymentId, me.name());
        if (!holder.person().equals(me.name())) {
            return casePage(
                    me,
                    csrf,
                    paymentId,
                    null,
                    holder.person() + " works this case (since " + holder.since() + ").");
        }
        return before.isPresent()
                ? Html.redirect(PATH + "/payments/" + Html.url(paymentId))
                : audited(me, csrf, paymentId, before, "case.claim", Map.of());
    }

    private HttpReply release(Person me, String csrf, String paymentId) {
        Optional<Claims.Claim> before = claims.of(paymentId);
        boolean released =
                me.role().worksCases()
                        && claims.release(
                                paymentId,
                                me.name(),
                                me.role() == org.fraudplatform.api.people.Role.ADMIN);
        return released
                ? audited(
                        me,
                        csrf,
                        paymentId,
                        before,
                        "case.release",
                        Map.of("holder", before.map(Claims.Claim::person).orElse("")))
                : casePage(me, csrf, paymentId, null, "Only who holds a case can release it.");
    }

    /**
     * Hands a case to another person who works cases: its holder may, anyone may while nobody holds
     * it, and an administrator always may.
     */
    private HttpReply assign(Person me, String csrf, String paymentId, String to) {
        if (!me.role().worksCases()) {
            return casePage(
                    me,
                    csrf,
                    paymentId,
                    null,
                    Html.aRole(me.role().label()) + " cannot assign a case.");
        }
        if (merchantOf(paymentId).isEmpty()) {
            return Html.page(404, message("No such payment", paymentId));
        }
        if (assignable().stream().noneMatch(p -> p.name().equals(to))) {
            return casePage(
                    me,
                    csrf,
                    paymentId,
                    null,
                    "'"
                            + to
                            + "' cannot be given a case: no active person of that name works"
                            + " cases.");
        }
        Optional<Claims.Claim> before = claims.of(paymentId);
        if (before.isPresent() && before.get().person().equals(to)) {
            return Html.redirect(PATH + "/payments/" + Html.url(paymentId));
        }
        if (!claims.assign(
                paymentId, to, me.name(), me.role() == org.fraudplatform.api.people.Role.ADMIN)) {
            return casePage(
                    me,
                    csrf,
                    paymentId,
                    null,
                    "Only who holds a case can hand it on: "
                            + before.map(Claims.Claim::person).orElse("somebody")
                            + " works this case.");
        }
        return audited(
                me,
                csrf,
                paymentId,
                before,
                "case.assign",
                Map.of("to", to, "holder", before.map(Claims.Claim::person).orElse("")));
    }

    /** The active people a case can be given to, by name. */
    private List<People.Listed> assignable() {
        return people.list().stream()
                .filter(p -> p.disabledAt() == null && p.role().worksCases())
                .toList();
    }

    /**
     * Writes a change of a case's claim to the audit trail under the person's name, then shows the
     * case; when the trail cannot be written, the claim is put back as it was and the page says so.
     */
    private HttpReply audited(
            Person me,
            String csrf,
            String paymentId,
            Optional<Claims.Claim> before,
            String action,
            Map<String, String> details) {
        try {
            staff.record(me.auditName(), action, paymentId, details);
        } catch (Exception e) {
            log.error("cannot audit {} of {} by {}", action, paymentId, me.auditName(), e);
            claims.restore(paymentId, before);
            return casePage(
                    me,
                    csrf,
                    paymentId,
                    null,
                    "The audit trail cannot be written now, so nothing changed: try again.");
        }
        return Html.redirect(PATH + "/payments/" + Html.url(paymentId));
    }

    // ---- decision search

    private HttpReply search(Person me, String csrf, Map<String, String> query) {
        try {
            DecisionSearch.Filters filters = DecisionSearch.Filters.of(query);
            Optional<DecisionSearch.Cursor> before = DecisionSearch.Cursor.of(query);
            DecisionSearch.Page page;
            try (Connection c = dataSource.getConnection()) {
                page = DecisionSearch.find(c, filters, before, DecisionSearch.PAGE);
            }
            return Html.page(
                    200,
                    Html.frame(
                            "Decisions ("
                                    + page.hits().size()
                                    + (page.next().isPresent() ? " on this page" : "")
                                    + ", newest first)",
                            me.name(),
                            me.role().label(),
                            csrf,
                            DecisionSearch.render(filters, page, before.isPresent(), null)));
        } catch (IllegalArgumentException e) {
            return Html.page(
                    400,
                    Html.frame(
                            "Decisions",
                            me.name(),
                            me.role().label(),
                            csrf,
                            DecisionSearch.render(
                                    DecisionSearch.Filters.lenient(query),
                                    null,
                                    false,
                                    e.getMessage())));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot search: " + e.getMessage(), e);
        }
    }

    // ---- lists

    private String lists(Person me, String csrf, String message) {
        StringBuilder out = new StringBuilder();
        if (message != null) {
            out.append(message);
        }
        if (operations == null) {
            return Html.frame(
                    "Lists",
                    me.name(),
                    me.role().label(),
                    csrf,
                    "<p class=\"notice\">This API serves no lists.</p>");
        }
        List<Map<String, Object>> entries = operations.lists();
        if (entries.isEmpty()) {
            out.append("<p class=\"notice\">The lists are empty.</p>");
        } else {
            out.append(
                    "<table>"
                            + Html.headerRow("List", "Value", "Note", "Author", "Expires", "")
                            + "<tbody>");
            for (Map<String, Object> e : entries) {
                out.append("<tr><td>")
                        .append(esc(e.get("list")))
                        .append("</td><td>")
                        .append(esc(e.get("value")))
                        .append("</td><td>")
                        .append(esc(e.get("note")))
                        .append("</td><td>")
                        .append(esc(e.get("author")))
                        .append("</td><td>")
                        .append(esc(e.get("expires_at")))
                        .append("</td><td>");
                if (me.role().worksCases()) {
                    out.append("<form class=\"inline\" method=\"post\" action=\"/console/lists\">")
                            .append(csrfField(csrf))
                            .append("<input type=\"hidden\" name=\"op\" value=\"remove\">")
                            .append("<input type=\"hidden\" name=\"list\" value=\"")
                            .append(esc(e.get("list")))
                            .append("\"><input type=\"hidden\" name=\"value\" value=\"")
                            .append(esc(e.get("value")))
                            .append("\"><button type=\"submit\">Remove</button></form>");
                }
                out.append("</td></tr>");
            }
            out.append("</tbody></table>");
        }
        out.append(listChanges());
        if (me.role().worksCases()) {
            out.append(
                            "<h2>Add</h2><form class=\"filters\" method=\"post\" action=\"/console/lists\">")
                    .append(csrfField(csrf))
                    .append(
                            "<input type=\"hidden\" name=\"op\" value=\"add\"><label>List<input"
                                    + " name=\"list\" placeholder=\"blocked_ips\" required></label>"
                                    + "<label>Value<input name=\"value\" required></label><label>"
                                    + "Note<input name=\"note\" required></label><label>Expires in"
                                    + " days<input name=\"expires_in_days\""
                                    + " inputmode=\"numeric\"></label><button"
                                    + " type=\"submit\">Add</button></form>");
        }
        return Html.frame("Lists", me.name(), me.role().label(), csrf, out.toString());
    }

    /** Entries of the lists' history shown, newest first. */
    static final int LIST_CHANGES = 50;

    /**
     * The lists' history of changes, newest first, from the audit trail: who added or removed which
     * value when, with the note and expiry of an addition.
     */
    private String listChanges() {
        List<AuditTrail.Entry> changes =
                new AuditTrail(dataSource)
                        .read(
                                new AuditTrail.Query(
                                        null, "list.", null, null, null, null, LIST_CHANGES))
                        .entries();
        StringBuilder out = new StringBuilder("<h2>Changes</h2>");
        if (changes.isEmpty()) {
            return out.append("<p class=\"notice\">No change to the lists yet.</p>").toString();
        }
        out.append("<table>")
                .append(Html.headerRow("When", "Who", "Change", "Entry", "Note", "Expires"))
                .append("<tbody>");
        for (AuditTrail.Entry e : changes) {
            out.append("<tr><td>")
                    .append(esc(e.at()))
                    .append("</td><td>")
                    .append(esc(e.actor()))
                    .append("</td><td>")
                    .append(
                            switch (e.action()) {
                                case "list.add" -> "added";
                                case "list.remove" -> "removed";
                                default -> esc(e.action());
                            })
                    .append("</td><td>")
                    .append(esc(e.subject().replaceFirst("^list:", "")))
                    .append("</td><td>")
                    .append(esc(e.details().getOrDefault("note", "")))
                    .append("</td><td>")
                    .append(esc(e.details().getOrDefault("expires", "")))
                    .append("</td></tr>");
        }
        return out.append("</tbody></table>").toString();
    }

    private HttpReply changeList(Person me, String csrf, Map<String, String> form) {
        if (operations == null) {
            return Html.page(404, message("No lists", "This API serves no lists."));
        }
        if (!me.role().worksCases()) {
            return Html.page(
                    403,
                    lists(
                            me,
                            csrf,
                            "<p class=\"notice error\">"
                                    + esc(Html.aRole(me.role().label()))
                                    + " cannot change the lists.</p>"));
        }
        try {
            String list = form.getOrDefault("list", "").strip();
            String value = form.getOrDefault("value", "").strip();
            if ("remove".equals(form.get("op"))) {
                operations.removeFromList(list, value, me.auditName());
            } else {
                String note = form.getOrDefault("note", "").strip();
                if (note.isEmpty()) {
                    throw new IllegalArgumentException("a note says why: it is required");
                }
                if (FreeText.holdsCardNumber(value)) {
                    throw new IllegalArgumentException(
                            "The value "
                                    + FreeText.REFUSAL
                                    + ": card lists hold instrument tokens");
                }
                if (FreeText.holdsCardNumber(note)) {
                    throw new IllegalArgumentException("The note " + FreeText.REFUSAL);
                }
                String days = blankToNull(form.get("expires_in_days"));
                operations.addToList(
                        list,
                        value,
                        note,
                        days == null ? null : Duration.ofDays(listDays(days)),
                        me.auditName());
            }
            return Html.redirect(PATH + "/lists");
        } catch (IllegalArgumentException e) {
            return Html.page(
                    400,
                    lists(me, csrf, "<p class=\"notice error\">" + esc(e.getMessage()) + "</p>"));
        }
    }

    /** A list entry's lifetime in days, 1 to ten years. */
    private static long listDays(String days) {
        long n;
        try {
            n = Long.parseLong(days.strip());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > 3_650) {
            throw new IllegalArgumentException("expires in: a whole number of days from 1 to 3650");
        }
        return n;
    }

    // ---- rules

    private HttpReply rulesList(Person me, String csrf, String notice) {
        return rulesList(me, csrf, notice, null);
    }

    /**
     * @param backtestsBefore the id of the last back-test report on the page before, for the next
     *     page of reports; null for the newest
     */
    private HttpReply rulesList(Person me, String csrf, String notice, String backtestsBefore) {
        RulesetHistory releases = rules;
        List<Reports.Listed> backtests;
        if (backtestsBefore == null) {
            backtests = reports.list(Reports.Kind.BACKTEST, REPORTS_LISTED + 1);
        } else if (backtestsBefore.matches("[0-9]{1,18}")) {
            backtests =
                    reports.listBefore(
                            Reports.Kind.BACKTEST,
                            Long.parseLong(backtestsBefore),
                            REPORTS_LISTED + 1);
        } else {
            return Html.page(
                    400,
                    message(
                            "Not a page of back-test reports",
                            "backtests_before is the id of a report"));
        }
        String hits;
        try (Connection c = dataSource.getConnection()) {
            hits = RuleHits.render(RuleHits.read(c, java.time.Instant.now()));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the rule hits: " + e.getMessage(), e);
        }
        String after =
                RulesPages.backtestReports(
                                backtests.subList(0, Math.min(backtests.size(), REPORTS_LISTED)),
                                backtestsBefore != null,
                                backtests.size() > REPORTS_LISTED)
                        + hits;
        if (releases == null) {
            return Html.page(
                    200,
                    Html.frame(
                            "Rules",
                            me.name(),
                            me.role().label(),
                            csrf,
                            "<p class=\"notice\">This API serves no rules.</p>" + after));
        }
        return Html.page(
                200,
                RulesPages.list(
                        me, csrf, releases.releases(), releases.proposals(), notice, after));
    }

    // ---- published reports

    /**
     * A published report, on its own URL under {@link Html#report}'s sandbox: whoever signs in
     * reads it, as they read the rules and models pages.
     */
    private HttpReply report(String id) {
        Optional<String> html =
                id.matches("[1-9][0-9]{0,17}")
                        ? reports.html(Long.parseLong(id))
                        : Optional.empty();
        return html.map(Html::report)
                .orElseGet(() -> Html.page(404, message("No such report", id)));
    }

    private HttpReply rollback(Person me, String csrf, String version) {
        return changeRules(me, csrf, releases -> releases.rollback(version, me.auditName()));
    }

    /**
     * A change to the live ruleset by a person who may put rules live: the rules page again after
     * it, or with the reason it was refused.
     */
    private HttpReply changeRules(
            Person me, String csrf, java.util.function.Consumer<RulesetHistory> change) {
        RulesetHistory releases = rules;
        if (releases == null) {
            return Html.page(404, message("No rules", "This API serves no rules."));
        }
        if (!me.may(Permission.RULES)) {
            return rulesList(
                    me,
                    csrf,
                    "<p class=\"notice error\">"
                            + esc(Html.aRole(me.role().label()))
                            + " cannot put a ruleset live.</p>");
        }
        try {
            change.accept(releases);
            return Html.redirect(PATH + "/rules");
        } catch (IllegalArgumentException e) {
            return rulesList(me, csrf, "<p class=\"notice error\">" + esc(e.getMessage()) + "</p>");
        }
    }

    /** The releases, newest first, then the proposals waiting, each readable and comparable. */
    private static List<RulesetHistory.Release> withProposals(RulesetHistory releases) {
        List<RulesetHistory.Release> all = new java.util.ArrayList<>(releases.releases());
        releases.proposals().forEach(p -> all.add(p.asRelease()));
        return all;
    }

    /** A second person puts live a ruleset another proposed (four eyes). */
    private HttpReply approveRules(Person me, String csrf, String version) {
        return changeRules(
                me,
                csrf,
                releases -> {
                    releases.approve(version, me.auditName());
                    log.info("{} approved ruleset {} on the rules page", me.auditName(), version);
                });
    }

    // ---- helpers

    private void awaitHistory() {
        try {
            history.await(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Optional<String> merchantOf(String paymentId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement("SELECT merchant_id FROM payments WHERE id = ?")) {
            s.setString(1, paymentId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the payment: " + e.getMessage(), e);
        }
    }

    private static void field(StringBuilder out, String name, Object value) {
        out.append("<div>").append(esc(name)).append("</div><div>");
        out.append(esc(value));
        out.append("</div>");
    }

    private static List<String> reasons(JsonNode reply) {
        List<String> out = new ArrayList<>();
        for (JsonNode r : reply.path("risk").path("reasons")) {
            String code = r.path("code").asText("");
            String message = r.path("message").asText("");
            out.add(message.isEmpty() ? code : code + ": " + message);
        }
        return out;
    }

    private static JsonNode json(String text) {
        try {
            return text == null ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(text);
        } catch (IOException e) {
            return Json.MAPPER.createObjectNode();
        }
    }

    private static String age(java.time.Instant since) {
        Duration d = Duration.between(since, java.time.Instant.now());
        if (d.toMinutes() < 1) {
            return d.toSeconds() + " s";
        }
        if (d.toHours() < 1) {
            return d.toMinutes() + " min";
        }
        if (d.toDays() < 1) {
            return d.toHours() + " h";
        }
        return d.toDays() + " d";
    }

    private static long parseMinor(String amount) {
        if (amount == null || amount.isBlank()) {
            return 0;
        }
        try {
            return new java.math.BigDecimal(amount.strip()).movePointRight(2).longValue();
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /**
     * Whether a POST came from one of the console's own pages: browsers send {@code Origin} with
     * every form POST; it must name the host the request was sent to. A request without it (not a
     * browser) is left to the CSRF token.
     */
    private static boolean sameOrigin(HttpExchange exchange) {
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (origin == null) {
            return true;
        }
        return host != null
                && (origin.equalsIgnoreCase("http://" + host)
                        || origin.equalsIgnoreCase("https://" + host));
    }

    private static boolean sameToken(String sent, String expected) {
        return sent != null
                && MessageDigest.isEqual(
                        sent.getBytes(StandardCharsets.UTF_8),
                        expected.getBytes(StandardCharsets.UTF_8));
    }

    private static String cookie(HttpExchange exchange) {
        List<String> headers = exchange.getRequestHeaders().get("Cookie");
        if (headers == null) {
            return null;
        }
        for (String header : headers) {
            for (String part : header.split(";")) {
                String p = part.strip();
                if (p.startsWith(COOKIE + "=")) {
                    return p.substring(COOKIE.length() + 1);
                }
            }
        }
        return null;
    }

    private static Map<String, String> readForm(HttpExchange exchange) {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_FORM_BYTES);
            return Requests.decode(new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Map.of();
        }
    }

    private static String message(String title, String detail) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
                + esc(title)
                + " · Fraud console</title><link rel=\"stylesheet\""
                + " href=\"/console/console.css\"></head><body><a class=\"skip\""
                + " href=\"#main\">Skip to the main content</a><main id=\"main\""
                + " tabindex=\"-1\" class=\"login card\"><h1>"
                + esc(title)
                + "</h1><p>"
                + esc(detail)
                + "</p><p><a href=\"/console\">Back to the console</a></p></main></body></html>";
    }

    @Override
    public void close() {
        historyWaits.shutdownNow();
    }

    private static CompletableFuture<HttpReply> done(HttpReply reply) {
        return CompletableFuture.completedFuture(reply);
    }
}
