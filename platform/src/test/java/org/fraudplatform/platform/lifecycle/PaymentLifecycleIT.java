package org.fraudplatform.platform.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.fraudplatform.platform.Platform;
import org.fraudplatform.platform.testing.ApiCalls;
import org.fraudplatform.platform.testing.SharedPlatform;
import org.fraudplatform.platform.testing.TopicReader;
import org.fraudplatform.schemas.AuditEvent;
import org.fraudplatform.schemas.Label;
import org.fraudplatform.schemas.PaymentEvent;
import org.fraudplatform.schemas.serde.SchemaRegistries;
import org.fraudplatform.schemas.topics.Topics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The payment lifecycle through the running platform: HTTP commands, the exactly-once ledger
 * topology on the embedded broker, the history projection in the embedded PostgreSQL.
 */
@Execution(value = ExecutionMode.SAME_THREAD, reason = SharedPlatform.LANE)
class PaymentLifecycleIT {

    static final String MERCHANT = "lifecycle-shop";
    static final String GOOD_CARD = ApiCalls.freshVisa();
    static final String OTHER_CARD = ApiCalls.freshMastercard();
    static final String IBAN = ApiCalls.freshIban();

    @RegisterExtension static final SharedPlatform shared = new SharedPlatform();
    static Platform platform;
    static String merchantKey;
    static String otherMerchantKey;
    static URI base;
    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void startPlatform() throws Exception {
        platform = shared.platform();
        // a merchant of its own on the shared platform: its reviews and balances are this test's
        merchantKey = platform.api().createMerchantWithKey(MERCHANT, "Lifecycle shop");
        otherMerchantKey = platform.api().createMerchantWithKey("other-shop", "Other shop");
        base = shared.base();
    }

    @Test
    void capturesAndRefundsMoveMoneyOnlyWithinTheInvariantsAndReplayExactly() throws Exception {
        String id = authorize(GOOD_CARD, 100_00, "manual", "cus_life_1");

        HttpResponse<String> capture =
                command(merchantKey, id, "capture", "cap-1", "{\"amount\": 6000}");
        HttpResponse<String> replay =
                command(merchantKey, id, "capture", "cap-1", "{\"amount\": 6000}");
        HttpResponse<String> reused =
                command(merchantKey, id, "capture", "cap-1", "{\"amount\": 10}");
        HttpResponse<String> tooMuch =
                command(merchantKey, id, "capture", "cap-2", "{\"amount\": 5000}");
        HttpResponse<String> voidAfterCapture = command(merchantKey, id, "void", "void-1", "");

        assertThat(capture.statusCode()).isEqualTo(200);
        JsonNode captured = json.readTree(capture.body());
        assertThat(captured.get("status").asText()).isEqualTo("captured");
        assertThat(captured.get("amount_captured").asLong()).isEqualTo(6000);
        assertThat(captured.get("amount_capturable").asLong()).isEqualTo(4000);
        assertThat(replay.body()).as("the first reply, byte for byte").isEqualTo(capture.body());
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(reused.statusCode()).isEqualTo(409);
        assertThat(tooMuch.statusCode()).isEqualTo(422);
        assertThat(json.readTree(tooMuch.body()).get("invariant").asText())
                .isEqualTo("CAPTURE_EXCEEDS_AUTHORIZED");
        assertThat(json.readTree(voidAfterCapture.body()).get("invariant").asText())
                .isEqualTo("VOID_AFTER_CAPTURE");
        HttpResponse<String> tooMuchAgain =
                command(merchantKey, id, "capture", "cap-2", "{\"amount\": 5000}");
        assertThat(tooMuchAgain.body()).as("errors replay too").isEqualTo(tooMuch.body());

        HttpResponse<String> refund1 =
                command(merchantKey, id, "refunds", "ref-1", "{\"amount\": 2500}");
        HttpResponse<String> refund2 =
                command(merchantKey, id, "refunds", "ref-2", "{\"amount\": 2500}");
        HttpResponse<String> refund3 =
                command(merchantKey, id, "refunds", "ref-3", "{\"amount\": 1001}");
        assertThat(refund1.statusCode()).isEqualTo(201);
        assertThat(json.readTree(refund2.body()).get("amount_refunded").asLong()).isEqualTo(5000);
        assertThat(json.readTree(refund3.body()).get("invariant").asText())
                .isEqualTo("REFUND_EXCEEDS_CAPTURED");

        assertThat(platform.api().awaitHistory(Duration.ofSeconds(20))).isTrue();
        JsonNode payment = json.readTree(get(merchantKey, "/v1/payments/" + id).body());
        assertThat(payment.get("status").asText()).isEqualTo("partially_refunded");
        assertThat(payment.get("amount_captured").asLong()).isEqualTo(6000);
        assertThat(payment.get("amount_refunded").asLong()).isEqualTo(5000);
        assertThat(payment.get("risk").get("action").asText())
                .as("the authorization's verdict is still there")
                .isEqualTo("approve");
        assertThat(types(payment.get("events")))
                .containsExactly("authorized", "captured", "refunded", "refunded");
        JsonNode refunds =
                json.readTree(get(merchantKey, "/v1/payments/" + id + "/refunds").body());
        assertThat(refunds.get("data")).hasSize(2);

        List<PaymentEvent> ledger =
                TopicReader.read(
                        platform.bootstrapServers(),
                        topics().paymentEvents(),
                        e -> e.getPaymentId().equals(id),
                        5,
                        Duration.ofSeconds(20));
        assertThat(ledger)
                .as("payments.events holds the intent to authorize, then each movement once")
                .extracting(e -> e.getType().name())
                .containsExactly("AUTHORIZING", "AUTHORIZED", "CAPTURED", "REFUNDED", "REFUNDED");

        // the provider hears of each movement once, under the ledger's operation id
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<String> atProvider;
        do {
            atProvider = new ArrayList<>();
            for (var p : platform.api().providers()) {
                for (var entry : p.journal()) {
                    if (entry.paymentId().equals(id)) {
                        atProvider.add(entry.operation() + " " + entry.amount());
                    }
                }
            }
        } while (atProvider.size() < 4 && System.nanoTime() < deadline);
        assertThat(atProvider)
                .containsExactlyInAnyOrder(
                        "AUTHORIZE 10000", "CAPTURE 6000", "REFUND 2500", "REFUND 2500");
    }

    @Test
    void aMerchantNeverSeesOrTouchesAnotherMerchantsPayment() throws Exception {
        String id = authorize(GOOD_CARD, 30_00, "manual", "cus_life_2");
        awaitInHistory(id);

        assertThat(get(otherMerchantKey, "/v1/payments/" + id).statusCode()).isEqualTo(404);
        assertThat(get(otherMerchantKey, "/v1/payments/" + id + "/events").statusCode())
                .isEqualTo(404);
        assertThat(command(otherMerchantKey, id, "capture", "steal-1", "").statusCode())
                .isEqualTo(404);
        assertThat(
                        command(otherMerchantKey, id, "refunds", "steal-2", "{\"amount\": 1}")
                                .statusCode())
                .isEqualTo(404);
        JsonNode theirs = json.readTree(get(otherMerchantKey, "/v1/payments?limit=100").body());
        assertThat(theirs.get("data").findValuesAsText("id")).doesNotContain(id);

        JsonNode mine = json.readTree(get(merchantKey, "/v1/payments/" + id).body());
        assertThat(mine.get("amount_captured").asLong()).as("nothing moved").isZero();
    }

    @Test
    void aReviewHoldsTheCaptureUntilAnAnalystDecidesAndTheOutcomeBecomesALabel() throws Exception {
        // 10 000.00 EUR in one payment: the packaged rules send it to review
        String id = authorize(OTHER_CARD, 10_000_00, "automatic", "cus_life_3");
        JsonNode held = json.readTree(command(merchantKey, id, "capture", "cap-r", "").body());
        assertThat(held.get("invariant").asText()).isEqualTo("UNDER_REVIEW");

        awaitInHistory(id);
        JsonNode queue = json.readTree(get(merchantKey, "/v1/reviews").body());
        JsonNode item = null;
        for (JsonNode p : queue.get("data")) {
            if (p.get("id").asText().equals(id)) {
                item = p;
            }
        }
        assertThat(item).as("the payment waits in the review queue").isNotNull();
        assertThat(item.get("risk").get("reasons").findValuesAsText("code"))
                .contains("AMOUNT_VERY_LARGE");

        HttpResponse<String> rejected =
                post(
                        merchantKey,
                        "/v1/reviews/" + id + "/reject",
                        "rev-1",
                        "{\"reason\": \"card_holder_denies\", \"analyst\": \"ana@shop.example\"}");
        assertThat(rejected.statusCode()).isEqualTo(200);
        JsonNode after = json.readTree(rejected.body());
        assertThat(after.get("status").asText()).isEqualTo("voided");
        assertThat(after.get("amount_capturable").asLong()).isZero();

        List<Label> labels =
                TopicReader.read(
                        platform.bootstrapServers(),
                        topics().labels(),
                        l -> l.getPaymentId().equals(id),
                        1,
                        Duration.ofSeconds(20));
        assertThat(labels).singleElement().satisfies(l -> assertThat(l.getFraud()).isTrue());
        List<AuditEvent> audit =
                TopicReader.read(
                        platform.bootstrapServers(),
                        topics().audit(),
                        a -> a.getSubject().equals(id),
                        1,
                        Duration.ofSeconds(20));
        assertThat(audit)
                .extracting(AuditEvent::getActor, AuditEvent::getAction)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "merchant:" + MERCHANT + "/ana@shop.example", "review.reject"));
        assertThat(platform.api().awaitHistory(Duration.ofSeconds(20))).isTrue();
        JsonNode queueAfter = json.readTree(get(merchantKey, "/v1/reviews").body());
        assertThat(queueAfter.get("data").findValuesAsText("id")).doesNotContain(id);
    }

    @Test
    void historyIsSearchableByCardAndCustomerPageByPageAndBalancesAreItsSums() throws Exception {
        List<String> ids = new ArrayList<>();
        String card = ApiCalls.freshVisa();
        for (int i = 0; i < 5; i++) {
            ids.add(authorize(card, 10_00 + i, "automatic", "cus_history"));
        }
        ids.forEach(PaymentLifecycleIT::awaitInHistory);
        JsonNode first = json.readTree(get(merchantKey, "/v1/payments/" + ids.get(0)).body());
        String fingerprint = first.get("payment_method").get("card").get("fingerprint").asText();

        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page =
                    json.readTree(
                            get(
                                            merchantKey,
                                            "/v1/payments?card="
                                                    + fingerprint
                                                    + "&limit=2"
                                                    + (cursor == null ? "" : "&cursor=" + cursor))
                                    .body());
            page.get("data").forEach(p -> seen.add(p.get("id").asText()));
            cursor = page.get("has_more").asBoolean() ? page.get("next_cursor").asText() : null;
        } while (cursor != null);
        List<String> newestFirst = new ArrayList<>(ids);
        java.util.Collections.reverse(newestFirst);
        assertThat(seen)
                .as("newest first, no gaps, no repeats")
                .containsExactlyElementsOf(newestFirst);
        JsonNode byCustomer =
                json.readTree(get(merchantKey, "/v1/payments?customer=cus_history").body());
        assertThat(byCustomer.get("data")).hasSize(5);

        // the projection follows the ledger by milliseconds: once both are still, they agree
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        long[] balance;
        long[] ledger;
        do {
            JsonNode eur =
                    json.readTree(get(merchantKey, "/v1/balances").body()).get("data").get(0);
            assertThat(eur.get("currency").asText()).isEqualTo("EUR");
            balance = new long[] {eur.get("captured").asLong(), eur.get("refunded").asLong()};
            List<PaymentEvent> all =
                    TopicReader.read(
                            platform.bootstrapServers(),
                            topics().paymentEvents(),
                            e -> e.getMerchantId().equals(MERCHANT),
                            1,
                            Duration.ofSeconds(10));
            ledger =
                    new long[] {
                        // a settled transfer is captured money, a returned one refunded
                        all.stream()
                                .filter(e -> e.getType().name().matches("CAPTURED|SETTLED"))
                                .mapToLong(PaymentEvent::getAmount)
                                .sum(),
                        all.stream()
                                .filter(e -> e.getType().name().matches("REFUNDED|RETURNED"))
                                .mapToLong(PaymentEvent::getAmount)
                                .sum()
                    };
        } while (!java.util.Arrays.equals(balance, ledger) && System.nanoTime() < deadline);
        assertThat(balance)
                .as("captured and refunded balances are the sums of the ledger")
                .containsExactly(ledger);
    }

    @Test
    void concurrentCapturesOfOnePaymentNeverTakeMoreThanWasAuthorized() throws Exception {
        String id = authorize(GOOD_CARD, 100_00, "manual", "cus_life_4");
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> captures =
                new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            captures.add(
                    http.sendAsync(
                            request(
                                    merchantKey,
                                    "/v1/payments/" + id + "/capture",
                                    "concurrent-" + i,
                                    "{\"amount\": 3000}"),
                            HttpResponse.BodyHandlers.ofString()));
        }
        List<Integer> statuses = new ArrayList<>();
        for (var c : captures) {
            statuses.add(c.join().statusCode());
        }

        assertThat(statuses.stream().filter(s -> s == 200)).as("three fit in 100.00").hasSize(3);
        assertThat(statuses.stream().filter(s -> s == 422)).hasSize(7);
        awaitInHistory(id);
        JsonNode after =
                json.readTree(
                        command(merchantKey, id, "capture", "last-look", "{\"amount\": 1001}")
                                .body());
        assertThat(after.get("invariant").asText()).isEqualTo("CAPTURE_EXCEEDS_AUTHORIZED");
        assertThat(after.get("detail").asText()).contains("9000 captured of 10000");
    }

    @Test
    void providerChargebacksTakeCapturedMoneyAndAFraudCodeBecomesALabel() throws Exception {
        String id = authorize(GOOD_CARD, 50_00, "automatic", "cus_life_5");
        awaitInHistory(id);

        HttpResponse<String> opened =
                notice(
                        "{\"type\": \"chargeback.opened\", \"payment_id\": \"%s\", \"chargeback_id\": \"cb_1\", \"amount\": 5000, \"reason_code\": \"10.4\", \"provider\": \"simulated-a\"}"
                                .formatted(id));
        HttpResponse<String> again =
                notice(
                        "{\"type\": \"chargeback.opened\", \"payment_id\": \"%s\", \"chargeback_id\": \"cb_1\", \"amount\": 5000, \"reason_code\": \"10.4\", \"provider\": \"simulated-a\"}"
                                .formatted(id));
        HttpResponse<String> refund =
                command(merchantKey, id, "refunds", "ref-cb", "{\"amount\": 1}");
        HttpResponse<String> lost =
                notice(
                        "{\"type\": \"chargeback.lost\", \"payment_id\": \"%s\", \"chargeback_id\": \"cb_1\", \"provider\": \"simulated-a\"}"
                                .formatted(id));

        assertThat(opened.statusCode()).as(opened.body()).isEqualTo(200);
        assertThat(json.readTree(opened.body()).get("amount_charged_back").asLong())
                .isEqualTo(5000);
        assertThat(json.readTree(again.body()).get("events").size())
                .as("the same notice twice is one chargeback")
                .isEqualTo(json.readTree(opened.body()).get("events").size());
        assertThat(json.readTree(refund.body()).get("invariant").asText())
                .as("disputed money cannot also be refunded")
                .isEqualTo("REFUND_EXCEEDS_CAPTURED");
        assertThat(json.readTree(lost.body()).get("status").asText()).isEqualTo("charged_back");
        assertThat(
                        TopicReader.read(
                                platform.bootstrapServers(),
                                topics().labels(),
                                l -> l.getPaymentId().equals(id),
                                1,
                                Duration.ofSeconds(20)))
                .singleElement()
                .satisfies(l -> assertThat(l.getReasonCode()).isEqualTo("10.4"));
        assertThat(notice("{\"type\": \"chargeback.opened\", \"payment_id\": \"x\"}").statusCode())
                .isEqualTo(400);
    }

    @Test
    void aBankTransferStaysPendingUntilItSettlesAndCanComeBack() throws Exception {
        String body =
                """
                {"amount": 7500, "currency": "EUR",
                 "payment_method": {"type": "bank_transfer", "bank_transfer": {"iban": "%s"}},
                 "customer": {"id": "cus_transfer"}, "capture_method": "automatic"}
                """
                        .formatted(IBAN);
        HttpResponse<String> created =
                post(merchantKey, "/v1/payments", UUID.randomUUID().toString(), body);
        String id = json.readTree(created.body()).get("id").asText();
        assertThat(json.readTree(created.body()).get("status").asText()).isEqualTo("pending");
        awaitInHistory(id);

        HttpResponse<String> returnedEarly =
                notice(
                        "{\"type\": \"transfer.returned\", \"payment_id\": \"%s\", \"return_id\": \"r1\", \"amount\": 7500, \"provider\": \"simulated-b\"}"
                                .formatted(id));
        HttpResponse<String> settled =
                notice(
                        "{\"type\": \"transfer.settled\", \"payment_id\": \"%s\", \"provider\": \"simulated-b\"}"
                                .formatted(id));
        HttpResponse<String> returned =
                notice(
                        "{\"type\": \"transfer.returned\", \"payment_id\": \"%s\", \"return_id\": \"r1\", \"amount\": 7500, \"reason_code\": \"AC04\", \"provider\": \"simulated-b\"}"
                                .formatted(id));

        assertThat(json.readTree(returnedEarly.body()).get("invariant").asText())
                .isEqualTo("TRANSFER_NOT_PENDING");
        JsonNode s = json.readTree(settled.body());
        assertThat(s.get("status").asText()).isEqualTo("settled");
        assertThat(s.get("amount_captured").asLong()).isEqualTo(7500);
        JsonNode r = json.readTree(returned.body());
        assertThat(r.get("status").asText()).isEqualTo("returned");
        assertThat(r.get("amount_refunded").asLong()).isEqualTo(7500);
    }

    // ---- helpers ----

    static HttpResponse<String> notice(String body) throws IOException, InterruptedException {
        String operatorKey = shared.adminToken();
        return post(operatorKey, "/v1/provider-notifications", UUID.randomUUID().toString(), body);
    }

    static HttpRequest request(String key, String path, String idempotencyKey, String body) {
        return HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key)
                .header("Idempotency-Key", idempotencyKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    /**
     * Waits until the history shows the payment: the ledger folds an authorization a few
     * milliseconds after the API answered, and the projection follows the ledger.
     */
    static void awaitInHistory(String id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        try {
            while (System.nanoTime() < deadline) {
                JsonNode p = json.readTree(get(merchantKey, "/v1/payments/" + id).body());
                // the intent to authorize comes first (merchants do not see it); its outcome is
                // what the test waits for
                if (p.has("events") && !p.get("events").isEmpty()) {
                    return;
                }
                Thread.sleep(20);
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
        throw new AssertionError("payment " + id + " never reached the history");
    }

    static Topics topics() {
        return Topics.create(SchemaRegistries.connect(platform.schemaRegistryUrl()), 3);
    }

    static List<String> types(JsonNode events) {
        List<String> out = new ArrayList<>();
        events.forEach(e -> out.add(e.get("type").asText()));
        return out;
    }

    /** Authorizes a payment and returns its id. */
    static String authorize(String card, long amount, String captureMethod, String customer)
            throws Exception {
        String body =
                """
                {"amount": %d, "currency": "EUR",
                 "payment_method": {"type": "card",
                   "card": {"number": "%s", "exp_month": 12, "exp_year": 2035, "cvc": "123"}},
                 "customer": {"id": "%s", "email": "%s@example.com", "ip": "198.51.100.7", "country": "DE"},
                 "capture_method": "%s", "reference": "order-%s"}
                """
                        .formatted(
                                amount,
                                card,
                                customer,
                                customer,
                                captureMethod,
                                ApiCalls.reference());
        HttpResponse<String> r =
                post(merchantKey, "/v1/payments", UUID.randomUUID().toString(), body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json.readTree(r.body()).get("id").asText();
    }

    static HttpResponse<String> command(
            String key, String paymentId, String action, String idempotencyKey, String body)
            throws IOException, InterruptedException {
        return post(key, "/v1/payments/" + paymentId + "/" + action, idempotencyKey, body);
    }

    static HttpResponse<String> post(String key, String path, String idempotencyKey, String body)
            throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(base.resolve(path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + key)
                        .header("Idempotency-Key", idempotencyKey)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String key, String path)
            throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(base.resolve(path))
                        .header("Authorization", "Bearer " + key)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
