package org.fraudplatform.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.fraudplatform.dev.embedded.EmbeddedKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The platform on a Kafka cluster that asks every client for credentials (SASL), configured by a
 * file of connection settings alone ({@code --kafka-config}): every client of the process (the
 * API's producers and reply listeners, the risk, ledger and reconciliation streams, the provider
 * dispatcher, the projections, the admin client) connects with them, and nothing prints the
 * password.
 */
class KafkaSecurityIT {

    @TempDir static Path dir;

    static final String PASSWORD = "pw-" + UUID.randomUUID();
    static EmbeddedKafka kafka;
    static Platform platform;
    static Path settings;
    static final ByteArrayOutputStream console = new ByteArrayOutputStream();
    static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.startRequiringPassword(dir.resolve("kafka"), "fraud", PASSWORD);
        settings = dir.resolve("kafka-client.properties");
        Files.writeString(
                settings,
                """
                security.protocol=SASL_PLAINTEXT
                sasl.mechanism=PLAIN
                sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required \\
                  username="fraud" password="%s";
                """
                        .formatted(PASSWORD));
        platform =
                Platform.start(
                        TestSettings.onKafka(
                                dir.resolve("platform"), kafka.bootstrapServers(), settings),
                        new PrintStream(console, true, StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldRefuseAClientThatDoesNotAuthenticate() {
        try (Admin plain =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers(),
                                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                                3_000,
                                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                                2_000))) {
            assertThatThrownBy(() -> plain.listTopics().names().get(5, TimeUnit.SECONDS))
                    .as("the cluster takes authenticated clients only");
        }
    }

    @Test
    void shouldDecideAuthorizeAndCaptureAPaymentWithEveryClientAuthenticated() throws Exception {
        String key =
                Files.readString(dir.resolve("platform").resolve(Platform.DEMO_KEY_FILE)).trim();
        HttpResponse<String> reply =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        "http://127.0.0.1:"
                                                                + platform.apiPort()
                                                                + "/v1/payments"))
                                        .header("Authorization", "Bearer " + key)
                                        .header("Idempotency-Key", UUID.randomUUID().toString())
                                        .header("Content-Type", "application/json")
                                        .POST(
                                                HttpRequest.BodyPublishers.ofString(
                                                        PlatformIT.cardPayment(
                                                                PlatformIT.GOOD_CARD, 31_00)))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());

        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(201);
        JsonNode payment = json.readTree(reply.body());
        assertThat(payment.get("status").asText()).isEqualTo("captured");
        assertThat(payment.at("/risk/action").asText()).isEqualTo("approve");
    }

    @Test
    void shouldNameTheProtocolAndMechanismOnStartButNeverThePassword() {
        String printed = console.toString(StandardCharsets.UTF_8);

        assertThat(printed).contains(kafka.bootstrapServers() + " (SASL_PLAINTEXT, PLAIN)");
        assertThat(printed).doesNotContain(PASSWORD);
        assertThat(platform.kafkaConnection().toString()).doesNotContain(PASSWORD);
    }
}
