package org.fraudplatform.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fraudplatform.api.PaymentApi;
import org.fraudplatform.api.people.Role;
import org.fraudplatform.features.FeatureCatalogue;
import org.fraudplatform.offline.backfill.HistoryFormat;
import org.fraudplatform.platform.models.TinyModels;
import org.fraudplatform.platform.testing.HeadlessChromium;
import org.fraudplatform.platform.testing.ReleaseKeysOf;
import org.fraudplatform.platform.testing.SettlementExceptions;
import org.fraudplatform.risk.RulesetReleases;
import org.fraudplatform.risk.models.ModelRegistry;
import org.fraudplatform.rules.engine.RulesetSource;
import org.fraudplatform.schemas.serde.SchemaRegistries;
import org.fraudplatform.schemas.topics.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console in a real browser (the machine's Chromium, headless; {@code .ci/run} installs
 * Debian's package): an analyst signs in with the form, finds a payment in the review queue, opens
 * its case and approves it, as a person would, with the browser's own cookies, redirects, CSS and
 * Content-Security-Policy in force; an IP blocked on the Lists page declines the next payment from
 * it, with the reason on its case page and in the search; an earlier rule release put live again
 * from the Rules page is what the platform decides with; a reconciliation exception resolved with a
 * note shows resolved; an analyst sending the promote form of the models page is refused with a 403
 * page; a back-test the command line published opens from the Rules page with its charts, and a
 * model's evaluation report from the Models page, its script not run; every page keeps the
 * structural accessibility rules. Screenshots are kept in {@code target/console-*.png}. Without a
 * Chromium on the machine the test is skipped, saying so.
 */
class ConsoleBrowserIT {

    @TempDir static Path dataDir;
    @TempDir static Path browserDir;
    static Platform platform;
    static HeadlessChromium browser;
    static String base;
    static String axeSource;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(
                HeadlessChromium.binary().isPresent(),
                "no Chromium on this machine: apt-get install chromium (as .ci/run does)");
        platform =
                Platform.start(
                        TestSettings.embedded(dataDir),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        base = "http://127.0.0.1:" + platform.apiPort();
        browser = HeadlessChromium.start(browserDir.resolve("profile"));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void shouldSignInFindTheReviewOpenItsCaseAndApproveIt() throws Exception {
        String password = Files.readString(dataDir.resolve(PaymentApi.ADMIN_PASSWORD_FILE)).trim();
        String id = reviewPayment();
        signOut();

        browser.open(base + "/console");
        browser.waitFor("location.pathname === '/console/login'");
        browser.type("#name", "admin");
        browser.type("#password", password);
        browser.click("button[type=submit]");
        browser.waitFor(
                "location.pathname === '/console' && document.readyState === 'complete'"
                        + " && document.querySelector('h1') !== null"
                        + " && document.querySelector('h1').innerText.startsWith('Reviews')");
        String cookieSeenByScripts = browser.eval("document.cookie");
        for (int i = 0; i < 100 && !browser.text().contains(id); i++) {
            Thread.sleep(100);
            browser.open(base + "/console");
        }
        String queue = browser.text();
        String headerColour =
                browser.eval("getComputedStyle(document.querySelector('header')).backgroundColor");
        Files.write(Path.of("target/console-queue.png"), browser.screenshot());
        browser.click("a[href='/console/payments/" + id + "']");
        browser.waitFor("location.pathname === '/console/payments/" + id + "'");
        String casePage = browser.text();
        browser.type("input[name=note]", "customer confirmed by phone");
        browser.click("button.approve");
        browser.waitFor("location.search === '?done=approve'");
        String approved = browser.text();
        Files.write(Path.of("target/console-case.png"), browser.screenshot());

        assertThat(cookieSeenByScripts).as("the session cookie is HttpOnly").isEmpty();
        assertThat(queue).contains(id).contains("10,000.00 EUR").contains("AMOUNT_VERY_LARGE");
        assertThat(headerColour)
                .as("the stylesheet loaded under the CSP")
                .isEqualTo("rgb(255, 255, 255)");
        assertThat(casePage)
                .contains("Decision: review")
                .contains("AMOUNT_VERY_LARGE")
                .contains("•••• 4444");
        assertThat(approved).contains("Approved.").doesNotContain("under review)");
    }

    @Test
    void shouldShowEveryPageWithItsChartsAndTablesUnderTheCsp() throws Exception {
        signIn();
        String id = reviewPayment();
        for (int i = 0; i < 100 && !browser.text().contains(id); i++) {
            Thread.sleep(100);
            browser.open(base + "/console");
        }

        browser.open(base + "/console/payments/" + id);
        for (int i = 0; i < 100 && !browser.text().contains("Features at decision time"); i++) {
            Thread.sleep(100);
            browser.open(base + "/console/payments/" + id);
        }
        String casePage = browser.text();
        String unlabelledOnCase = browser.eval(UNLABELLED);
        browser.eval(
                "(Array.from(document.querySelectorAll('h2')).find(h => h.innerText === 'Model')"
                        + ".scrollIntoView(), 'shown')");
        Files.write(Path.of("target/console-case-features.png"), browser.screenshot());

        browser.open(base + "/console/overview");
        for (int i = 0;
                i < 100
                        && browser.eval("document.querySelectorAll('svg.chart rect').length")
                                .equals("0");
                i++) {
            Thread.sleep(100);
            browser.open(base + "/console/overview");
        }
        String bars = browser.eval("document.querySelectorAll('svg.chart rect').length");
        String barColour =
                browser.eval("getComputedStyle(document.querySelector('svg.chart rect')).fill");
        Files.write(Path.of("target/console-overview.png"), browser.screenshot());

        browser.open(base + "/console/search?merchant=demo");
        browser.waitFor("document.querySelector('h1').innerText.startsWith('Decisions')");
        browser.open(base + "/console/lists");
        browser.waitFor("document.querySelector('h1').innerText === 'Lists'");
        Files.write(Path.of("target/console-lists.png"), browser.screenshot());
        browser.open(base + "/console/rules");
        browser.waitFor("document.querySelector('h1').innerText === 'Rules'");
        String rules = browser.text();
        Files.write(Path.of("target/console-rules.png"), browser.screenshot());
        String version = registerModels();
        browser.open(base + "/console/models");
        browser.waitFor("document.querySelector('h1').innerText === 'Models'");
        browser.click("form[action='/console/models/" + version + "/promote'] button");
        browser.waitFor(
                "location.pathname === '/console/models' && document.readyState === 'complete'"
                        + " && document.body.innerText.includes('champion')");
        String models = browser.text();
        Files.write(Path.of("target/console-models.png"), browser.screenshot());

        browser.open(base + "/console/reconciliation");
        browser.waitFor("document.querySelector('h1').innerText.startsWith('Reconciliation')");
        String unlabelled = browser.eval(UNLABELLED);
        browser.click("form[action='/console/logout'] button");
        browser.waitFor("location.pathname === '/console/login'");

        assertThat(casePage)
                .contains("Features at decision time")
                .contains("card_count_10m")
                .contains("Linked payments");
        assertThat(Integer.parseInt(bars)).as("the chart has bars").isPositive();
        assertThat(barColour).as("the chart's colours come from the stylesheet").startsWith("rgb(");
        assertThat(rules).contains("live");
        assertThat(models).contains("console-browser-a").contains("champion");
        assertThat(unlabelled).as("every field has a label").isEqualTo("0");
        assertThat(unlabelledOnCase).as("every field of the case page has a label").isEqualTo("0");
    }

    @Test
    void shouldBlockAnIpOnTheListsPageAndSeeTheNextPaymentFromItDeclinedWithItsReason()
            throws Exception {
        // given
        signIn();
        String ip = "198.51.100.77";

        // when: the IP is blocked by the Lists page's form
        browser.open(base + "/console/lists");
        browser.waitFor("document.querySelector('h1').innerText === 'Lists'");
        browser.type("form.filters[method=post] input[name=list]", "blocked_ips");
        browser.type("form.filters[method=post] input[name=value]", ip);
        browser.type(
                "form.filters[method=post] input[name=note]", "card testing from this address");
        browser.type("form.filters[method=post] input[name=expires_in_days]", "1");
        browser.click("form.filters[method=post] button");
        browser.waitFor(
                "location.pathname === '/console/lists' && document.readyState === 'complete'"
                        + " && document.body.innerText.includes('"
                        + ip
                        + "')");
        String lists = browser.text();
        // the risk instances take the list up from its topic: pay until a payment meets it
        com.fasterxml.jackson.databind.JsonNode paid = pay(ip);
        for (int i = 0;
                i < 150 && !paid.path("risk").path("action").asText().equals("decline");
                i++) {
            Thread.sleep(200);
            paid = pay(ip);
        }
        String id = paid.get("id").asText();
        browser.open(base + "/console/payments/" + id);
        browser.waitFor("document.readyState === 'complete'");
        String casePage = browser.text();
        Files.write(Path.of("target/console-blocked-ip.png"), browser.screenshot());
        // and the search by that IP finds the payment, its reason beside it
        browser.open(base + "/console/search?ip=" + ip);
        for (int i = 0; i < 100 && !browser.text().contains(id); i++) {
            Thread.sleep(100);
            browser.open(base + "/console/search?ip=" + ip);
        }
        String search = browser.text();
        String unlabelledOnSearch = browser.eval(UNLABELLED);
        browser.click("a[href='/console/payments/" + id + "']");
        browser.waitFor("location.pathname === '/console/payments/" + id + "'");
        browser.open(base + "/console/search?ip=" + ip);
        browser.waitFor("document.body.innerText.includes('" + id + "')");
        Files.write(Path.of("target/console-search.png"), browser.screenshot());
        signOut();

        // then
        assertThat(lists).contains(ip).contains("card testing from this address");
        assertThat(paid.path("risk").path("action").asText()).isEqualTo("decline");
        assertThat(casePage)
                .contains("Decision: decline")
                .contains("BLOCKED_IP: The IP address is on the block list");
        assertThat(search).contains(id).contains("BLOCKED_IP").contains("decline");
        assertThat(unlabelledOnSearch).as("every field of the search has a label").isEqualTo("0");
    }

    @Test
    void shouldRollBackARuleReleaseOnTheRulesPageAndSeeTheEarlierOneLive() throws Exception {
        // given: a second release (the packaged rules with a comment) live on the platform
        RulesetSource packaged = RulesetSource.packaged();
        Map<String, byte[]> edited = new LinkedHashMap<>();
        packaged.files().forEach(f -> edited.put(f.name(), f.content()));
        String first = packaged.files().get(0).name();
        edited.put(
                first,
                (new String(edited.get(first), StandardCharsets.UTF_8)
                                + "\n// reviewed for the browser test\n")
                        .getBytes(StandardCharsets.UTF_8));
        RulesetSource second = RulesetSource.of(edited);
        try (RulesetReleases releases =
                new RulesetReleases(
                        platform.kafkaConnection(),
                        Topics.create(SchemaRegistries.connect(platform.schemaRegistryUrl()), 3),
                        ReleaseKeysOf.signer(dataDir),
                        ReleaseKeysOf.trusted(dataDir))) {
            releases.deploy(second, 0, "ana", "a comment for the browser test");
        }
        String liveBefore = awaitLiveRuleset(second.version());
        signIn();
        browser.open(base + "/console/rules");
        for (int i = 0; i < 100 && !browser.eval(LIVE_RELEASE).equals(second.version()); i++) {
            Thread.sleep(100);
            browser.open(base + "/console/rules");
        }
        String liveOnPageBefore = browser.eval(LIVE_RELEASE);

        // when: the packaged release is put live again by its button
        browser.click("form[action='/console/rules/" + packaged.version() + "/rollback'] button");
        browser.waitFor(
                "location.pathname === '/console/rules' && document.readyState === 'complete'");
        for (int i = 0; i < 100 && !browser.eval(LIVE_RELEASE).equals(packaged.version()); i++) {
            Thread.sleep(100);
            browser.open(base + "/console/rules");
        }
        String liveOnPageAfter = browser.eval(LIVE_RELEASE);
        String rules = browser.text();
        Files.write(Path.of("target/console-rules-rollback.png"), browser.screenshot());
        // and the risk instances take it up between two payments
        String liveAfter = awaitLiveRuleset(packaged.version());

        // then
        assertThat(liveBefore).isEqualTo(second.version());
        assertThat(liveOnPageBefore).isEqualTo(second.version());
        assertThat(liveOnPageAfter).isEqualTo(packaged.version());
        assertThat(rules).contains("rollback to " + packaged.version()).contains("admin");
        assertThat(liveAfter)
                .as("the platform decides with the earlier release")
                .isEqualTo(packaged.version());
    }

    @Test
    void shouldResolveAReconciliationExceptionWithANoteOnTheReconciliationPage() throws Exception {
        // given: an exception (the provider settled 20.00 EUR for a 19.99 EUR capture)
        signIn();
        String item =
                SettlementExceptions.amountMismatch(
                        platform,
                        Files.readString(dataDir.resolve(Platform.DEMO_KEY_FILE)).trim(),
                        dataDir);
        String form = "form:has(input[name=item_id][value='" + item + "'])";
        String row =
                "(Array.from(document.querySelectorAll('tbody tr')).find(tr =>"
                        + " tr.querySelector('code') && tr.querySelector('code').innerText === '"
                        + item
                        + "') || {innerText: 'no such row'}).innerText";
        // an exception once both sides are in: the ledger's capture and the provider's row
        browser.open(base + "/console/reconciliation");
        for (int i = 0;
                i < 300
                        && !browser.eval("document.querySelector(\"" + form + "\") !== null")
                                .equals("true");
                i++) {
            Thread.sleep(100);
            browser.open(base + "/console/reconciliation");
        }
        String before = browser.eval(row);

        // when: a note is typed and the exception resolved by its button
        browser.type(form + " input[name=note]", "provider rounded up; confirmed with them");
        browser.click(form + " button");
        browser.waitFor("location.search.includes('resolving=')");
        for (int i = 0; i < 300 && !browser.eval(row).contains("confirmed with them"); i++) {
            Thread.sleep(100);
            browser.open(base + "/console/reconciliation");
        }
        String after = browser.eval(row);
        String formsLeft = browser.eval("document.querySelectorAll(\"" + form + "\").length");
        Files.write(Path.of("target/console-reconciliation.png"), browser.screenshot());

        // then
        assertThat(before).contains("exception").contains("amount mismatch");
        assertThat(after)
                .contains("resolved")
                .doesNotContain("exception")
                .contains("provider rounded up; confirmed with them")
                .contains("person:admin");
        assertThat(formsLeft).as("nothing is left to resolve for the item").isEqualTo("0");
    }

    @Test
    void shouldPublishABacktestReportAndOpenItFromTheRulesPageWithItsCharts() throws Exception {
        // given: a candidate (the packaged rules with a comment) back-tested against the packaged
        // rules over a short history by the command line, which publishes its report
        Path work = Files.createDirectories(browserDir.resolve("backtest"));
        Path candidate = Files.createDirectories(work.resolve("candidate"));
        for (var f : RulesetSource.packaged().files()) {
            Path file = candidate.resolve(f.name());
            Files.createDirectories(file.getParent());
            Files.write(file, f.content());
        }
        Path first = candidate.resolve(RulesetSource.packaged().files().get(0).name());
        Files.writeString(
                first, Files.readString(first) + "\n// candidate for the published back-test\n");
        String candidateVersion = RulesetSource.fromDirectory(candidate).version();
        List<String> history = new java.util.ArrayList<>(List.of(HistoryFormat.HANDBOOK.header()));
        for (int i = 0; i < 8; i++) {
            history.add(i + ",2018-04-01 10:0" + i + ":00,1,7,1.00,0,0,1,3");
        }
        for (int i = 0; i < 5; i++) {
            history.add((8 + i) + ",2018-04-01 11:0" + i + ":00,2,8,20.00,0,0,0,0");
        }
        Files.write(work.resolve("history.csv"), history, StandardCharsets.UTF_8);
        CliRun backtest =
                cli(
                        "rules",
                        "backtest",
                        "--dir",
                        candidate.toString(),
                        "--against",
                        "packaged",
                        "--input",
                        work.resolve("history.csv").toString(),
                        "--format",
                        "handbook",
                        "--out",
                        work.resolve("out").toString(),
                        "--parallelism",
                        "1",
                        "--publish",
                        "--token",
                        Files.readString(dataDir.resolve(PaymentApi.ADMIN_TOKEN_FILE)).trim());
        java.util.regex.Matcher published =
                java.util.regex.Pattern.compile(
                                "Published the report to the console: (/console/reports/\\d+)")
                        .matcher(backtest.out());
        assertThat(backtest.exit()).as(backtest.out()).isZero();
        assertThat(published.find()).as(backtest.out()).isTrue();
        String report = published.group(1);

        // when: the Rules page lists it, and its link opens it
        signIn();
        browser.open(base + "/console/rules");
        browser.waitFor("document.querySelector('h1').innerText === 'Rules'");
        String listed = browser.eval("document.querySelector('#backtests ~ table').innerText");
        browser.eval("(document.querySelector('#backtests').scrollIntoView(), 'shown')");
        Files.write(Path.of("target/console-rules-backtests.png"), browser.screenshot());
        browser.click("a[href='" + report + "']");
        browser.waitFor(
                "location.pathname === '" + report + "' && document.readyState === 'complete'");
        String title = browser.eval("document.title");
        String charts = browser.eval("document.querySelectorAll('svg.chart').length");
        String bars = browser.eval("document.querySelectorAll('svg.chart rect').length");
        String styled = browser.eval("getComputedStyle(document.querySelector('main')).maxWidth");
        browser.eval("(document.querySelector('svg.chart').scrollIntoView(), 'shown')");
        Files.write(Path.of("target/console-backtest-report.png"), browser.screenshot());
        // and a merchant's API key does not read it
        HttpResponse<String> withMerchantKey =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(base + report))
                                        .header(
                                                "Authorization",
                                                "Bearer "
                                                        + Files.readString(
                                                                        dataDir.resolve(
                                                                                Platform
                                                                                        .DEMO_KEY_FILE))
                                                                .trim())
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(listed)
                .contains("person:admin")
                .contains(candidateVersion)
                .contains(RulesetSource.packaged().version())
                .contains("13 payments, 8 frauds");
        assertThat(title)
                .isEqualTo(
                        "Rule back-test: "
                                + candidateVersion
                                + " against "
                                + RulesetSource.packaged().version());
        assertThat(Integer.parseInt(charts)).as("the report's charts").isGreaterThanOrEqualTo(1);
        assertThat(Integer.parseInt(bars)).as("the charts' bars").isPositive();
        assertThat(styled).as("the report's own inline style applies").isEqualTo("960px");
        assertThat(withMerchantKey.statusCode()).isEqualTo(303);
        assertThat(withMerchantKey.headers().firstValue("Location")).contains("/console/login");
        assertThat(withMerchantKey.body()).doesNotContain("Rule back-test");
    }

    @Test
    void shouldLinkAModelsEvaluationReportAndRunNoScriptOfIt() throws Exception {
        // given: a model registered by the command line with an evaluation report that carries
        // script, as a report tampered with on the way would
        Path work = Files.createDirectories(browserDir.resolve("evaluation"));
        Path model = work.resolve("console-browser-report.model.json");
        TinyModels.amountModel("console-browser-report", 0.0, FeatureCatalogue.standard().hash())
                .write(model);
        Path page = work.resolve("report.html");
        Files.writeString(
                page,
                "<!DOCTYPE html><html lang=\"en\"><head><title>Evaluation</title>"
                        + "<style>h1{color:rgb(1, 2, 3)}</style></head><body><h1>Evaluation</h1>"
                        + "<script>document.title = 'script ran'</script>"
                        + "<img src=\"data:,\" onerror=\"document.title = 'handler ran'\">"
                        + "</body></html>");
        CliRun register =
                cli(
                        "models",
                        "register",
                        model.toString(),
                        "-m",
                        "with its evaluation",
                        "--report",
                        page.toString(),
                        "--data-dir",
                        dataDir.toString(),
                        "--token",
                        Files.readString(dataDir.resolve(PaymentApi.ADMIN_TOKEN_FILE)).trim());
        assertThat(register.exit()).as(register.out()).isZero();
        String version = register.out().replaceAll("(?s).*Registered (\\S+) .*", "$1").trim();
        // and a later evaluation of the same version published for it, which the page links now
        Path later = work.resolve("later-report.html");
        Files.writeString(
                later,
                Files.readString(page)
                        .replace("<h1>Evaluation</h1>", "<h1>Evaluation</h1><p>later</p>"));
        CliRun again =
                cli(
                        "models",
                        "publish-report",
                        version,
                        later.toString(),
                        "--data-dir",
                        dataDir.toString(),
                        "--token",
                        Files.readString(dataDir.resolve(PaymentApi.ADMIN_TOKEN_FILE)).trim());
        assertThat(again.exit()).as(again.out()).isZero();
        String newest =
                again.out().replaceAll("(?s).*console: (/console/reports/\\d+).*", "$1").trim();

        // when: the Models page links it
        signIn();
        browser.open(base + "/console/models");
        for (int i = 0;
                i < 100
                        && browser.eval(
                                        "String(document.querySelector(\"a[href^='/console/reports/']"
                                                + "\") !== null && document.body.innerText"
                                                + ".includes('"
                                                + version
                                                + "'))")
                                .equals("false");
                i++) {
            Thread.sleep(100);
            browser.open(base + "/console/models");
        }
        String link =
                browser.eval(
                        "Array.from(document.querySelectorAll('tr')).find(r =>"
                                + " r.innerText.includes('"
                                + version
                                + "')).querySelector(\"a[href^='/console/reports/']\")"
                                + ".getAttribute('href')");
        Files.write(Path.of("target/console-models-report.png"), browser.screenshot());
        browser.click("a[href='" + link + "']");
        browser.waitFor(
                "location.pathname === '" + link + "' && document.readyState === 'complete'");
        Thread.sleep(300);
        String title = browser.eval("document.title");
        String heading = browser.eval("getComputedStyle(document.querySelector('h1')).color");
        String origin = browser.eval("self.origin");
        String body = browser.eval("document.body.innerText");

        // then: the page shows with its style, and neither its script nor its handler ran; the
        // sandbox gives it an origin of its own, so it could not reach the console's either
        assertThat(title).isEqualTo("Evaluation");
        assertThat(heading).isEqualTo("rgb(1, 2, 3)");
        assertThat(origin).as("an opaque origin, not the console's").isEqualTo("null");
        assertThat(link).as("the newest report of the version").isEqualTo(newest);
        assertThat(body).contains("later");
    }

    @Test
    void shouldKeepEveryPageToTheStructuralAccessibilityRules() throws Exception {
        // given: a case, a model and a reconciliation exception, so that their pages have forms
        signOut();
        browser.open(base + "/console/login");
        Map<String, String> problems = new LinkedHashMap<>();
        Map<String, String> violations = new LinkedHashMap<>();
        problems.put("/console/login", browser.eval(ACCESSIBILITY));
        violations.put("/console/login", axe());
        // the control: an image without a text alternative, planted in the page, is found
        browser.eval("document.body.insertAdjacentHTML('beforeend', '<img src=\"data:,\">'), true");
        String planted = axe();
        signIn();
        String id = reviewPayment();
        registerModel("console-browser-accessible");
        for (int i = 0; i < 100 && !browser.text().contains(id); i++) {
            Thread.sleep(100);
            browser.open(base + "/console");
        }
        browser.open(base + "/console/payments/" + id);
        for (int i = 0; i < 100 && !browser.text().contains("Features at decision time"); i++) {
            Thread.sleep(100);
            browser.open(base + "/console/payments/" + id);
        }
        String release = RulesetSource.packaged().version();
        String item =
                SettlementExceptions.amountMismatch(
                        platform,
                        Files.readString(dataDir.resolve(Platform.DEMO_KEY_FILE)).trim(),
                        dataDir);
        String resolveForm = "form:has(input[name=item_id][value='" + item + "'])";
        browser.open(base + "/console/reconciliation");
        for (int i = 0;
                i < 300
                        && !browser.eval("document.querySelector(\"" + resolveForm + "\") !== null")
                                .equals("true");
                i++) {
            Thread.sleep(100);
            browser.open(base + "/console/reconciliation");
        }
        String resolvable =
                browser.eval("document.querySelector(\"" + resolveForm + "\") !== null");

        // when: every page is read
        for (String page :
                List.of(
                        "/console/overview",
                        "/console",
                        "/console/payments/" + id,
                        "/console/search",
                        "/console/search?merchant=demo",
                        "/console/lists",
                        "/console/rules",
                        "/console/rules/" + release,
                        "/console/models",
                        "/console/reconciliation",
                        "/console/payments/no-such-payment")) {
            browser.open(base + page);
            browser.waitFor("document.readyState === 'complete'");
            problems.put(page, browser.eval(ACCESSIBILITY));
            violations.put(page, axe());
        }

        // then
        assertThat(resolvable).as("the reconciliation page has a note to fill").isEqualTo("true");
        assertThat(problems).hasSize(12);
        assertThat(problems)
                .as("the problems of each page")
                .allSatisfy((page, found) -> assertThat(found).as(page).isEqualTo("[]"));
        assertThat(planted).contains("image-alt (critical)");
        assertThat(violations)
                .as("what axe-core finds against WCAG 2.2 A and AA on each page")
                .allSatisfy((page, found) -> assertThat(found).as(page).isEqualTo("[]"));
    }

    /**
     * The page's violations of WCAG 2.0, 2.1 and 2.2 at levels A and AA, as axe-core (the engine of
     * the browsers' accessibility audits) finds them: rule, impact, what to fix, where.
     */
    private static String axe() throws Exception {
        if (axeSource == null) {
            try (var in = ConsoleBrowserIT.class.getResourceAsStream("/axe.min.js")) {
                assertThat(in).as("axe.min.js on the test class path").isNotNull();
                axeSource = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        browser.eval(axeSource + ";true");
        return browser.evalAwait(
                "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa',"
                        + " 'wcag21a', 'wcag21aa', 'wcag22aa']}, resultTypes: ['violations']})"
                        + ".then(r => JSON.stringify(r.passes.length === 0 ? ['axe-core checked"
                        + " nothing'] : r.violations.map(v => v.id + ' (' + v.impact + '): ' +"
                        + " v.help + ' at ' + v.nodes.slice(0, 3).map(n => n.target.join(' '))"
                        + ".join(', '))))");
    }

    /** Waits for the risk instances to take a ruleset release up; the version deciding then. */
    private static String awaitLiveRuleset(String version) throws InterruptedException {
        for (int i = 0; i < 300 && !version.equals(platform.liveRulesetVersion()); i++) {
            Thread.sleep(100);
        }
        return platform.liveRulesetVersion();
    }

    /** The version the rules page shows live, or "none". */
    static final String LIVE_RELEASE =
            "(() => { const s = Array.from(document.querySelectorAll('td strong'))"
                    + ".find(e => e.innerText === 'live');"
                    + " return s ? s.closest('td').querySelector('a').innerText : 'none'; })()";

    /**
     * The page's breaches of the structural rules, as a JSON array: {@code lang} on the html
     * element, one h1, no heading level skipped, a label for every visible field, a scope on every
     * table header, text for every link and button, a skip link first that leads to the main
     * content, and a visible focus style.
     */
    static final String ACCESSIBILITY =
            """
            JSON.stringify((() => {
              const p = [];
              if (!document.documentElement.lang) p.push('no lang on html');
              const h1 = document.querySelectorAll('h1').length;
              if (h1 !== 1) p.push(h1 + ' h1');
              let level = 0;
              for (const h of document.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
                const l = Number(h.tagName.substring(1));
                if (l > level + 1) p.push('h' + l + ' after h' + level + ': ' + h.textContent);
                level = l;
              }
              for (const e of document.querySelectorAll(
                  'input:not([type=hidden]), select, textarea')) {
                if ((!e.labels || e.labels.length === 0) && !e.getAttribute('aria-label'))
                  p.push('no label: ' + (e.name || e.id));
              }
              for (const th of document.querySelectorAll('th')) {
                if (!['col', 'row', 'colgroup', 'rowgroup'].includes(th.getAttribute('scope')))
                  p.push('th without scope: ' + th.textContent);
                if (!th.textContent.trim()) p.push('empty th');
              }
              for (const e of document.querySelectorAll('a, button')) {
                if (!e.textContent.trim() && !e.getAttribute('aria-label'))
                  p.push('no text: ' + e.outerHTML);
              }
              const first = document.querySelector('body a, body button, body input');
              if (!first || first.getAttribute('href') !== '#main'
                  || !document.querySelector('main#main'))
                p.push('no skip link to the main content first');
              const focus = Array.from(document.styleSheets).some(s =>
                  Array.from(s.cssRules).some(r =>
                      r.selectorText && r.selectorText.includes(':focus-visible')
                      && r.style.outlineStyle && r.style.outlineStyle !== 'none'));
              if (!focus) p.push('no visible focus style');
              return p;
            })())""";

    @Test
    void shouldRefuseAnAnalystPromotingAModelWithAClear403Page() throws Exception {
        // given: an analyst signed in, and a candidate model
        String password = TestPeople.passwordFor(platform, "ana-browser", Role.ANALYST);
        String version = registerModel("console-browser-refused");
        signOut();
        browser.open(base + "/console/login");
        browser.type("#name", "ana-browser");
        browser.type("#password", password);
        browser.click("button[type=submit]");
        browser.waitFor(
                "location.pathname === '/console' && document.readyState === 'complete'"
                        + " && document.querySelector('h1') !== null");
        browser.open(base + "/console/models");
        browser.waitFor("document.querySelector('h1').innerText === 'Models'");
        String promoteButtons =
                browser.eval("document.querySelectorAll(\"form[action$='/promote']\").length");

        // when: the analyst sends the promote form anyway, with the session's own CSRF token
        browser.eval(
                "(() => { const f = document.createElement('form'); f.method = 'post';"
                        + " f.action = '/console/models/"
                        + version
                        + "/promote'; const t = document.createElement('input'); t.type ="
                        + " 'hidden'; t.name = 'csrf'; t.value ="
                        + " document.querySelector('input[name=csrf]').value; f.appendChild(t);"
                        + " document.body.appendChild(f); f.submit(); return 'sent'; })()");
        browser.waitFor(
                "location.pathname.endsWith('/promote') && document.readyState === 'complete'");
        String status =
                browser.eval(
                        "String(performance.getEntriesByType('navigation')[0].responseStatus)");
        String refused = browser.text();
        Files.write(Path.of("target/console-refused.png"), browser.screenshot());
        signOut();

        // then
        assertThat(promoteButtons).as("an analyst is offered no promote button").isEqualTo("0");
        assertThat(status).isEqualTo("403");
        assertThat(refused)
                .contains("An analyst cannot change the model registry")
                .contains("ana-browser");
        try (ModelRegistry registry = registry()) {
            assertThat(registry.view().champion().map(m -> m.getVersion()))
                    .as("the model was not promoted")
                    .isNotEqualTo(java.util.Optional.of(version));
        }
    }

    /** Registers a candidate model (constant score); returns its version. */
    private static String registerModel(String name) throws Exception {
        try (ModelRegistry registry = registry()) {
            return registry.register(
                            TinyModels.amountModel(name, 0.0, FeatureCatalogue.standard().hash()),
                            "person:admin",
                            "constant score")
                    .getVersion();
        }
    }

    private static ModelRegistry registry() throws Exception {
        return new ModelRegistry(
                platform.kafkaConnection(),
                Topics.create(SchemaRegistries.connect(platform.schemaRegistryUrl()), 3),
                FeatureCatalogue.standard(),
                ReleaseKeysOf.signer(dataDir),
                ReleaseKeysOf.trusted(dataDir));
    }

    private record CliRun(int exit, String out) {}

    /** Runs {@code bin/fraud} in this JVM against the test platform's database and broker. */
    private static CliRun cli(String... args) {
        var out = new java.io.StringWriter();
        picocli.CommandLine cli = org.fraudplatform.platform.cli.FraudCommand.commandLine(Map.of());
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(out, true));
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(TestPeople.databaseOptions(platform));
        all.addAll(
                List.of(
                        "--bootstrap-servers",
                        platform.bootstrapServers(),
                        "--schema-registry-url",
                        platform.schemaRegistryUrl()));
        return new CliRun(cli.execute(all.toArray(String[]::new)), out.toString());
    }

    /** Signs out whoever is signed in. */
    private static void signOut() throws Exception {
        browser.open(base + "/console");
        browser.waitFor("document.readyState === 'complete'");
        if (browser.eval("location.pathname").equals("/console/login")) {
            return;
        }
        browser.click("form[action='/console/logout'] button");
        browser.waitFor("location.pathname === '/console/login'");
    }

    /** A 25.00 EUR card payment from the IP, through the API; its reply. */
    private static com.fasterxml.jackson.databind.JsonNode pay(String ip) throws Exception {
        String key = Files.readString(dataDir.resolve(Platform.DEMO_KEY_FILE)).trim();
        String body =
                """
                {"amount": 2500, "currency": "EUR",
                 "payment_method": {"type": "card",
                   "card": {"number": "4000056655665556", "exp_month": 12, "exp_year": 2035, "cvc": "123"}},
                 "customer": {"id": "cus_blocked_ip", "ip": "%s", "country": "DE"},
                 "capture_method": "manual", "reference": "order-blocked-ip"}
                """
                        .formatted(ip);
        HttpResponse<String> r =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(base + "/v1/payments"))
                                        .header("Authorization", "Bearer " + key)
                                        .header("Idempotency-Key", UUID.randomUUID().toString())
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(body))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 402);
        return new ObjectMapper().readTree(r.body());
    }

    /** Registers two candidate models (constant scores); returns the first one's version. */
    private static String registerModels() throws Exception {
        String catalogue = FeatureCatalogue.standard().hash();
        try (ModelRegistry registry =
                new ModelRegistry(
                        platform.kafkaConnection(),
                        Topics.create(SchemaRegistries.connect(platform.schemaRegistryUrl()), 3),
                        FeatureCatalogue.standard(),
                        ReleaseKeysOf.signer(dataDir),
                        ReleaseKeysOf.trusted(dataDir))) {
            String first =
                    registry.register(
                                    TinyModels.amountModel("console-browser-a", 0.0, catalogue),
                                    "person:admin",
                                    "constant score")
                            .getVersion();
            registry.register(
                    TinyModels.amountModel("console-browser-b", 0.0001, catalogue),
                    "person:admin",
                    "almost constant");
            return first;
        }
    }

    /** How many visible fields of the page have no label. */
    static final String UNLABELLED =
            "Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))"
                    + ".filter(e => !e.labels || e.labels.length === 0).length";

    /** Signs in as the administrator unless the browser's session still holds. */
    private static void signIn() throws Exception {
        browser.open(base + "/console");
        browser.waitFor("document.readyState === 'complete'");
        if (!browser.eval("location.pathname").equals("/console/login")) {
            return;
        }
        String password = Files.readString(dataDir.resolve(PaymentApi.ADMIN_PASSWORD_FILE)).trim();
        browser.type("#name", "admin");
        browser.type("#password", password);
        browser.click("button[type=submit]");
        browser.waitFor(
                "location.pathname === '/console' && document.readyState === 'complete'"
                        + " && document.querySelector('h1') !== null");
    }

    private static String reviewPayment() throws Exception {
        String key = Files.readString(dataDir.resolve(Platform.DEMO_KEY_FILE)).trim();
        // 10 000.00 EUR in one payment: the packaged rules send it to review
        String body =
                """
                {"amount": 1000000, "currency": "EUR",
                 "payment_method": {"type": "card",
                   "card": {"number": "5555555555554444", "exp_month": 12, "exp_year": 2035, "cvc": "123"}},
                 "customer": {"id": "cus_browser", "email": "b@example.com", "ip": "198.51.100.9", "country": "DE"},
                 "capture_method": "manual", "reference": "order-browser"}
                """;
        HttpResponse<String> r =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(base + "/v1/payments"))
                                        .header("Authorization", "Bearer " + key)
                                        .header("Idempotency-Key", UUID.randomUUID().toString())
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(body))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return new ObjectMapper().readTree(r.body()).get("id").asText();
    }
}
