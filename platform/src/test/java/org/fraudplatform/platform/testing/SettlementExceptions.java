package org.fraudplatform.platform.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.fraudplatform.platform.Platform;
import org.fraudplatform.reconciliation.settlement.SettlementImporter;
import org.fraudplatform.reconciliation.settlement.SettlementReportFile;
import org.fraudplatform.schemas.serde.SchemaRegistries;
import org.fraudplatform.schemas.topics.Topics;

/** Reconciliation exceptions made the way they happen: a provider settling another amount. */
public final class SettlementExceptions {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SettlementExceptions() {}

    /**
     * Captures a 19.99 EUR payment and imports today's settlement report with it settled at 20.00
     * EUR: an {@code AMOUNT_MISMATCH} exception.
     *
     * @return the item id, {@code <payment id>/<capture operation id>}
     */
    public static String amountMismatch(Platform platform, String merchantKey, Path dataDir)
            throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI base = URI.create("http://127.0.0.1:" + platform.apiPort());
        String body =
                """
                {"amount": 1999, "currency": "EUR",
                 "payment_method": {"type": "card",
                   "card": {"number": "4242424242424242", "exp_month": 12, "exp_year": 2035, "cvc": "123"}},
                 "customer": {"id": "cus_recon", "ip": "198.51.100.201", "country": "DE"},
                 "capture_method": "automatic", "reference": "order-recon-%s"}
                """
                        .formatted(ApiCalls.reference());
        HttpResponse<String> paid =
                http.send(
                        HttpRequest.newBuilder(base.resolve("/v1/payments"))
                                .header("Authorization", "Bearer " + merchantKey)
                                .header("Idempotency-Key", UUID.randomUUID().toString())
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        JsonNode payment = JSON.readTree(paid.body());
        if (!payment.path("status").asText().equals("captured")) {
            throw new AssertionError("the payment was not captured: " + paid.body());
        }
        String id = payment.get("id").asText();
        String operation = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (operation == null && System.nanoTime() < deadline) {
            HttpResponse<String> read =
                    http.send(
                            HttpRequest.newBuilder(base.resolve("/v1/payments/" + id))
                                    .header("Authorization", "Bearer " + merchantKey)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            for (JsonNode e : JSON.readTree(read.body()).path("events")) {
                if (e.path("type").asText().equals("captured")) {
                    operation = e.path("operation_id").asText();
                }
            }
            Thread.sleep(100);
        }
        if (operation == null) {
            throw new AssertionError("the capture of " + id + " never showed");
        }
        LocalDate day = LocalDate.now(ZoneOffset.UTC);
        Path file = dataDir.resolve("settlement-" + id + ".csv");
        SettlementReportFile.write(
                file,
                List.of(
                        new SettlementReportFile.Row(
                                payment.path("provider").asText("simulated-a"),
                                day,
                                "capture",
                                id,
                                operation,
                                "ref-" + id,
                                2000,
                                "EUR",
                                12,
                                Instant.now())));
        try (SettlementImporter importer =
                new SettlementImporter(
                        platform.kafkaConnection(),
                        Topics.create(SchemaRegistries.connect(platform.schemaRegistryUrl()), 3),
                        Clock.systemUTC())) {
            importer.importFile(file, "ops");
        }
        return id + "/" + operation;
    }
}
