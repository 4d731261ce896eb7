package org.fraudplatform.platform.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.fraudplatform.platform.Platform;
import org.fraudplatform.platform.TestSettings;
import org.fraudplatform.platform.testing.ApiCalls;
import org.fraudplatform.providers.JournalEntry;
import org.fraudplatform.providers.ProviderJournal;
import org.fraudplatform.providers.SettlementReportGenerator;
import org.fraudplatform.reconciliation.report.ReconciliationReport;
import org.fraudplatform.reconciliation.settlement.SettlementImporter;
import org.fraudplatform.reconciliation.settlement.SettlementReportFile;
import org.fraudplatform.runtime.TopicIo;
import org.fraudplatform.schemas.ReconciliationCategory;
import org.fraudplatform.schemas.ReconciliationItem;
import org.fraudplatform.schemas.ReconciliationStatus;
import org.fraudplatform.schemas.ReconciliationStep;
import org.fraudplatform.schemas.serde.SchemaRegistries;
import org.fraudplatform.schemas.topics.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reconciliation end to end: payments through the API, the simulated provider's settlement report
 * for the day with every kind of flaw dropped into the inbox, and each flaw found in its category
 * with the right amounts; the late rows' file turns their open items into matches, importing the
 * same file again changes nothing, and an operator resolves an exception over HTTP.
 */
class ReconciliationIT {

    static final Duration WINDOW = Duration.ofSeconds(15);
    static final String PROVIDER = "simulated-a";

    @TempDir static Path dataDir;
    static Platform platform;
    static String merchantKey;
    static String operatorKey;
    static ApiCalls api;
    static Topics topics;
    static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        platform =
                Platform.start(
                        TestSettings.embedded(dataDir, Duration.ofSeconds(5), WINDOW),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        merchantKey = Files.readString(dataDir.resolve(Platform.DEMO_KEY_FILE)).trim();
        operatorKey =
                Files.readString(dataDir.resolve(org.fraudplatform.api.PaymentApi.ADMIN_TOKEN_FILE))
                        .trim();
        api = new ApiCalls(platform.apiPort());
        topics = Topics.create(SchemaRegistries.connect(platform.schemaRegistryUrl()), 3);
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void everyFlawOfTheSettlementReportLandsInItsCategoryWithTheRightAmounts() throws Exception {
        // traffic: 20 captured card payments, 3 of them partly refunded
        List<String> payments = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            payments.add(pay(1_000 + 137L * i, i));
        }
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r =
                    api.post(
                            merchantKey,
                            "/v1/payments/" + payments.get(i) + "/refunds",
                            "{\"amount\": 500}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        }
        List<JournalEntry> journal = awaitJournal(23);
        LocalDate day = LocalDate.now(ZoneOffset.UTC);

        // the day's report with every kind of flaw, dropped into the inbox
        SettlementReportGenerator.Generated report =
                SettlementReportGenerator.generate(
                        journal,
                        PROVIDER,
                        day,
                        SettlementReportGenerator.FeeModel.standard(),
                        SettlementReportGenerator.Flaws.parse(
                                "missing=2,amount=1,currency=1,duplicate=1,unknown=2,late=1,malformed=1"),
                        7L);
        Map<String, List<String>> flaws = report.flawsApplied();
        Path file = dataDir.resolve("report-" + day + ".csv");
        SettlementReportFile.write(file, report.rows(), report.malformedLines());
        Path inbox = dataDir.resolve("settlements/inbox");
        Files.copy(file, inbox.resolve(file.getFileName()));
        ApiCalls.await(
                "the inbox took the file",
                () ->
                        Files.exists(
                                dataDir.resolve("settlements/done").resolve(file.getFileName())));
        assertThat(
                        Files.readString(
                                dataDir.resolve("settlements/done")
                                        .resolve(file.getFileName() + ".quarantined.txt")))
                .as("the malformed row, with its line and reason")
                .contains("line ");

        String amountItem = flaws.get("amount").get(0);
        String currencyItem = flaws.get("currency").get(0);
        String duplicateItem = flaws.get("duplicate").get(0);
        String lateItem = flaws.get("late").get(0);
        Map<String, ReconciliationItem> items =
                awaitItems(
                        all ->
                                category(all, amountItem) == ReconciliationCategory.AMOUNT_MISMATCH
                                        && category(all, currencyItem)
                                                == ReconciliationCategory.CURRENCY_MISMATCH
                                        && category(all, duplicateItem)
                                                == ReconciliationCategory.DUPLICATE
                                        && flaws.get("unknown").stream()
                                                .allMatch(all::containsKey));
        assertThat(items.get(lateItem).getStatus())
                .as("the late row's movement waits within the window")
                .isEqualTo(ReconciliationStatus.OPEN);
        ReconciliationItem amount = items.get(amountItem);
        SettlementReportFile.Row amountRow = row(report.rows(), amountItem);
        assertThat(amount.getSettledAmount()).isEqualTo(amountRow.amount());
        assertThat(amount.getLedgerAmount()).isNotEqualTo(amountRow.amount());
        assertThat(items.get(duplicateItem).getSettlementRows()).hasSize(2);

        // the next day's file brings the late row: its open item becomes a match
        Path nextDay = dataDir.resolve("report-" + day.plusDays(1) + ".csv");
        SettlementReportFile.write(nextDay, report.lateRows(), List.of());
        try (SettlementImporter importer =
                new SettlementImporter(platform.kafkaConnection(), topics, Clock.systemUTC())) {
            assertThat(importer.importFile(nextDay, "ops").rows()).isEqualTo(1);
            awaitItems(all -> category(all, lateItem) == ReconciliationCategory.MATCHED);

            // importing the first file again changes nothing
            int recordsBefore =
                    TopicIo.readAll(platform.kafkaConnection(), topics.settlementRecords()).size();
            SettlementImporter.Result again = importer.importFile(file, "ops");
            assertThat(again.alreadyImported()).isTrue();
            assertThat(TopicIo.readAll(platform.kafkaConnection(), topics.settlementRecords()))
                    .hasSize(recordsBefore);
        }
        assertThat(latest().get(lateItem).getHistory())
                .extracting(ReconciliationStep::getCategory)
                .containsExactly(
                        ReconciliationCategory.AWAITING_SETTLEMENT, ReconciliationCategory.MATCHED);

        // when the window has passed, the missing ones are exceptions
        items =
                awaitItems(
                        all ->
                                flaws.get("missing").stream()
                                                .allMatch(
                                                        id ->
                                                                category(all, id)
                                                                        == ReconciliationCategory
                                                                                .MISSING_IN_SETTLEMENT)
                                        && flaws.get("unknown").stream()
                                                .allMatch(
                                                        id ->
                                                                category(all, id)
                                                                        == ReconciliationCategory
                                                                                .MISSING_IN_LEDGER));
        Set<String> flawed = new HashSet<>();
        flaws.forEach((k, v) -> flawed.addAll(v));
        flawed.remove(lateItem);
        for (ReconciliationItem i : items.values()) {
            if (!flawed.contains(i.getItemId())) {
                assertThat(i.getCategory())
                        .as(i.getItemId())
                        .isEqualTo(ReconciliationCategory.MATCHED);
            }
        }
        assertThat(items).hasSize(23 + 2);

        // the report counts each flaw in its category with the right amounts
        List<ReconciliationItem> ofDay =
                items.values().stream().filter(i -> i.getDay().equals(day.toString())).toList();
        ReconciliationReport.Written written =
                ReconciliationReport.write(
                        dataDir.resolve("recon-report"), day.toString(), ofDay, Instant.now());
        JsonNode summary = json.readTree(written.json().toFile());
        JsonNode categories = summary.get("categories");
        assertThat(categories.at("/AMOUNT_MISMATCH/count").asInt()).isEqualTo(1);
        assertThat(categories.at("/CURRENCY_MISMATCH/count").asInt()).isEqualTo(1);
        assertThat(categories.at("/DUPLICATE/count").asInt()).isEqualTo(1);
        assertThat(categories.at("/MISSING_IN_SETTLEMENT/count").asInt()).isEqualTo(2);
        assertThat(categories.at("/MISSING_IN_LEDGER/count").asInt()).isEqualTo(2);
        long missingAmount = 0;
        for (String id : flaws.get("missing")) {
            missingAmount += items.get(id).getLedgerAmount();
        }
        assertThat(categories.at("/MISSING_IN_SETTLEMENT/amounts/EUR").asLong())
                .isEqualTo(missingAmount);
        assertThat(Files.readString(written.markdown())).contains(amountItem, currencyItem);

        // merchants see their own items; operators see all, and resolve exceptions
        JsonNode mine = api.getJson(merchantKey, "/v1/reconciliation?date=" + day);
        JsonNode all = api.getJson(operatorKey, "/v1/reconciliation?date=" + day);
        assertThat(all.get("data").size()).isEqualTo(ofDay.size());
        assertThat(mine.get("data").size()).isEqualTo(ofDay.size() - 2);
        assertThat(mine.at("/counts/MISSING_IN_LEDGER").isMissingNode()).isTrue();
        HttpResponse<String> resolved =
                api.post(
                        operatorKey,
                        "/v1/reconciliation/resolutions",
                        json.writeValueAsString(
                                Map.of(
                                        "item_id",
                                        amountItem,
                                        "note",
                                        "provider confirmed the ledger amount")));
        assertThat(resolved.statusCode()).as(resolved.body()).isEqualTo(202);
        assertThat(
                        api.post(
                                        merchantKey,
                                        "/v1/reconciliation/resolutions",
                                        "{\"item_id\": \"x\", \"note\": \"y\"}")
                                .statusCode())
                .as("a merchant cannot resolve")
                .isEqualTo(401);
        awaitItems(
                m ->
                        m.get(amountItem).getStatus() == ReconciliationStatus.RESOLVED
                                && "provider confirmed the ledger amount"
                                        .equals(m.get(amountItem).getResolution()));
        ApiCalls.await(
                "the resolution is audited",
                () ->
                        TopicIo.readAll(platform.kafkaConnection(), topics.audit()).stream()
                                .anyMatch(
                                        r ->
                                                r.value()
                                                                .getAction()
                                                                .equals("reconciliation.resolve")
                                                        && r.value()
                                                                .getSubject()
                                                                .equals(amountItem)));
        assertThat(
                        TopicIo.readAll(platform.kafkaConnection(), topics.settlementQuarantine())
                                .size())
                .as("the malformed row is quarantined once")
                .isEqualTo(1);
    }

    // ---- helpers ----

    private static String pay(long amount, int i) throws Exception {
        return api.capturedCardPayment(
                merchantKey,
                amount,
                ApiCalls.card("424242000000", i),
                """
                {"id": "cus_%d", "email": "c%d@example.com", "ip": "198.51.100.%d", "country": "DE"}
                """
                        .formatted(i, i, 10 + i));
    }

    private static ReconciliationCategory category(Map<String, ReconciliationItem> m, String id) {
        ReconciliationItem i = m.get(id);
        return i == null ? null : i.getCategory();
    }

    private static SettlementReportFile.Row row(List<SettlementReportFile.Row> rows, String id) {
        return rows.stream()
                .filter(r -> (r.paymentId() + "/" + r.operationId()).equals(id))
                .findFirst()
                .orElseThrow();
    }

    private static Map<String, ReconciliationItem> latest() {
        Map<String, ReconciliationItem> m = new LinkedHashMap<>();
        for (var r : TopicIo.readAll(platform.kafkaConnection(), topics.reconciliationItems())) {
            if (r.value() != null) {
                m.put(r.key(), r.value());
            }
        }
        return m;
    }

    private static Map<String, ReconciliationItem> awaitItems(
            Predicate<Map<String, ReconciliationItem>> done) throws InterruptedException {
        long deadline = System.nanoTime() + WINDOW.plusSeconds(30).toNanos();
        Map<String, ReconciliationItem> m = Map.of();
        while (System.nanoTime() < deadline) {
            m = latest();
            if (done.test(m)) {
                return m;
            }
            Thread.sleep(250);
        }
        Map<String, String> seen = new HashMap<>();
        m.forEach((k, v) -> seen.put(k, v.getStatus() + "/" + v.getCategory()));
        throw new AssertionError("reconciliation did not get there; items: " + seen);
    }

    private static List<JournalEntry> awaitJournal(int movements) throws Exception {
        Path file = ProviderJournal.file(dataDir.resolve("providers"), PROVIDER);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            List<JournalEntry> entries = ProviderJournal.read(file);
            long n =
                    entries.stream()
                            .filter(
                                    e ->
                                            e.operation() == JournalEntry.Operation.CAPTURE
                                                    || e.operation()
                                                            == JournalEntry.Operation.REFUND)
                            .count();
            if (n >= movements) {
                return entries;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "the provider confirmed " + n + " of " + movements + " movements");
            }
            Thread.sleep(100);
        }
    }
}
