package org.fraudplatform.platform.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.fraudplatform.platform.Platform;
import org.fraudplatform.platform.TestSettings;
import org.fraudplatform.platform.testing.ApiCalls;
import org.fraudplatform.runtime.TopicIo;
import org.fraudplatform.schemas.serde.SchemaRegistries;
import org.fraudplatform.schemas.topics.Topics;
import org.fraudplatform.workers.webhooks.WebhookSettings;
import org.fraudplatform.workers.webhooks.WebhookSignature;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks against local HTTP receivers: every payment status change reaches the endpoints that
 * asked for it, signed; failures are retried with backoff; the last failure goes to the dead-letter
 * topic, is listed, and can be sent again; a merchant sees and changes only its own. The receivers
 * are plain http on loopback, so the platform runs with private destinations allowed ({@code
 * --webhooks-allow-private}); the cloud metadata address is refused even so.
 */
class WebhooksIT {

    /** Quick retries; the receivers are local, plain http, so private destinations are allowed. */
    static final WebhookSettings RETRIES =
            new WebhookSettings(
                    Duration.ofMillis(200), Duration.ofSeconds(1), 3, Duration.ofSeconds(2), true);

    @TempDir static Path dataDir;
    static Platform platform;
    static String merchantKey;
    static ApiCalls api;
    static HttpServer receiver;
    static final ObjectMapper json = new ObjectMapper();

    /** One request as the receiver saw it. */
    record Received(String path, String deliveryId, String signature, byte[] body, Instant at) {}

    static final List<Received> received = new CopyOnWriteArrayList<>();
    static final Map<String, AtomicInteger> flakyTries = new ConcurrentHashMap<>();
    static final AtomicBoolean downIsUp = new AtomicBoolean(false);

    @BeforeAll
    static void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        receiver.createContext(
                "/",
                exchange -> {
                    byte[] body = exchange.getRequestBody().readAllBytes();
                    String path = exchange.getRequestURI().getPath();
                    String delivery = exchange.getRequestHeaders().getFirst("Fraud-Delivery-Id");
                    received.add(
                            new Received(
                                    path,
                                    delivery,
                                    exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER),
                                    body,
                                    Instant.now()));
                    int status =
                            switch (path) {
                                case "/flaky" ->
                                        flakyTries
                                                                .computeIfAbsent(
                                                                        delivery,
                                                                        d -> new AtomicInteger())
                                                                .incrementAndGet()
                                                        <= 2
                                                ? 500
                                                : 200;
                                case "/down" -> downIsUp.get() ? 204 : 503;
                                default -> 200;
                            };
                    reply(exchange, status);
                });
        receiver.start();
        platform =
                Platform.start(
                        TestSettings.embedded(dataDir, RETRIES),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        merchantKey = Files.readString(dataDir.resolve(Platform.DEMO_KEY_FILE)).trim();
        api = new ApiCalls(platform.apiPort());
    }

    private static void reply(HttpExchange exchange, int status) throws IOException {
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void deliveriesAreSignedRetriedDeadLetteredAndResent() throws Exception {
        String receiverUrl = "http://127.0.0.1:" + receiver.getAddress().getPort();
        JsonNode flaky =
                register(
                        merchantKey,
                        receiverUrl + "/flaky",
                        "[\"payment.authorized\", \"payment.captured\"]");
        JsonNode down = register(merchantKey, receiverUrl + "/down", "[\"payment.captured\"]");
        JsonNode fast = register(merchantKey, receiverUrl + "/fast", "[\"*\"]");
        assertThat(flaky.get("secret").asText()).startsWith("whsec_");
        assertThat(
                        api.post(merchantKey, "/v1/webhook_endpoints", "{\"url\": \"ftp://x\"}")
                                .statusCode())
                .isBetween(400, 422);
        HttpResponse<String> metadata =
                api.post(
                        merchantKey,
                        "/v1/webhook_endpoints",
                        "{\"url\": \"http://169.254.169.254/latest/meta-data/\"}");
        assertThat(metadata.statusCode()).isEqualTo(400);
        assertThat(metadata.headers().firstValue("Content-Type"))
                .hasValue("application/problem+json");
        assertThat(metadata.body())
                .as("refused even with private destinations allowed")
                .contains("169.254.169.254 is the cloud metadata address");
        HttpResponse<String> unknownEvent =
                api.post(
                        merchantKey,
                        "/v1/webhook_endpoints",
                        "{\"url\": \"" + receiverUrl + "/x\", \"events\": [\"payment.exploded\"]}");
        assertThat(unknownEvent.body()).contains("payment.exploded", "is not an event type");

        List<String> payments = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            payments.add(pay(1_500 + i, i));
        }

        // the flaky endpoint gets each authorization and capture on the third try, signed
        ApiCalls.await(
                "flaky deliveries succeed",
                () -> countDelivered(merchantKey, flaky.get("id").asText()) == 8);
        for (Received r : received) {
            String secret =
                    switch (r.path()) {
                        case "/flaky" -> flaky.get("secret").asText();
                        case "/down" -> down.get("secret").asText();
                        default -> fast.get("secret").asText();
                    };
            WebhookSignature.verify(
                    secret, r.signature(), r.body(), Instant.now(), Duration.ofMinutes(5));
            String body = new String(r.body(), StandardCharsets.UTF_8);
            assertThat(body).doesNotContain("4242").doesNotContain("tok_");
        }
        List<JsonNode> flakyDelivered =
                deliveries(merchantKey, "delivered").stream()
                        .filter(d -> d.get("endpoint_id").equals(flaky.get("id")))
                        .toList();
        assertThat(flakyDelivered)
                .allSatisfy(d -> assertThat(d.get("attempts").asInt()).isEqualTo(3));
        List<Received> toFlaky = received.stream().filter(r -> r.path().equals("/flaky")).toList();
        assertThat(toFlaky).hasSize(8 * 3);
        for (String payment : payments) {
            assertThat(
                            toFlaky.stream()
                                    .map(r -> new String(r.body(), StandardCharsets.UTF_8))
                                    .filter(b -> b.contains(payment))
                                    .map(b -> b.contains("payment.captured") ? "c" : "a")
                                    .distinct()
                                    .sorted()
                                    .toList())
                    .containsExactly("a", "c");
        }

        // the endpoint that is down: three tries each, then failed and dead-lettered
        ApiCalls.await("down deliveries fail", () -> deliveries(merchantKey, "failed").size() == 4);
        Topics topics = Topics.create(SchemaRegistries.connect(platform.schemaRegistryUrl()), 3);
        ApiCalls.await(
                "dead letters",
                () ->
                        TopicIo.readAll(platform.kafkaConnection(), topics.webhookDeadLetters())
                                        .size()
                                == 4);
        assertThat(TopicIo.readAll(platform.kafkaConnection(), topics.webhookDeadLetters()))
                .allSatisfy(
                        r ->
                                assertThat(r.value().getError())
                                        .isEqualTo(
                                                "failed after 3 attempt(s): the endpoint answered"
                                                        + " 503"));
        JsonNode failed = deliveries(merchantKey, "failed").get(0);
        assertThat(failed.get("last_status").asInt()).isEqualTo(503);

        // another merchant sees none of it and cannot resend it
        String otherKey = platform.api().createMerchantWithKey("merchant-other", "Other");
        assertThat(deliveries(otherKey, null)).isEmpty();
        String failedId = failed.get("id").asText();
        assertThat(
                        api.post(otherKey, "/v1/webhook_deliveries/" + failedId + "/resend", "")
                                .statusCode())
                .isEqualTo(404);

        // the endpoint is back: a resent delivery arrives
        downIsUp.set(true);
        HttpResponse<String> resent =
                api.post(merchantKey, "/v1/webhook_deliveries/" + failedId + "/resend", "");
        assertThat(resent.statusCode()).as(resent.body()).isEqualTo(202);
        ApiCalls.await(
                "the resent delivery arrives",
                () ->
                        deliveries(merchantKey, "delivered").stream()
                                .anyMatch(d -> d.get("id").asText().equals(failedId)));

        // an endpoint deleted gets nothing more
        int toFastBefore = (int) received.stream().filter(r -> r.path().equals("/fast")).count();
        assertThat(
                        api.delete(merchantKey, "/v1/webhook_endpoints/" + fast.get("id").asText())
                                .statusCode())
                .isEqualTo(200);
        pay(2_000, 9);
        ApiCalls.await(
                "flaky gets the new payment",
                () -> countDelivered(merchantKey, flaky.get("id").asText()) == 10);
        assertThat(received.stream().filter(r -> r.path().equals("/fast")).count())
                .isEqualTo(toFastBefore);

        // latency from the ledger event to the receiver, for endpoints that answer at once
        List<Long> millis = new ArrayList<>();
        for (Received r : received) {
            if (r.path().equals("/fast")) {
                Instant created = Instant.parse(json.readTree(r.body()).get("created").asText());
                millis.add(Duration.between(created, r.at()).toMillis());
            }
        }
        millis.sort(null);
        System.out.printf(
                "webhook latency, ledger event to receiver: %d deliveries, p50 %d ms, max %d ms%n",
                millis.size(), millis.get(millis.size() / 2), millis.get(millis.size() - 1));
    }

    // ---- helpers ----

    private static String pay(long amount, int i) throws Exception {
        return api.capturedCardPayment(
                merchantKey,
                amount,
                ApiCalls.card("424242000001", i),
                """
                {"id": "cus_w%d", "email": "w%d@example.com", "ip": "198.51.100.%d", "country": "DE"}
                """
                        .formatted(i, i, 50 + i));
    }

    private static JsonNode register(String key, String url, String events) throws Exception {
        HttpResponse<String> r =
                api.post(
                        key,
                        "/v1/webhook_endpoints",
                        "{\"url\": \"" + url + "\", \"events\": " + events + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json.readTree(r.body());
    }

    private static long countDelivered(String key, String endpointId) {
        return deliveries(key, "delivered").stream()
                .filter(d -> d.get("endpoint_id").asText().equals(endpointId))
                .count();
    }

    private static List<JsonNode> deliveries(String key, String status) {
        try {
            List<JsonNode> out = new ArrayList<>();
            api.getJson(key, "/v1/webhook_deliveries" + (status == null ? "" : "?status=" + status))
                    .get("data")
                    .forEach(out::add);
            return out;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
