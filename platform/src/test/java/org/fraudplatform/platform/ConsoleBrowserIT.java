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
import java.util.UUID;
import org.fraudplatform.api.PaymentApi;
import org.fraudplatform.features.FeatureCatalogue;
import org.fraudplatform.platform.models.TinyModels;
import org.fraudplatform.platform.testing.HeadlessChromium;
import org.fraudplatform.platform.testing.ReleaseKeysOf;
import org.fraudplatform.platform.testing.SettlementExceptions;
import org.fraudplatform.risk.models.ModelRegistry;
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
 * Content-Security-Policy in force. Screenshots of the queue and the case are kept in {@code
 * target/console-*.png}. Without a Chromium on the machine the test is skipped, saying so.
 */
class ConsoleBrowserIT {

    @TempDir static Path dataDir;
    @TempDir static Path browserDir;
    static Platform platform;
    static HeadlessChromium browser;
    static String base;

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
        Files.write(Path.of("target/console-search.png"), browser.screenshot());
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

        String item =
                SettlementExceptions.amountMismatch(
                        platform,
                        Files.readString(dataDir.resolve(Platform.DEMO_KEY_FILE)).trim(),
                        dataDir);
        browser.open(base + "/console/reconciliation");
        // an exception once both sides are in: the ledger's capture and the provider's row
        for (int i = 0;
                i < 300
                        && !browser.eval("document.querySelector('#note-1') !== null")
                                .equals("true");
                i++) {
            Thread.sleep(100);
            browser.open(base + "/console/reconciliation");
        }
        String unlabelled = browser.eval(UNLABELLED);
        browser.type("#note-1", "provider rounded up; confirmed with them");
        browser.click("form[action='/console/reconciliation/resolve'] button");
        browser.waitFor("location.search.includes('resolving=')");
        for (int i = 0; i < 300 && !browser.text().contains("confirmed with them"); i++) {
            Thread.sleep(100);
            browser.open(base + "/console/reconciliation");
        }
        String reconciliation = browser.text();
        Files.write(Path.of("target/console-reconciliation.png"), browser.screenshot());
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
        assertThat(reconciliation)
                .contains(item)
                .contains("provider rounded up; confirmed with them")
                .contains("person:admin");
        assertThat(unlabelled).as("every field has a label").isEqualTo("0");
        assertThat(unlabelledOnCase).as("every field of the case page has a label").isEqualTo("0");
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
