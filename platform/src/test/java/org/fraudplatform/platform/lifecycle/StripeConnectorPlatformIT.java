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
import java.util.function.Supplier;
import org.fraudplatform.platform.Platform;
import org.fraudplatform.platform.TestSettings;
import org.fraudplatform.providers.connectors.ProviderConfig;
import org.fraudplatform.providers.stripe.FakeStripe;
import org.fraudplatform.runtime.TopicIo;
import org.fraudplatform.schemas.ReconciliationCategory;
import org.fraudplatform.schemas.ReconciliationItem;
import org.fraudplatform.schemas.serde.SchemaRegistries;
import org.fraudplatform.schemas.topics.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A platform configured with the Stripe connector (against the local Stripe): the same API as today
 * authorizes, captures and refunds at Stripe, Stripe's signed dispute opens a chargeback in the
 * ledger, and the day's settlement fetched from Stripe's balance transactions matches every
 * movement.
 */
class StripeConnectorPlatformIT {

    @TempDir Path dataDir;
    @TempDir Path secrets;
    Platform platform;
    FakeStripe stripe;
    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void stop() {
        if (platform != null) {
            platform.close();
        }
        if (stripe != null) {
            stripe.close();
        }
    }

    @Test
    void aMerchantPaysCapturesRefundsAndIsDisputedThroughStripeWithTheSameApi() throws Exception {
        // given a platform whose EUR cards go to Stripe
        stripe = new FakeStripe();
        Files.writeString(secrets.resolve("stripe-key"), FakeStripe.SECRET_KEY);
        Files.writeString(secrets.resolve("stripe-webhook"), FakeStripe.WEBHOOK_SECRET);
        Path file = secrets.resolve("providers.conf");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "provider.stripe-eu.type = stripe",
                        "provider.stripe-eu.base-uri = " + stripe.uri(),
                        "provider.stripe-eu.secret-key = file:" + secrets.resolve("stripe-key"),
                        "provider.stripe-eu.webhook-secret = file:"
                                + secrets.resolve("stripe-webhook"),
                        "route = card EUR -> stripe-eu",
                        "route = * * -> simulated-a, simulated-b"));
        platform =
                Platform.start(
                        TestSettings.embedded(dataDir, Duration.ofSeconds(5))
                                .withProviders(ProviderConfig.read(file)),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        // when a merchant pays with automatic capture and refunds part of it
        JsonNode paid = json.readTree(pay("order-1", "4242424242424242").body());
        String id = paid.get("id").asText();
        JsonNode captured = awaitPayment(id, p -> p.path("amount_captured").asLong() > 0);
        HttpResponse<String> refund =
                post("/v1/payments/" + id + "/refunds", "refund-1", "{\"amount\": 1000}");
        // and another payment is disputed at Stripe
        String disputed =
                json.readTree(pay("order-2", "4000000000000259").body()).get("id").asText();
        awaitPayment(disputed, p -> p.path("amount_captured").asLong() > 0);
        FakeStripe.SignedEvent dispute =
                await(
                        () ->
                                stripe.events("charge.dispute.created").stream()
                                        .findFirst()
                                        .orElse(null));
        HttpResponse<String> webhook =
                http.send(
                        HttpRequest.newBuilder(uri("/v1/provider-webhooks/stripe-eu"))
                                .header("Stripe-Signature", dispute.header())
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(dispute.payload()))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        // and a third pays with a PaymentMethod Stripe's own script made, never a card number
        HttpResponse<String> byToken =
                post(
                        "/v1/payments",
                        "order-3",
                        """
                        {"amount": 4200, "currency": "EUR",
                         "payment_method": {"type": "provider_token", "provider_token":
                           {"provider": "stripe-eu", "token": "pm_card_visa",
                            "fingerprint": "Xt5EWLLDS7FJjR1c"}},
                         "customer": {"id": "cus_stripe"}, "capture_method": "automatic"}
                        """);
        String tokenPaid = json.readTree(byToken.body()).get("id").asText();
        awaitPayment(tokenPaid, p -> p.path("amount_captured").asLong() > 0);

        // then the ledger and Stripe agree
        assertThat(captured.path("amount_captured").asLong()).isEqualTo(4_200);
        assertThat(refund.statusCode()).isEqualTo(201);
        ObjectNode intent =
                await(
                        () ->
                                stripe.intents().stream()
                                        .filter(
                                                i ->
                                                        i.path("metadata")
                                                                .path("payment_id")
                                                                .asText()
                                                                .equals(id))
                                        .filter(i -> i.path("status").asText().equals("succeeded"))
                                        .findFirst()
                                        .orElse(null));
        assertThat(intent.path("amount_received").asLong()).isEqualTo(4_200);
        ObjectNode refunded =
                await(() -> stripe.refunds().isEmpty() ? null : stripe.refunds().get(0));
        assertThat(refunded.path("amount").asLong()).isEqualTo(1_000);
        assertThat(refunded.path("payment_intent").asText()).isEqualTo(intent.path("id").asText());
        assertThat(stripe.charges()).isEqualTo(3);
        assertThat(byToken.statusCode()).isEqualTo(201);
        assertThat(json.readTree(byToken.body()).path("payment_method"))
                .isEqualTo(
                        json.readTree(
                                "{\"type\":\"provider_token\",\"provider_token\":{\"provider\":\"stripe-eu\"}}"));
        assertThat(
                        stripe.intents().stream()
                                .filter(
                                        i ->
                                                i.path("metadata")
                                                        .path("payment_id")
                                                        .asText()
                                                        .equals(tokenPaid))
                                .map(i -> i.path("status").asText()))
                .containsExactly("succeeded");
        // the event carries the keyed hashes of the token and of Stripe's card fingerprint only
        Topics topics = Topics.create(SchemaRegistries.connect(platform.schemaRegistryUrl()), 3);
        var request =
                TopicIo.readAll(platform.kafkaConnection(), topics.paymentRequests()).stream()
                        .filter(r -> r.value().getPaymentId().equals(tokenPaid))
                        .findFirst()
                        .orElseThrow()
                        .value();
        var wallet = (org.fraudplatform.schemas.Wallet) request.getInstrument();
        assertThat(wallet.getProvider()).isEqualTo(org.fraudplatform.schemas.WalletProvider.STRIPE);
        assertThat(wallet.getCardFingerprint()).startsWith("pcard_");
        assertThat(request.toString()).doesNotContain("pm_card_visa", "Xt5EWLLDS7FJjR1c");
        assertThat(webhook.statusCode()).isEqualTo(200);
        JsonNode chargebacks =
                awaitPayment(
                        disputed + "/chargebacks",
                        p -> p.toString().toLowerCase().contains("chargeback_opened"));
        assertThat(chargebacks.toString()).contains("fraudulent");
    }

    @Test
    void theDaysSettlementFetchedFromStripeAndTheSimulatedProviderReconcilesWithNoException()
            throws Exception {
        // given a platform whose EUR cards go to Stripe, two payments captured, one partly
        // refunded, and one of another currency captured at the simulated provider
        stripe = new FakeStripe();
        Files.writeString(secrets.resolve("stripe-key"), FakeStripe.SECRET_KEY);
        Path file = secrets.resolve("providers.conf");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "provider.stripe-eu.type = stripe",
                        "provider.stripe-eu.base-uri = " + stripe.uri(),
                        "provider.stripe-eu.secret-key = file:" + secrets.resolve("stripe-key"),
                        "route = card EUR -> stripe-eu",
                        "route = * * -> simulated-a, simulated-b"));
        platform =
                Platform.start(
                        TestSettings.embedded(dataDir, Duration.ofSeconds(5))
                                .withProviders(ProviderConfig.read(file)),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        String first = json.readTree(pay("order-1", "4242424242424242").body()).get("id").asText();
        String second = json.readTree(pay("order-2", "5555555555554444").body()).get("id").asText();
        // and one in dollars, which the routes send to the simulated provider
        String simulated =
                json.readTree(
                                post(
                                                "/v1/payments",
                                                "order-3",
                                                """
                                                {"amount": 3100, "currency": "USD",
                                                 "payment_method": {"type": "card", "card":
                                                   {"number": "4242424242424242", "exp_month": 12,
                                                    "exp_year": 2035, "cvc": "123"}},
                                                 "capture_method": "automatic"}
                                                """)
                                        .body())
                        .get("id")
                        .asText();
        awaitPayment(first, p -> p.path("amount_captured").asLong() > 0);
        awaitPayment(second, p -> p.path("amount_captured").asLong() > 0);
        awaitPayment(simulated, p -> p.path("amount_captured").asLong() > 0);
        assertThat(
                        post("/v1/payments/" + first + "/refunds", "refund-1", "{\"amount\": 1000}")
                                .statusCode())
                .isEqualTo(201);
        await(() -> stripe.refunds().isEmpty() ? null : stripe.refunds().get(0));

        // when the day is fetched by the platform's own fetch (called instead of at its time):
        // Stripe's balance transactions, and the simulated providers' reports over HTTP
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Map<String, String> failed = platform.api().settlementFetch().orElseThrow().fetch(today);

        // then every movement of the day matches, and nothing else is reconciled
        assertThat(failed).isEmpty();
        assertThat(platform.api().settlementFetch().orElseThrow().providers())
                .containsExactly("simulated-a", "simulated-b", "stripe-eu");
        Topics topics = Topics.create(SchemaRegistries.connect(platform.schemaRegistryUrl()), 3);
        Map<String, ReconciliationItem> items =
                await(
                        () -> {
                            var latest = new LinkedHashMap<String, ReconciliationItem>();
                            for (var r :
                                    TopicIo.readAll(
                                            platform.kafkaConnection(),
                                            topics.reconciliationItems())) {
                                if (r.value() != null) {
                                    latest.put(r.key(), r.value());
                                }
                            }
                            boolean done =
                                    latest.size() == 4
                                            && latest.values().stream()
                                                    .allMatch(
                                                            i ->
                                                                    i.getCategory()
                                                                            == ReconciliationCategory
                                                                                    .MATCHED);
                            return done ? latest : null;
                        });
        assertThat(items.keySet())
                .allMatch(
                        id ->
                                id.startsWith(first + "/")
                                        || id.startsWith(second + "/")
                                        || id.startsWith(simulated + "/"));
        assertThat(items.values())
                .extracting(ReconciliationItem::getSettledAmount)
                .containsExactlyInAnyOrder(4_200L, 4_200L, 1_000L, 3_100L);
    }

    private HttpResponse<String> pay(String key, String number) throws Exception {
        return post(
                "/v1/payments",
                key,
                """
                {"amount": 4200, "currency": "EUR",
                 "payment_method": {"type": "card",
                   "card": {"number": "%s", "exp_month": 12, "exp_year": 2035, "cvc": "123"}},
                 "customer": {"id": "cus_stripe"}, "capture_method": "automatic"}
                """
                        .formatted(number));
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

    private JsonNode awaitPayment(String path, java.util.function.Predicate<JsonNode> done)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r =
                    http.send(
                            HttpRequest.newBuilder(uri("/v1/payments/" + path))
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
        throw new AssertionError("payment " + path + " never got there: " + last);
    }

    private static <T> T await(Supplier<T> value) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            T v = value.get();
            if (v != null) {
                return v;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("never happened");
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + platform.apiPort() + path);
    }

    private String merchantKey() throws Exception {
        return Files.readString(dataDir.resolve(Platform.DEMO_KEY_FILE)).trim();
    }
}
