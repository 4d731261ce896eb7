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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.fraudplatform.platform.testing.ApiCalls;
import org.fraudplatform.platform.testing.TopicReader;
import org.fraudplatform.schemas.PaymentEvent;
import org.fraudplatform.schemas.PaymentEventType;
import org.fraudplatform.schemas.serde.SchemaRegistries;
import org.fraudplatform.schemas.topics.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Past capacity the platform degrades instead of collapsing: with at most eight payments in flight,
 * a burst of 240 authorizations sent at once gets, for every request, either its decision or an
 * immediate {@code 503} with {@code Retry-After}; a refused request stored nothing, so its retry
 * with the same Idempotency-Key is authorized; and in the end every key has exactly one payment and
 * the ledger exactly one authorization of it.
 */
@Isolated("it drives the platform past capacity: its timings need the machine to itself")
class OverloadIT {

    static final int MAX_IN_FLIGHT = 8;
    static final int BURST = 240;

    @TempDir static Path dataDir;
    static Platform platform;
    static String merchantKey;
    static URI base;
    static final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void startPlatform() throws Exception {
        platform =
                Platform.start(
                        TestSettings.embedded(dataDir).withMaxInFlight(MAX_IN_FLIGHT),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        merchantKey = Files.readString(dataDir.resolve(Platform.DEMO_KEY_FILE)).trim();
        base = URI.create("http://127.0.0.1:" + platform.apiPort());
    }

    @AfterAll
    static void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void shouldDecideOrRefuseEveryRequestOfABurstAndLoseOrDoubleNoPayment() throws Exception {
        // given: a burst of distinct payments, thirty times the bound, all sent at once
        Map<String, String> bodies = new HashMap<>();
        for (int i = 0; i < BURST; i++) {
            bodies.put("burst-" + i, body(ApiCalls.card("400000000077", i), "cus_burst_" + i));
        }

        // when
        Map<String, HttpResponse<String>> first = sendAll(bodies);

        // then: each got a decision or a clean refusal, nothing else
        Map<Integer, Long> statuses =
                first.values().stream()
                        .collect(
                                Collectors.groupingBy(
                                        HttpResponse::statusCode, Collectors.counting()));
        assertThat(statuses.keySet()).as("statuses %s", statuses).containsOnly(201, 503);
        assertThat(statuses.get(503)).as("refused past the bound").isNotNull().isPositive();
        assertThat(statuses.get(201))
                .as("decided")
                .isNotNull()
                .isGreaterThanOrEqualTo(MAX_IN_FLIGHT);
        for (HttpResponse<String> r : first.values()) {
            if (r.statusCode() == 503) {
                assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
                assertThat(r.headers().firstValue("Content-Type"))
                        .hasValueSatisfying(
                                t -> assertThat(t).startsWith("application/problem+json"));
                assertThat(json.readTree(r.body()).get("type").asText())
                        .isEqualTo("/problems/overloaded");
            } else {
                JsonNode payment = json.readTree(r.body());
                assertThat(payment.get("status").asText()).as(r.body()).isNotEqualTo("pending");
                assertThat(payment.path("risk").path("action").asText())
                        .as("decided by the risk engine: %s", r.body())
                        .isIn("approve", "review", "decline");
            }
        }

        // when: every refused request is retried with its own key, a few at a time
        Map<String, String> paymentIds = new HashMap<>();
        first.forEach(
                (key, r) -> {
                    if (r.statusCode() == 201) {
                        paymentIds.put(key, id(r));
                    }
                });
        List<String> refused =
                first.entrySet().stream()
                        .filter(e -> e.getValue().statusCode() == 503)
                        .map(Map.Entry::getKey)
                        .toList();
        for (int from = 0; from < refused.size(); from += MAX_IN_FLIGHT / 2) {
            Map<String, String> retry = new HashMap<>();
            for (String key :
                    refused.subList(from, Math.min(refused.size(), from + MAX_IN_FLIGHT / 2))) {
                retry.put(key, bodies.get(key));
            }
            sendAll(retry)
                    .forEach(
                            (key, r) -> {
                                assertThat(r.statusCode())
                                        .as("retry of %s: %s", key, r.body())
                                        .isEqualTo(201);
                                assertThat(r.headers().firstValue("Idempotent-Replayed"))
                                        .as("a refused request stored nothing to replay")
                                        .isEmpty();
                                paymentIds.put(key, id(r));
                            });
        }

        // then: one payment per key, and a replay of any key is that payment
        assertThat(paymentIds).hasSize(BURST);
        Set<String> distinct = new HashSet<>(paymentIds.values());
        assertThat(distinct).as("no key paid twice").hasSize(BURST);
        Map<String, String> sample = new HashMap<>();
        for (String key : List.of("burst-0", "burst-" + (BURST / 2), "burst-" + (BURST - 1))) {
            sample.put(key, bodies.get(key));
        }
        sendAll(sample)
                .forEach(
                        (key, r) -> {
                            assertThat(r.headers().firstValue("Idempotent-Replayed"))
                                    .hasValue("true");
                            assertThat(id(r)).isEqualTo(paymentIds.get(key));
                        });

        // and the ledger authorized each payment exactly once
        List<PaymentEvent> authorized =
                TopicReader.read(
                        platform.bootstrapServers(),
                        Topics.create(SchemaRegistries.connect(platform.schemaRegistryUrl()), 3)
                                .paymentEvents(),
                        e ->
                                e.getType() == PaymentEventType.AUTHORIZED
                                        && distinct.contains(e.getPaymentId()),
                        BURST,
                        Duration.ofSeconds(60));
        Map<String, Long> perPayment =
                authorized.stream()
                        .collect(
                                Collectors.groupingBy(
                                        PaymentEvent::getPaymentId, Collectors.counting()));
        assertThat(perPayment).hasSize(BURST);
        assertThat(new HashSet<>(perPayment.values())).containsOnly(1L);
    }

    /** Sends every body under its Idempotency-Key at once; waits for all answers. */
    private static Map<String, HttpResponse<String>> sendAll(Map<String, String> bodies) {
        Map<String, CompletableFuture<HttpResponse<String>>> sent = new HashMap<>();
        bodies.forEach(
                (key, body) ->
                        sent.put(
                                key,
                                http.sendAsync(
                                        HttpRequest.newBuilder(base.resolve("/v1/payments"))
                                                .timeout(Duration.ofSeconds(60))
                                                .header("Authorization", "Bearer " + merchantKey)
                                                .header("Idempotency-Key", key)
                                                .header("Content-Type", "application/json")
                                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())));
        Map<String, HttpResponse<String>> answers = new HashMap<>();
        List<String> failures = new ArrayList<>();
        sent.forEach(
                (key, future) -> {
                    try {
                        answers.put(key, future.join());
                    } catch (RuntimeException e) {
                        failures.add(key + ": " + e);
                    }
                });
        assertThat(failures).as("requests without an HTTP answer").isEmpty();
        return answers;
    }

    private static String body(String card, String customer) {
        return """
                {"amount": 1999, "currency": "EUR",
                 "payment_method": {"type": "card",
                   "card": {"number": "%s", "exp_month": 12, "exp_year": 2035, "cvc": "123"}},
                 "customer": {"id": "%s", "country": "DE"}, "capture_method": "manual"}
                """
                .formatted(card, customer);
    }

    private static String id(HttpResponse<String> r) {
        try {
            JsonNode payment = json.readTree(r.body());
            return payment.get("id").asText();
        } catch (java.io.IOException e) {
            throw new AssertionError(r.body(), e);
        }
    }
}
