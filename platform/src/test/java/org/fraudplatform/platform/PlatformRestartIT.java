package org.fraudplatform.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fraudplatform.platform.PlatformIT.assertNoCardNumberIn;

import ch.qos.logback.classic.Logger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fraudplatform.features.FeatureCatalogue;
import org.fraudplatform.platform.models.TinyModels;
import org.fraudplatform.platform.testing.ReleaseKeysOf;
import org.fraudplatform.risk.RulesetReleases;
import org.fraudplatform.risk.models.ModelRegistry;
import org.fraudplatform.rules.engine.RulesetSource;
import org.fraudplatform.schemas.serde.SchemaRegistries;
import org.fraudplatform.schemas.topics.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping and starting the platform on the same data folder keeps payments and keys, and the
 * ruleset and champion model deployed before decide from the first payment after.
 */
class PlatformRestartIT {

    @TempDir Path dataDir;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private String statusOnceDecided(URI base, String key, String id) throws Exception {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (true) {
            HttpResponse<String> got =
                    http.send(
                            HttpRequest.newBuilder(base.resolve("/v1/payments/" + id))
                                    .header("Authorization", "Bearer " + key)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            String status = json.readTree(got.body()).get("status").asText();
            if (!status.equals("pending") || System.nanoTime() > deadline) {
                return status;
            }
            Thread.sleep(100);
        }
    }

    private HttpResponse<String> pay(URI base, String key, String card) throws Exception {
        return http.send(
                HttpRequest.newBuilder(base.resolve("/v1/payments"))
                        .header("Authorization", "Bearer " + key)
                        .header("Idempotency-Key", UUID.randomUUID().toString())
                        .header("Content-Type", "application/json")
                        .POST(
                                HttpRequest.BodyPublishers.ofString(
                                        PlatformIT.cardPayment(card, 19_99)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Deploys a ruleset and promotes a champion, and waits until the platform decides with both.
     *
     * @return their versions
     */
    private List<String> deployARulesetAndAChampion(Platform platform) throws Exception {
        Topics topics = Topics.create(SchemaRegistries.connect(platform.schemaRegistryUrl()), 1);
        Map<String, byte[]> files = new java.util.TreeMap<>();
        RulesetSource.packaged()
                .files()
                .forEach(
                        f ->
                                files.put(
                                        f.name(),
                                        f.name().endsWith(".drl")
                                                ? (new String(f.content(), StandardCharsets.UTF_8)
                                                                + "\n// before the restart\n")
                                                        .getBytes(StandardCharsets.UTF_8)
                                                : f.content()));
        RulesetSource edited = RulesetSource.of(files);
        try (RulesetReleases releases =
                new RulesetReleases(
                        platform.kafkaConnection(),
                        topics,
                        ReleaseKeysOf.signer(dataDir),
                        ReleaseKeysOf.trusted(dataDir))) {
            releases.deploy(edited, 0, "person:ana", "before the restart");
        }
        String model;
        try (ModelRegistry registry =
                new ModelRegistry(
                        platform.kafkaConnection(),
                        topics,
                        FeatureCatalogue.standard(),
                        ReleaseKeysOf.signer(dataDir),
                        ReleaseKeysOf.trusted(dataDir))) {
            model =
                    registry.register(
                                    TinyModels.amountModel(
                                            "restart-flat",
                                            0.0,
                                            FeatureCatalogue.standard().hash()),
                                    "person:dina",
                                    "before the restart")
                            .getVersion();
            registry.promote(model, "person:dina");
        }
        List<String> versions = List.of(edited.version(), model);
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (!List.of(
                        String.valueOf(platform.liveRulesetVersion()),
                        String.valueOf(platform.liveModelVersion()))
                .equals(versions)) {
            assertThat(System.nanoTime()).as("deployed within 30 s").isLessThan(deadline);
            Thread.sleep(50);
        }
        return versions;
    }

    @Test
    void shouldKeepPaymentsKeysRulesAndModelsAcrossARestartAndNeverStoreACardNumber()
            throws Exception {
        // given a platform that took payments, good, declined and invalid
        var logs =
                new ch.qos.logback.core.read.ListAppender<
                        ch.qos.logback.classic.spi.ILoggingEvent>();
        logs.start();
        org.fraudplatform.platform.testing.Logs.context()
                .getLogger(Logger.ROOT_LOGGER_NAME)
                .addAppender(logs);
        var console = new java.io.ByteArrayOutputStream();
        PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
        String id;
        String key;
        List<String> deployed;
        try (Platform first = Platform.start(PlatformIT.settings(dataDir), out)) {
            key = Files.readString(dataDir.resolve(Platform.DEMO_KEY_FILE)).trim();
            URI base = URI.create("http://127.0.0.1:" + first.apiPort());
            HttpResponse<String> captured = pay(base, key, PlatformIT.GOOD_CARD);
            assertThat(captured.statusCode()).isEqualTo(201);
            id = json.readTree(captured.body()).get("id").asText();
            // a machine still compiling may answer the first payment pending; it completes soon
            assertThat(statusOnceDecided(base, key, id)).isEqualTo("captured");
            assertThat(
                            json.readTree(pay(base, key, PlatformIT.INSUFFICIENT_FUNDS_CARD).body())
                                    .get("status")
                                    .asText())
                    .isEqualTo("declined");
            assertThat(pay(base, key, "4242424242424241").statusCode()).isEqualTo(400);
            deployed = deployARulesetAndAChampion(first);
        }
        assertThat(console.toString(StandardCharsets.UTF_8))
                .contains("API key for merchant demo: " + key);

        // when it starts again on the same data folder
        try (Platform second = Platform.start(PlatformIT.settings(dataDir), out)) {
            URI base = URI.create("http://127.0.0.1:" + second.apiPort());
            HttpResponse<String> again =
                    http.send(
                            HttpRequest.newBuilder(base.resolve("/v1/payments/" + id))
                                    .header("Authorization", "Bearer " + key)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());

            // then the payment and the key are still there
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(List.of(second.liveRulesetVersion(), second.liveModelVersion()))
                    .as("the ruleset and champion deployed before, live when the start returns")
                    .isEqualTo(deployed);
            JsonNode payment = json.readTree(again.body());
            assertThat(payment.get("status").asText()).isEqualTo("captured");
            assertThat(pay(base, key, PlatformIT.GOOD_CARD).statusCode()).isEqualTo(201);
        }
        assertThat(console.toString(StandardCharsets.UTF_8))
                .containsOnlyOnce("API key for merchant demo: ")
                .contains("API key for merchant demo is in");

        // and no file of the data folder and no log line holds a card number that was sent
        List<String> lines = new java.util.ArrayList<>();
        synchronized (logs) { // the appender adds under this lock, from every thread that logs
            logs.list.forEach(e -> lines.add(e.getFormattedMessage()));
        }
        lines.add(console.toString(StandardCharsets.UTF_8));
        assertNoCardNumberIn(
                dataDir,
                lines,
                List.of(
                        PlatformIT.GOOD_CARD,
                        PlatformIT.INSUFFICIENT_FUNDS_CARD,
                        "4242424242424241"));
    }
}
