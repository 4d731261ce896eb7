package org.fraudplatform.platform.lifecycle;

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
import java.util.List;
import org.fraudplatform.platform.Platform;
import org.fraudplatform.platform.TestSettings;
import org.fraudplatform.platform.testing.TopicReader;
import org.fraudplatform.providers.JournalEntry;
import org.fraudplatform.providers.SimulatedProvider;
import org.fraudplatform.schemas.PaymentEvent;
import org.fraudplatform.schemas.serde.SchemaRegistries;
import org.fraudplatform.schemas.topics.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider call that times out may have succeeded: the payment stays pending, client retries and
 * a platform restart never authorize it a second time, and a status query resolves it.
 */
class UnknownOutcomeIT {

    @TempDir Path dataDir;
    Platform platform;
    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    private void start() throws Exception {
        platform =
                Platform.start(
                        // the provider answers within 2 s or the outcome is unknown
                        TestSettings.embedded(dataDir, Duration.ofSeconds(2)),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @Test
    void aTimedOutAuthorizationIsResolvedByAStatusQueryAndNeverRepeated() throws Exception {
        start();
        String key = "order-77-attempt";
        String body =
                """
                {"amount": 4200, "currency": "EUR",
                 "payment_method": {"type": "card",
                   "card": {"number": "%s", "exp_month": 12, "exp_year": 2035, "cvc": "123"}},
                 "customer": {"id": "cus_unknown"}, "capture_method": "automatic"}
                """
                        .formatted(SimulatedProvider.TIMEOUT);

        HttpResponse<String> first = pay(key, body);
        List<HttpResponse<String>> retries = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            retries.add(pay(key, body));
        }

        assertThat(first.statusCode()).isEqualTo(201);
        JsonNode pending = json.readTree(first.body());
        String id = pending.get("id").asText();
        assertThat(pending.get("status").asText()).isEqualTo("pending");
        assertThat(retries)
                .as("a client retry replays the first answer and runs nothing")
                .allSatisfy(r -> assertThat(r.body()).isEqualTo(first.body()));

        // the platform stops before anyone asked the provider, and starts again
        platform.close();
        platform = null;
        start();

        JsonNode resolved = awaitStatus(id, "captured", Duration.ofSeconds(30));
        assertThat(resolved.get("amount_captured").asLong()).isEqualTo(4200);
        assertThat(pay(key, body).body())
                .as("even now the key replays the first answer")
                .isEqualTo(first.body());
        // the capture the ledger accepted reaches the provider from payments.events
        List<JournalEntry> provider = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (provider.stream().noneMatch(e -> e.paymentId().equals(id) && isCapture(e))
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
            provider.clear();
            platform.api().providers().forEach(p -> provider.addAll(p.journal()));
        }
        assertThat(provider.stream().filter(e -> e.paymentId().equals(id)))
                .extracting(e -> e.operation().name())
                .as(
                        "one authorization and one capture at the provider, across retries and a restart")
                .containsExactlyInAnyOrder("AUTHORIZE", "CAPTURE");
        List<PaymentEvent> ledger =
                TopicReader.read(
                        platform.bootstrapServers(),
                        Topics.create(SchemaRegistries.connect(platform.schemaRegistryUrl()), 3)
                                .paymentEvents(),
                        e -> e.getPaymentId().equals(id),
                        3,
                        Duration.ofSeconds(20));
        assertThat(ledger)
                .extracting(e -> e.getType().name())
                .as("the intent before the provider call, then what the provider said")
                .containsExactly("AUTHORIZING", "PENDING", "AUTHORIZED", "CAPTURED");
    }

    private static boolean isCapture(JournalEntry e) {
        return e.operation() == JournalEntry.Operation.CAPTURE;
    }

    private HttpResponse<String> pay(String key, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(
                                URI.create(
                                        "http://127.0.0.1:" + platform.apiPort() + "/v1/payments"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + merchantKey())
                        .header("Idempotency-Key", key)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode awaitStatus(String id, String status, Duration patience) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r =
                    http.send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    "http://127.0.0.1:"
                                                            + platform.apiPort()
                                                            + "/v1/payments/"
                                                            + id))
                                    .header("Authorization", "Bearer " + merchantKey())
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            last = json.readTree(r.body());
            if (last.path("status").asText().equals(status)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("payment " + id + " never became " + status + ": " + last);
    }

    private String merchantKey() throws Exception {
        return Files.readString(dataDir.resolve(Platform.DEMO_KEY_FILE)).trim();
    }
}
