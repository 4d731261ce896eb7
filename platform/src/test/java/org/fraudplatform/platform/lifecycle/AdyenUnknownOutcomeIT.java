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
import org.fraudplatform.api.payments.PendingResolver;
import org.fraudplatform.platform.Platform;
import org.fraudplatform.platform.TestSettings;
import org.fraudplatform.providers.adyen.FakeAdyen;
import org.fraudplatform.providers.connectors.ProviderConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An Adyen authorization whose answer was lost, and whose {@code AUTHORISATION} notification never
 * comes: Adyen cannot be asked by our payment id, so the payment stays pending until the platform
 * gives up on it, cancels it at Adyen by its reference (the technical cancel) and fails it. Nothing
 * is charged, and it was authorized at Adyen once.
 */
class AdyenUnknownOutcomeIT {

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
    void aPaymentWhoseOutcomeAdyenNeverToldIsCancelledThereAndFailsWithNothingCharged()
            throws Exception {
        // given a platform whose cards go to Adyen, calls given up after 1 s, outcomes after 4 s
        adyen = new FakeAdyen();
        Files.writeString(secrets.resolve("adyen-key"), FakeAdyen.API_KEY);
        Files.writeString(secrets.resolve("adyen-hmac"), FakeAdyen.HMAC_KEY);
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
                        "route = card * -> adyen"));
        platform =
                Platform.start(
                        TestSettings.embedded(dataDir, Duration.ofSeconds(1))
                                .withProviders(ProviderConfig.read(file))
                                .toBuilder()
                                .cancelUnknownAfter(Duration.ofSeconds(4))
                                .build(),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        // when Adyen authorizes the payment but answers too late, and never notifies
        adyen.answerSlowly(Duration.ofSeconds(3));
        HttpResponse<String> paid = pay();
        adyen.answerSlowly(Duration.ZERO);
        String id = json.readTree(paid.body()).get("id").asText();

        // then the payment waits, pending, until the platform cancels it at Adyen and fails it
        assertThat(json.readTree(paid.body()).path("status").asText()).isEqualTo("pending");
        JsonNode failed = awaitPayment(id, p -> p.path("status").asText().equals("failed"));
        assertThat(failed.toString()).contains(PendingResolver.CANCELLED_UNKNOWN_OUTCOME);
        assertThat(adyen.authorised()).as("authorized at Adyen once, never again").isEqualTo(1);
        assertThat(adyen.payments()).hasSize(1);
        assertThat(adyen.payments().get(0).path("cancelled").asBoolean())
                .as("cancelled at Adyen: nothing of it can be captured")
                .isTrue();
        assertThat(adyen.notifications("TECHNICAL_CANCEL")).hasSize(1);
        assertThat(failed.path("amount_captured").asLong()).isZero();
    }

    private HttpResponse<String> pay() throws Exception {
        return http.send(
                HttpRequest.newBuilder(uri("/v1/payments"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + merchantKey())
                        .header("Idempotency-Key", "order-unknown")
                        .header("Content-Type", "application/json")
                        .POST(
                                HttpRequest.BodyPublishers.ofString(
                                        """
                                        {"amount": 2500, "currency": "EUR",
                                         "payment_method": {"type": "card",
                                           "card": {"number": "4111111145551142", "exp_month": 3,
                                                    "exp_year": 2030, "cvc": "737"}},
                                         "customer": {"id": "cus_unknown"},
                                         "capture_method": "manual"}
                                        """))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode awaitPayment(String id, java.util.function.Predicate<JsonNode> done)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r =
                    http.send(
                            HttpRequest.newBuilder(uri("/v1/payments/" + id + "/events"))
                                    .header("Authorization", "Bearer " + merchantKey())
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> p =
                    http.send(
                            HttpRequest.newBuilder(uri("/v1/payments/" + id))
                                    .header("Authorization", "Bearer " + merchantKey())
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            last = json.readTree(p.body());
            if (done.test(last)) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) last)
                        .set("events", json.readTree(r.body()));
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("payment " + id + " never got there: " + last);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + platform.apiPort() + path);
    }

    private String merchantKey() throws Exception {
        return Files.readString(dataDir.resolve(Platform.DEMO_KEY_FILE)).trim();
    }
}
