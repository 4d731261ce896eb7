package org.fraudplatform.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fraudplatform.api.PaymentApi;
import org.fraudplatform.api.openapi.OpenApiContract;
import org.fraudplatform.platform.testing.ApiCalls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI description against real traffic: a whole platform, a merchant's day (payments by
 * card, bank transfer and wallet, captures, refunds, a void, a fraud report, searches, events,
 * reviews, balances, reconciliation, webhooks), an administrator's (lists, provider notices, the
 * audit trail, merchants, keys, people) and the refusals a client meets; every request and every
 * reply is checked against {@code openapi.json}, and every mismatch is listed.
 */
class OpenApiContractIT {

    static final String VISA = ApiCalls.freshVisa();
    static final String MASTERCARD = ApiCalls.freshMastercard();
    static final String IBAN = ApiCalls.freshIban();

    // a platform of its own: it runs an Adyen connector beside the simulated providers
    @TempDir static Path dataDir;
    @TempDir static Path secrets;
    static org.fraudplatform.providers.adyen.FakeAdyen adyen;
    static Platform platform;
    static String merchantKey;
    static String adminToken;
    static URI base;
    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper json = new ObjectMapper();
    static final OpenApiContract contract = OpenApiContract.packaged();

    /** Every mismatch between the traffic and the document. */
    final List<String> mismatches = new ArrayList<>();

    /** Requests sent, to show how much traffic the document was checked against. */
    int exchanges;

    @BeforeAll
    static void startPlatform() throws Exception {
        // an Adyen connector beside the simulated providers, which keep every payment: its
        // webhook route and its settlement fetch on /health are described too
        adyen = new org.fraudplatform.providers.adyen.FakeAdyen();
        Files.writeString(
                secrets.resolve("adyen-key"), org.fraudplatform.providers.adyen.FakeAdyen.API_KEY);
        Files.writeString(
                secrets.resolve("adyen-hmac"),
                org.fraudplatform.providers.adyen.FakeAdyen.HMAC_KEY);
        Files.writeString(
                secrets.resolve("adyen-report"),
                org.fraudplatform.providers.adyen.FakeAdyen.REPORT_PASSWORD);
        Path providers = secrets.resolve("providers.conf");
        Files.writeString(
                providers,
                String.join(
                        "\n",
                        "provider.adyen.type = adyen",
                        "provider.adyen.base-uri = " + adyen.uri(),
                        "provider.adyen.api-key = file:" + secrets.resolve("adyen-key"),
                        "provider.adyen.merchant-account = "
                                + org.fraudplatform.providers.adyen.FakeAdyen.MERCHANT,
                        "provider.adyen.hmac-key = file:" + secrets.resolve("adyen-hmac"),
                        "provider.adyen.report-uri = " + adyen.reports(),
                        "provider.adyen.report-user = "
                                + org.fraudplatform.providers.adyen.FakeAdyen.REPORT_USER,
                        "provider.adyen.report-password = file:" + secrets.resolve("adyen-report"),
                        "route = * * -> simulated-a, simulated-b"));
        platform =
                Platform.start(
                        TestSettings.embedded(dataDir)
                                .withProviders(
                                        org.fraudplatform.providers.connectors.ProviderConfig.read(
                                                providers)),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        merchantKey = Files.readString(dataDir.resolve(Platform.DEMO_KEY_FILE)).trim();
        adminToken = Files.readString(dataDir.resolve(PaymentApi.ADMIN_TOKEN_FILE)).trim();
        base = URI.create("http://127.0.0.1:" + platform.apiPort());
    }

    @AfterAll
    static void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
        if (adyen != null) {
            adyen.close();
        }
    }

    @Test
    void everyRequestAndReplyOfAMerchantsAndAnAdministratorsDayMatchesTheDescription()
            throws Exception {
        // unauthenticated routes
        assertThat(call(null, "GET", "/health", null, null).statusCode()).isIn(200, 503);
        HttpResponse<String> served = call(null, "GET", "/openapi.json", null, null);
        assertThat(json.readTree(served.body())).isEqualTo(contract.document());

        // authorizations: card (manual and automatic capture), bank transfer, wallet
        JsonNode manual = pay("contract-manual", card(VISA, "manual", 2500));
        assertThat(manual.path("status").asText()).isEqualTo("authorized");
        assertThat(manual.path("risk").path("reasons").isArray()).isTrue();
        JsonNode automatic = pay("contract-auto", card(MASTERCARD, "automatic", 1800));
        JsonNode bank =
                pay(
                        "contract-bank",
                        """
                        {"amount": 4200, "currency": "eur",
                         "payment_method": {"type": "bank_transfer",
                           "bank_transfer": {"iban": "%s"}},
                         "customer": {"id": "cus_contract_bank", "country": "DE"},
                         "reference": "invoice-77"}
                        """
                                .formatted(IBAN));
        assertThat(bank.path("payment_method").path("type").asText()).isEqualTo("bank_transfer");
        JsonNode wallet =
                pay(
                        "contract-wallet",
                        """
                        {"amount": 990, "currency": "EUR",
                         "payment_method": {"type": "wallet",
                           "wallet": {"provider": "apple_pay", "token": "tok_apple_contract"}},
                         "customer": {"id": "cus_contract_wallet", "ip": "198.51.100.77",
                           "locale": "de-DE"},
                         "channel": "in_app"}
                        """);
        assertThat(wallet.path("payment_method").path("type").asText()).isEqualTo("wallet");
        JsonNode toVoid = pay("contract-void", card("4000000000000077", "manual", 700));

        // the lifecycle
        String id = manual.path("id").asText();
        HttpResponse<String> capture =
                command("POST", "/v1/payments/" + id + "/capture", "cap-c1", "{\"amount\": 1500}");
        assertThat(capture.statusCode()).isEqualTo(200);
        HttpResponse<String> refund =
                command("POST", "/v1/payments/" + id + "/refunds", "ref-c1", "{\"amount\": 500}");
        assertThat(refund.statusCode()).isEqualTo(201);
        HttpResponse<String> replay =
                command("POST", "/v1/payments/" + id + "/refunds", "ref-c1", "{\"amount\": 500}");
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(
                        command(
                                        "POST",
                                        "/v1/payments/" + toVoid.path("id").asText() + "/void",
                                        "void-c1",
                                        "")
                                .statusCode())
                .isEqualTo(200);
        String auto = automatic.path("id").asText();
        assertThat(
                        command(
                                        "POST",
                                        "/v1/payments/" + auto + "/fraud_reports",
                                        "fr-c1",
                                        "{\"reason\": \"customer_disputed\"}")
                                .statusCode())
                .isEqualTo(200);
        assertThat(platform.api().awaitHistory(Duration.ofSeconds(20))).isTrue();

        // reads
        assertThat(call(merchantKey, "GET", "/v1/payments/" + id, null, null).statusCode())
                .isEqualTo(200);
        JsonNode page =
                json.readTree(call(merchantKey, "GET", "/v1/payments?limit=2", null, null).body());
        assertThat(page.path("data")).hasSize(2);
        if (page.has("next_cursor")) {
            call(
                    merchantKey,
                    "GET",
                    "/v1/payments?limit=2&cursor=" + page.path("next_cursor").asText(),
                    null,
                    null);
        }
        call(merchantKey, "GET", "/v1/payments?customer=cus_contract_bank", null, null);
        call(merchantKey, "GET", "/v1/payments?status=partially_refunded", null, null);
        call(
                merchantKey,
                "GET",
                "/v1/payments?card="
                        + manual.path("payment_method").path("card").path("fingerprint").asText()
                        + "&from=2020-01-01T00:00:00Z",
                null,
                null);
        for (String kind : List.of("events", "captures", "refunds", "chargebacks")) {
            assertThat(
                            call(merchantKey, "GET", "/v1/payments/" + id + "/" + kind, null, null)
                                    .statusCode())
                    .isEqualTo(200);
        }
        assertThat(call(merchantKey, "GET", "/v1/reviews?limit=10", null, null).statusCode())
                .isEqualTo(200);
        assertThat(call(merchantKey, "GET", "/v1/balances", null, null).statusCode())
                .isEqualTo(200);
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        assertThat(
                        call(merchantKey, "GET", "/v1/reconciliation?date=" + today, null, null)
                                .statusCode())
                .isEqualTo(200);

        // webhooks (an address literal: nothing is resolved)
        HttpResponse<String> endpoint =
                call(
                        merchantKey,
                        "POST",
                        "/v1/webhook_endpoints",
                        null,
                        "{\"url\": \"https://198.51.100.20/hooks\","
                                + " \"events\": [\"payment.captured\", \"payment.refunded\"]}");
        assertThat(endpoint.statusCode()).isEqualTo(201);
        assertThat(call(merchantKey, "GET", "/v1/webhook_endpoints", null, null).statusCode())
                .isEqualTo(200);
        call(merchantKey, "GET", "/v1/webhook_deliveries?status=failed&limit=5", null, null);
        call(
                merchantKey,
                "DELETE",
                "/v1/webhook_endpoints/" + json.readTree(endpoint.body()).path("id").asText(),
                null,
                null);

        // an administrator's day
        assertThat(
                        call(
                                        adminToken,
                                        "POST",
                                        "/v1/lists/blocked_ips",
                                        null,
                                        "{\"value\": \"192.0.2.66\", \"note\": \"card testing\","
                                                + " \"expires_in_days\": 30}")
                                .statusCode())
                .isEqualTo(201);
        assertThat(call(adminToken, "GET", "/v1/lists", null, null).statusCode()).isEqualTo(200);
        call(adminToken, "DELETE", "/v1/lists/blocked_ips/192.0.2.66", null, null);
        assertThat(
                        call(
                                        adminToken,
                                        "POST",
                                        "/v1/provider-notifications",
                                        null,
                                        ("{\"type\": \"chargeback.opened\", \"payment_id\": \"%s\","
                                                        + " \"chargeback_id\": \"cb_contract_1\","
                                                        + " \"amount\": 1800, \"reason_code\":"
                                                        + " \"10.4\", \"provider\": \"simulated-a\"}")
                                                .formatted(auto))
                                .statusCode())
                .isEqualTo(200);
        call(merchantKey, "GET", "/v1/payments/" + auto + "/chargebacks", null, null);
        // a provider's own webhook: signed, forged, to a provider not configured
        adyen.publishReport("settlement_detail_report_batch_1.csv", "");
        String announcement = adyen.notifications("REPORT_AVAILABLE").get(0).toString();
        assertThat(call(null, "POST", "/v1/provider-webhooks/adyen", null, announcement).body())
                .isEqualTo("[accepted]");
        assertThat(
                        call(
                                        null,
                                        "POST",
                                        "/v1/provider-webhooks/adyen",
                                        null,
                                        announcement.replace("REPORT_AVAILABLE", "CHARGEBACK"))
                                .statusCode())
                .isEqualTo(400);
        assertThat(call(null, "POST", "/v1/provider-webhooks/paypal", null, "{}").statusCode())
                .isEqualTo(404);
        JsonNode health = json.readTree(call(null, "GET", "/health", null, null).body());
        assertThat(health.at("/settlement_fetch/adyen/state").asText())
                .isIn("fetched", "waiting", "retrying");
        call(adminToken, "GET", "/v1/reconciliation?date=" + today, null, null);
        assertThat(call(adminToken, "GET", "/v1/audit?limit=5", null, null).statusCode())
                .isEqualTo(200);
        HttpResponse<String> merchant =
                call(
                        adminToken,
                        "POST",
                        "/v1/admin/merchants",
                        null,
                        "{\"name\": \"Contract Shop\", \"id\": \"contract_shop\"}");
        assertThat(merchant.statusCode()).isEqualTo(201);
        HttpResponse<String> readOnly =
                call(
                        adminToken,
                        "POST",
                        "/v1/admin/merchants/contract_shop/keys",
                        null,
                        "{\"scopes\": [\"payments:read\"], \"rate_limit\": 50, \"name\": \"reports\"}");
        assertThat(readOnly.statusCode()).isEqualTo(201);
        String readOnlyKey = json.readTree(readOnly.body()).path("secret").asText();
        call(adminToken, "GET", "/v1/admin/merchants/contract_shop/keys", null, null);
        HttpResponse<String> analyst =
                call(
                        adminToken,
                        "POST",
                        "/v1/admin/people",
                        null,
                        "{\"name\": \"contract-analyst\", \"role\": \"analyst\"}");
        assertThat(analyst.statusCode()).isEqualTo(201);
        String analystToken = json.readTree(analyst.body()).path("token").path("token").asText();
        call(adminToken, "GET", "/v1/admin/people", null, null);

        // refusals
        assertThat(call(null, "GET", "/v1/payments", null, null).statusCode()).isEqualTo(401);
        assertThat(call("sk_live_unknown", "GET", "/v1/balances", null, null).statusCode())
                .isEqualTo(401);
        assertThat(
                        call(
                                        readOnlyKey,
                                        "POST",
                                        "/v1/payments",
                                        Map.of("Idempotency-Key", "ro-1"),
                                        card(VISA, "automatic", 100))
                                .statusCode())
                .isEqualTo(403);
        assertThat(call(analystToken, "GET", "/v1/audit", null, null).statusCode()).isEqualTo(403);
        assertThat(call(merchantKey, "GET", "/v1/payments/pay_missing", null, null).statusCode())
                .isEqualTo(404);
        HttpResponse<String> badCard =
                call(
                        merchantKey,
                        "POST",
                        "/v1/payments",
                        Map.of("Idempotency-Key", "contract-bad-card"),
                        card("4242424242424241", "automatic", 100));
        assertThat(badCard.statusCode()).isEqualTo(400);
        assertThat(json.readTree(badCard.body()).path("errors").get(0).path("field").asText())
                .isEqualTo("payment_method.card.number");
        HttpResponse<String> conflict =
                call(
                        merchantKey,
                        "POST",
                        "/v1/payments",
                        Map.of("Idempotency-Key", "contract-manual"),
                        card(VISA, "manual", 9999));
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(command("POST", "/v1/payments/" + auto + "/void", "void-c2", "").statusCode())
                .isEqualTo(422);
        assertThat(
                        call(
                                        adminToken,
                                        "POST",
                                        "/v1/reconciliation/resolutions",
                                        null,
                                        "{\"item_id\": \"pay_missing/cap_1\", \"note\": \"none\"}")
                                .statusCode())
                .isEqualTo(404);
        // requests the document itself calls invalid: the server refuses them too
        assertThat(
                        callInvalid(
                                        merchantKey,
                                        "POST",
                                        "/v1/payments",
                                        Map.of(),
                                        card(VISA, "automatic", 100))
                                .statusCode())
                .isEqualTo(400);
        assertThat(
                        callInvalid(
                                        merchantKey,
                                        "POST",
                                        "/v1/payments",
                                        Map.of("Idempotency-Key", "contract-unknown-field"),
                                        "{\"ammount\": 100, \"currency\": \"EUR\"}")
                                .statusCode())
                .isEqualTo(400);
        assertThat(
                        callInvalid(
                                        merchantKey,
                                        "POST",
                                        "/v1/webhook_endpoints",
                                        null,
                                        "{\"events\": []}")
                                .statusCode())
                .isEqualTo(400);

        assertThat(exchanges).isGreaterThan(40);
        assertThat(mismatches).as("mismatches with openapi.json").isEmpty();
    }

    private JsonNode pay(String idempotencyKey, String body) throws Exception {
        HttpResponse<String> reply =
                call(
                        merchantKey,
                        "POST",
                        "/v1/payments",
                        Map.of("Idempotency-Key", idempotencyKey),
                        body);
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(201);
        return json.readTree(reply.body());
    }

    private HttpResponse<String> command(String method, String path, String key, String body)
            throws Exception {
        return call(merchantKey, method, path, Map.of("Idempotency-Key", key), body);
    }

    private static String card(String number, String capture, long amount) {
        return """
                {"amount": %d, "currency": "EUR",
                 "payment_method": {"type": "card",
                   "card": {"number": "%s", "exp_month": 12, "exp_year": 2035, "cvc": "123"}},
                 "customer": {"id": "cus_%s", "email": "holder-%s@example.com",
                   "ip": "203.0.113.%d", "country": "DE"},
                 "capture_method": "%s", "reference": "order-contract"}
                """
                .formatted(
                        amount,
                        number,
                        // one cardholder per card: the card-testing rules watch a customer paying
                        // with many cards
                        number.substring(12),
                        number.substring(12),
                        Integer.parseInt(number.substring(12)) % 250 + 1,
                        capture);
    }

    /** A request the document describes; its reply is checked, and so is the request. */
    private HttpResponse<String> call(
            String credential, String method, String path, Map<String, String> headers, String body)
            throws Exception {
        return exchange(credential, method, path, headers, body, false);
    }

    /** A request the document calls invalid: the contract must say so; its reply is checked. */
    private HttpResponse<String> callInvalid(
            String credential, String method, String path, Map<String, String> headers, String body)
            throws Exception {
        return exchange(credential, method, path, headers, body, true);
    }

    private HttpResponse<String> exchange(
            String credential,
            String method,
            String path,
            Map<String, String> extra,
            String body,
            boolean invalid)
            throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        if (credential != null) {
            headers.put("Authorization", "Bearer " + credential);
        }
        if (body != null) {
            headers.put("Content-Type", "application/json");
        }
        if (extra != null) {
            headers.putAll(extra);
        }
        List<String> requestProblems = contract.checkRequest(method, path, headers, body);
        if (invalid) {
            assertThat(requestProblems).as(method + " " + path + " is invalid").isNotEmpty();
        } else {
            mismatches.addAll(requestProblems);
        }
        HttpRequest.Builder request =
                HttpRequest.newBuilder(base.resolve(path))
                        .timeout(Duration.ofSeconds(30))
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        HttpResponse<String> reply =
                http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        exchanges++;
        Map<String, String> replyHeaders = new LinkedHashMap<>();
        reply.headers().map().forEach((k, v) -> replyHeaders.put(k, v.get(0)));
        mismatches.addAll(
                contract.checkResponse(
                        method,
                        path,
                        reply.statusCode(),
                        replyHeaders,
                        reply.headers().firstValue("Content-Type").orElse(null),
                        reply.body()));
        return reply;
    }
}
