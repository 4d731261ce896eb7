package org.fraudplatform.platform.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.fraudplatform.platform.Platform;
import org.fraudplatform.platform.TestSettings;
import org.fraudplatform.providers.adyen.FakeAdyen;
import org.fraudplatform.providers.connectors.ProviderConfig;
import org.fraudplatform.providers.connectors.SettlementFetch;
import org.fraudplatform.runtime.TopicIo;
import org.fraudplatform.schemas.ReconciliationCategory;
import org.fraudplatform.schemas.ReconciliationItem;
import org.fraudplatform.schemas.serde.SchemaRegistries;
import org.fraudplatform.schemas.topics.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The next morning's settlement of a merchant on the Adyen connector (against the local Adyen):
 * payments captured and refunded through the API, Adyen's batch closed and its report announced
 * through {@code POST /v1/provider-webhooks/adyen}, the day fetched by the platform's own fetch
 * (called directly instead of at its time) into the settlement inbox, and every movement matched
 * with no exception; fetching the day again imports nothing twice.
 */
class AdyenSettlementPlatformIT {

    private static final String VISA = "4111111145551142";

    @TempDir Path dataDir;
    @TempDir Path secrets;
    Platform platform;
    FakeAdyen adyen;
    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void stop() {
        if (platform != null) {
            platform.close();
        }
        if (adyen != null) {
            adyen.close();
        }
    }

    @Test
    void aDayOfPaymentsThroughAdyenIsFetchedAndReconcilesWithNoException() throws Exception {
        // given a platform whose EUR cards go to Adyen, its reports fetched as the report user
        adyen = new FakeAdyen();
        Files.writeString(secrets.resolve("adyen-key"), FakeAdyen.API_KEY);
        Files.writeString(secrets.resolve("adyen-hmac"), FakeAdyen.HMAC_KEY);
        Files.writeString(secrets.resolve("adyen-report"), FakeAdyen.REPORT_PASSWORD);
        Path file = secrets.resolve("providers.conf");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "provider.adyen.type = adyen",
                        "provider.adyen.base-uri = " + adyen.uri(),
                        "provider.adyen.api-key = file:" + secrets.resolve("adyen-key"),
                        "provider.adyen.merchant-account = " + FakeAdyen.MERCHANT,
                        "provider.adyen.hmac-key = file:" + secrets.resolve("adyen-hmac"),
                        "provider.adyen.report-uri = " + adyen.reports(),
                        "provider.adyen.report-user = " + FakeAdyen.REPORT_USER,
                        "provider.adyen.report-password = file:" + secrets.resolve("adyen-report"),
                        "route = card EUR -> adyen",
                        "route = * * -> simulated-a, simulated-b"));
        platform =
                Platform.start(
                        TestSettings.embedded(dataDir, Duration.ofSeconds(5))
                                .withProviders(ProviderConfig.read(file)),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        LocalDate today = LocalDate.now(ZoneOffset.UTC);

        // when two payments are captured at Adyen, one partly refunded
        String first = pay("order-1", 4_200);
        String second = pay("order-2", 1_999);
        awaitPayment(first, p -> p.path("amount_captured").asLong() == 4_200);
        awaitPayment(second, p -> p.path("amount_captured").asLong() == 1_999);
        HttpResponse<String> refund =
                post("/v1/payments/" + first + "/refunds", "refund-1", "{\"amount\": 1000}");
        assertThat(refund.statusCode()).as(refund.body()).isEqualTo(201);
        await(
                "Adyen holds both captures and the refund",
                () ->
                        adyen.payments().stream().mapToLong(p -> p.path("captured").asLong()).sum()
                                        == 4_200 + 1_999
                                && adyen.payments().stream()
                                                .mapToLong(p -> p.path("refunded").asLong())
                                                .sum()
                                        == 1_000);
        // and Adyen closes the batch and announces its report to the platform
        adyen.closeBatch();
        ObjectNode announcement = adyen.notifications("REPORT_AVAILABLE").get(0);
        HttpResponse<String> delivered =
                http.send(
                        HttpRequest.newBuilder(uri("/v1/provider-webhooks/adyen"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(announcement.toString()))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        // and the day is fetched
        SettlementFetch fetch = platform.api().settlementFetch().orElseThrow();
        Map<String, String> failed = fetch.fetch(today);

        // then the fetched report is imported and every movement of the day matches
        assertThat(delivered.statusCode()).isEqualTo(200);
        assertThat(delivered.body()).isEqualTo("[accepted]");
        assertThat(failed).isEmpty();
        Path report = dataDir.resolve("settlements/inbox/adyen-" + today + ".csv");
        await("the inbox took the report", () -> !Files.exists(report));
        assertThat(dataDir.resolve("settlements/done/adyen-" + today + ".csv")).exists();
        Topics topics = Topics.create(SchemaRegistries.connect(platform.schemaRegistryUrl()), 3);
        Map<String, ReconciliationItem> items =
                awaitItems(
                        topics,
                        all ->
                                all.size() == 3
                                        && all.values().stream()
                                                .allMatch(
                                                        i ->
                                                                i.getCategory()
                                                                        == ReconciliationCategory
                                                                                .MATCHED));
        assertThat(items.keySet())
                .allMatch(id -> id.startsWith(first + "/") || id.startsWith(second + "/"));
        assertThat(items.values())
                .extracting(ReconciliationItem::getSettledAmount)
                .containsExactlyInAnyOrder(4_200L, 1_999L, 1_000L);

        // and fetching the day again imports nothing twice
        int records =
                TopicIo.readAll(platform.kafkaConnection(), topics.settlementRecords()).size();
        assertThat(fetch.fetch(today)).isEmpty();
        await("the inbox took the report again", () -> !Files.exists(report));
        assertThat(TopicIo.readAll(platform.kafkaConnection(), topics.settlementRecords()))
                .hasSize(records);
        assertThat(latest(topics).values())
                .extracting(ReconciliationItem::getCategory)
                .containsOnly(ReconciliationCategory.MATCHED);
        assertThat(adyen.downloads("settlement_detail_report_batch_1.csv")).isEqualTo(2);

        // and the same report brought in by hand (downloaded from Adyen) is the same import
        Path downloaded = secrets.resolve("settlement_detail_report_batch_1.csv");
        Files.writeString(downloaded, adyen.report("settlement_detail_report_batch_1.csv"));
        java.io.StringWriter printed = new java.io.StringWriter();
        picocli.CommandLine cli = org.fraudplatform.platform.cli.FraudCommand.commandLine(Map.of());
        cli.setOut(new java.io.PrintWriter(printed, true));
        cli.setErr(new java.io.PrintWriter(printed, true));
        java.util.List<String> args =
                new java.util.ArrayList<>(
                        java.util.List.of(
                                "reconcile",
                                "import-adyen",
                                downloaded.toString(),
                                "--provider",
                                "adyen",
                                "--merchant-account",
                                FakeAdyen.MERCHANT,
                                "--date",
                                today.toString(),
                                "--token",
                                Files.readString(
                                                dataDir.resolve(
                                                        org.fraudplatform.api.PaymentApi
                                                                .ADMIN_TOKEN_FILE))
                                        .trim(),
                                "--bootstrap-servers",
                                platform.bootstrapServers(),
                                "--schema-registry-url",
                                platform.schemaRegistryUrl()));
        args.addAll(org.fraudplatform.platform.TestPeople.databaseOptions(platform));
        int code = cli.execute(args.toArray(String[]::new));
        assertThat(code).as(printed.toString()).isZero();
        assertThat(printed.toString()).contains("already imported");
        assertThat(TopicIo.readAll(platform.kafkaConnection(), topics.settlementRecords()))
                .hasSize(records);

        // and the fetch shows in the metrics the alerts query, by provider
        String metrics =
                http.send(
                                HttpRequest.newBuilder(uri("/metrics")).build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
        assertThat(metrics)
                .contains("settlement_days_missing{provider=\"adyen\"} 0.0")
                .contains("settlement_fetch_failures_total{provider=\"adyen\"} 0.0");
    }

    private String pay(String key, long amount) throws Exception {
        HttpResponse<String> r =
                post(
                        "/v1/payments",
                        key,
                        """
                        {"amount": %d, "currency": "EUR",
                         "payment_method": {"type": "card",
                           "card": {"number": "%s", "exp_month": 3, "exp_year": 2030, "cvc": "737"}},
                         "customer": {"id": "cus_adyen"}, "capture_method": "automatic"}
                        """
                                .formatted(amount, VISA));
        assertThat(r.statusCode()).as(r.body()).isIn(200, 201, 202);
        return json.readTree(r.body()).get("id").asText();
    }

    private HttpResponse<String> post(String path, String key, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(uri(path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + merchantKey())
                        .header("Idempotency-Key", key)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode awaitPayment(String id, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r =
                    http.send(
                            HttpRequest.newBuilder(uri("/v1/payments/" + id))
                                    .header("Authorization", "Bearer " + merchantKey())
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            last = json.readTree(r.body());
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("payment " + id + " never got there: " + last);
    }

    private Map<String, ReconciliationItem> latest(Topics topics) {
        Map<String, ReconciliationItem> m = new LinkedHashMap<>();
        for (var r : TopicIo.readAll(platform.kafkaConnection(), topics.reconciliationItems())) {
            if (r.value() != null) {
                m.put(r.key(), r.value());
            }
        }
        return m;
    }

    private Map<String, ReconciliationItem> awaitItems(
            Topics topics, Predicate<Map<String, ReconciliationItem>> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Map<String, ReconciliationItem> m = Map.of();
        while (System.nanoTime() < deadline) {
            m = latest(topics);
            if (done.test(m)) {
                return m;
            }
            Thread.sleep(250);
        }
        Map<String, String> seen = new LinkedHashMap<>();
        m.forEach((k, v) -> seen.put(k, v.getStatus() + "/" + v.getCategory()));
        throw new AssertionError("reconciliation did not get there; items: " + seen);
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (done.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(what + ": never happened");
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + platform.apiPort() + path);
    }

    private String merchantKey() throws Exception {
        return Files.readString(dataDir.resolve(Platform.DEMO_KEY_FILE)).trim();
    }
}
