package org.fraudplatform.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.fraudplatform.schemas.AuditEvent;
import org.fraudplatform.schemas.DeadLetter;
import org.fraudplatform.schemas.PaymentEvent;
import org.fraudplatform.schemas.PaymentEventType;
import org.fraudplatform.schemas.PaymentMethodType;
import org.fraudplatform.schemas.ReconciliationCategory;
import org.fraudplatform.schemas.ReconciliationItem;
import org.fraudplatform.schemas.ReconciliationResolution;
import org.fraudplatform.schemas.ReconciliationStatus;
import org.fraudplatform.schemas.ReconciliationStep;
import org.fraudplatform.schemas.SettlementRecord;
import org.fraudplatform.schemas.SettlementType;
import org.fraudplatform.schemas.serde.InMemorySchemaRegistry;
import org.fraudplatform.schemas.topics.Topic;
import org.fraudplatform.schemas.topics.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reconciliation topology on the test driver: each kind of difference between the ledger and a
 * settlement report lands in its category, timing differences resolve themselves within the window,
 * and a file imported twice changes nothing.
 */
class ReconciliationTopologyTest {

    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final Duration WINDOW = Duration.ofHours(1);

    private final Topics topics = Topics.create(InMemorySchemaRegistry.inMemory(), 3);
    private TopologyTestDriver driver;
    private TestInputTopic<String, PaymentEvent> events;
    private TestInputTopic<String, SettlementRecord> rows;
    private TestInputTopic<String, ReconciliationResolution> resolutions;
    private TestInputTopic<byte[], byte[]> rawRows;
    private TestOutputTopic<String, ReconciliationItem> items;
    private TestOutputTopic<String, AuditEvent> audit;
    private TestOutputTopic<byte[], DeadLetter> quarantine;
    private final Map<String, ReconciliationItem> latest = new LinkedHashMap<>();
    private int line = 1;

    @BeforeEach
    void start() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "reconciliation-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver =
                new TopologyTestDriver(
                        ReconciliationTopology.build(
                                new ReconciliationSettings(WINDOW, Duration.ofMinutes(1)), topics),
                        props,
                        T0);
        events = input(topics.paymentEvents());
        rows = input(topics.settlementRecords());
        resolutions = input(topics.reconciliationResolutions());
        rawRows =
                driver.createInputTopic(
                        topics.settlementRecords().name(),
                        Serdes.ByteArray().serializer(),
                        Serdes.ByteArray().serializer());
        items = output(topics.reconciliationItems());
        audit = output(topics.audit());
        var q = topics.settlementQuarantine();
        quarantine =
                driver.createOutputTopic(
                        q.name(), q.keySerde().deserializer(), q.valueSerde().deserializer());
    }

    @AfterEach
    void close() {
        driver.close();
    }

    private <V> TestInputTopic<String, V> input(Topic<String, V> t) {
        return driver.createInputTopic(
                t.name(), t.keySerde().serializer(), t.valueSerde().serializer());
    }

    private <V> TestOutputTopic<String, V> output(Topic<String, V> t) {
        return driver.createOutputTopic(
                t.name(), t.keySerde().deserializer(), t.valueSerde().deserializer());
    }

    private Map<String, ReconciliationItem> items() {
        items.readValuesToList().forEach(i -> latest.put(i.getItemId(), i));
        return latest;
    }

    private ReconciliationItem item(String id) {
        return items().get(id);
    }

    private void ledger(PaymentEventType type, String paymentId, String op, long amount) {
        events.pipeInput(
                paymentId,
                PaymentEvent.newBuilder()
                        .setEventId(paymentId + "-" + type + "-" + op)
                        .setPaymentId(paymentId)
                        .setMerchantId("m1")
                        .setType(type)
                        .setAmount(amount)
                        .setCurrency("EUR")
                        .setInstrumentKey("tok")
                        .setPaymentMethod(PaymentMethodType.CARD)
                        .setOperationId(op)
                        .setProvider(type == PaymentEventType.AUTHORIZED ? "sim-a" : "sim-a")
                        .setProviderReference("ref-" + paymentId)
                        .setEventTime(T0)
                        .build());
    }

    private void captured(String paymentId, long amount) {
        ledger(PaymentEventType.AUTHORIZED, paymentId, null, amount);
        ledger(PaymentEventType.CAPTURED, paymentId, "capture", amount);
    }

    private SettlementRecord row(String paymentId, String op, long amount, String currency) {
        return row("f1", paymentId, op, SettlementType.CAPTURE, amount, currency, 30);
    }

    private SettlementRecord row(
            String file,
            String paymentId,
            String op,
            SettlementType type,
            long amount,
            String currency,
            long fee) {
        int l = ++line;
        return SettlementRecord.newBuilder()
                .setRowId(file + ":" + l)
                .setFileHash(file)
                .setFileName(file + ".csv")
                .setLine(l)
                .setProvider("sim-a")
                .setSettlementDate("2026-03-02")
                .setType(type)
                .setPaymentId(paymentId)
                .setOperationId(op)
                .setAmount(amount)
                .setCurrency(currency)
                .setFee(fee)
                .setBookedAt(T0)
                .setImportedAt(T0)
                .build();
    }

    private void settle(SettlementRecord r) {
        rows.pipeInput(r.getPaymentId(), r);
    }

    @Test
    void shouldMatchAMovementSettledWithTheSameAmountAndCurrency() {
        captured("pay_1", 25_00);
        settle(row("pay_1", "capture", 25_00, "EUR"));

        ReconciliationItem item = item("pay_1/capture");
        assertThat(item.getStatus()).isEqualTo(ReconciliationStatus.MATCHED);
        assertThat(item.getCategory()).isEqualTo(ReconciliationCategory.MATCHED);
        assertThat(item.getMerchantId()).isEqualTo("m1");
        assertThat(item.getFee()).isEqualTo(30);
        assertThat(item.getHistory())
                .extracting(ReconciliationStep::getCategory)
                .containsExactly(
                        ReconciliationCategory.AWAITING_SETTLEMENT, ReconciliationCategory.MATCHED);
        assertThat(items()).as("an authorization is no money movement").hasSize(1);
    }

    @Test
    void shouldClassifyEachDifferenceOnceBothSidesAreThere() {
        captured("pay_amount", 25_00);
        captured("pay_currency", 25_00);
        captured("pay_dup", 25_00);
        settle(row("pay_amount", "capture", 25_10, "EUR"));
        settle(row("pay_currency", "capture", 25_00, "USD"));
        settle(row("pay_dup", "capture", 25_00, "EUR"));
        settle(row("pay_dup", "capture", 25_00, "EUR"));

        assertThat(item("pay_amount/capture").getCategory())
                .isEqualTo(ReconciliationCategory.AMOUNT_MISMATCH);
        assertThat(item("pay_amount/capture").getSettledAmount()).isEqualTo(25_10);
        assertThat(item("pay_currency/capture").getCategory())
                .isEqualTo(ReconciliationCategory.CURRENCY_MISMATCH);
        assertThat(item("pay_dup/capture").getCategory())
                .isEqualTo(ReconciliationCategory.DUPLICATE);
        assertThat(item("pay_dup/capture").getFee()).as("the provider charged twice").isEqualTo(60);
        assertThat(items().values())
                .extracting(ReconciliationItem::getStatus)
                .containsOnly(ReconciliationStatus.EXCEPTION);
    }

    @Test
    void shouldWaitForTheOtherSideUntilTheWindowClosesThenRaiseAnException() {
        captured("pay_unsettled", 25_00);
        ledger(PaymentEventType.AUTHORIZED, "pay_voided", null, 40_00);
        ledger(PaymentEventType.VOIDED, "pay_voided", "void", 40_00);
        settle(row("pay_voided", "capture", 40_00, "EUR"));
        settle(row("pay_never_seen", "capture", 12_00, "EUR"));

        assertThat(items().values())
                .extracting(ReconciliationItem::getStatus)
                .containsOnly(ReconciliationStatus.OPEN);
        assertThat(item("pay_never_seen/capture").getCategory())
                .isEqualTo(ReconciliationCategory.AWAITING_LEDGER);

        driver.advanceWallClockTime(WINDOW.plusMinutes(1));

        assertThat(item("pay_unsettled/capture").getCategory())
                .isEqualTo(ReconciliationCategory.MISSING_IN_SETTLEMENT);
        assertThat(item("pay_voided/capture").getCategory())
                .as("the ledger knows the payment, but not as captured")
                .isEqualTo(ReconciliationCategory.STATUS_MISMATCH);
        assertThat(item("pay_never_seen/capture").getCategory())
                .isEqualTo(ReconciliationCategory.MISSING_IN_LEDGER);
        assertThat(item("pay_never_seen/capture").getMerchantId()).isNull();
        assertThat(items().values())
                .extracting(ReconciliationItem::getStatus)
                .containsOnly(ReconciliationStatus.EXCEPTION);
    }

    @Test
    void shouldTurnALateRowIntoAMatchAndKeepTheExceptionInTheHistory() {
        captured("pay_late", 25_00);
        driver.advanceWallClockTime(WINDOW.plusMinutes(1));
        assertThat(item("pay_late/capture").getCategory())
                .isEqualTo(ReconciliationCategory.MISSING_IN_SETTLEMENT);

        SettlementRecord late =
                SettlementRecord.newBuilder(row("pay_late", "capture", 25_00, "EUR"))
                        .setSettlementDate("2026-03-03")
                        .build();
        settle(late);

        ReconciliationItem item = item("pay_late/capture");
        assertThat(item.getStatus()).isEqualTo(ReconciliationStatus.MATCHED);
        assertThat(item.getDay()).isEqualTo("2026-03-03");
        assertThat(item.getHistory())
                .extracting(ReconciliationStep::getCategory)
                .containsExactly(
                        ReconciliationCategory.AWAITING_SETTLEMENT,
                        ReconciliationCategory.MISSING_IN_SETTLEMENT,
                        ReconciliationCategory.MATCHED);
    }

    @Test
    void shouldMatchWhenTheRowArrivesBeforeTheLedgerEvent() {
        settle(row("pay_early", "capture", 25_00, "EUR"));
        assertThat(item("pay_early/capture").getCategory())
                .isEqualTo(ReconciliationCategory.AWAITING_LEDGER);

        captured("pay_early", 25_00);

        assertThat(item("pay_early/capture").getStatus()).isEqualTo(ReconciliationStatus.MATCHED);
    }

    @Test
    void shouldChangeNothingWhenTheSameFileIsImportedAgain() {
        captured("pay_1", 25_00);
        SettlementRecord r = row("pay_1", "capture", 25_00, "EUR");
        settle(r);
        items();
        int changes = item("pay_1/capture").getHistory().size();

        settle(r);

        assertThat(items.isEmpty()).as("no new item state").isTrue();
        assertThat(latest.get("pay_1/capture").getHistory()).hasSize(changes);
        assertThat(latest.get("pay_1/capture").getFee()).isEqualTo(30);
    }

    @Test
    void shouldReconcileRefundsAsTheirOwnMovements() {
        captured("pay_r", 50_00);
        ledger(PaymentEventType.REFUNDED, "pay_r", "ref_1", 20_00);
        settle(row("pay_r", "capture", 50_00, "EUR"));
        settle(row("f1", "pay_r", "ref_1", SettlementType.REFUND, 20_00, "EUR", 0));

        assertThat(item("pay_r/ref_1").getType()).isEqualTo(SettlementType.REFUND);
        assertThat(item("pay_r/ref_1").getStatus()).isEqualTo(ReconciliationStatus.MATCHED);
        assertThat(item("pay_r/capture").getStatus()).isEqualTo(ReconciliationStatus.MATCHED);
    }

    @Test
    void shouldResolveAnExceptionWithWhoAndWhyAndAuditIt() {
        captured("pay_amount", 25_00);
        settle(row("pay_amount", "capture", 25_10, "EUR"));

        resolutions.pipeInput(
                "pay_amount",
                ReconciliationResolution.newBuilder()
                        .setItemId("pay_amount/capture")
                        .setResolvedBy("analyst@example")
                        .setNote("provider fee booked on the amount; credit note requested")
                        .setAt(T0)
                        .build());

        ReconciliationItem item = item("pay_amount/capture");
        assertThat(item.getStatus()).isEqualTo(ReconciliationStatus.RESOLVED);
        assertThat(item.getCategory()).isEqualTo(ReconciliationCategory.AMOUNT_MISMATCH);
        assertThat(item.getResolvedBy()).isEqualTo("analyst@example");
        AuditEvent a = audit.readValue();
        assertThat(a.getAction()).isEqualTo("reconciliation.resolve");
        assertThat(a.getActor()).isEqualTo("analyst@example");
        assertThat(a.getSubject()).isEqualTo("pay_amount/capture");
    }

    @Test
    void shouldRefuseToResolveWhatIsNoExceptionAndSayWhy() {
        captured("pay_ok", 25_00);
        settle(row("pay_ok", "capture", 25_00, "EUR"));

        for (String id : List.of("pay_ok/capture", "pay_ok/nothing")) {
            resolutions.pipeInput(
                    "pay_ok",
                    ReconciliationResolution.newBuilder()
                            .setItemId(id)
                            .setResolvedBy("analyst@example")
                            .setNote("?")
                            .setAt(T0)
                            .build());
        }

        assertThat(quarantine.readValuesToList())
                .extracting(DeadLetter::getError)
                .containsExactly(
                        "resolution refused: pay_ok/capture is matched, not an exception",
                        "resolution refused: no reconciliation item pay_ok/nothing");
        assertThat(item("pay_ok/capture").getStatus()).isEqualTo(ReconciliationStatus.MATCHED);
        assertThat(audit.isEmpty()).isTrue();
    }

    @Test
    void shouldQuarantineGeneratedBytesOnEveryConsumedTopicWithAReasonAndGoOn() {
        java.util.Random random = new java.util.Random(20_261_208L);
        List<String> consumed =
                List.of(
                        topics.paymentEvents().name(),
                        topics.settlementRecords().name(),
                        topics.reconciliationResolutions().name());
        for (String topic : consumed) {
            TestInputTopic<byte[], byte[]> raw =
                    driver.createInputTopic(
                            topic,
                            Serdes.ByteArray().serializer(),
                            Serdes.ByteArray().serializer());
            for (int i = 0; i < 200; i++) {
                byte[] key = new byte[random.nextInt(25)];
                byte[] value = new byte[1 + random.nextInt(300)];
                random.nextBytes(key);
                random.nextBytes(value);
                raw.pipeInput(key, value, T0.plusMillis(i));
            }
        }
        captured("pay_after", 25_00);

        List<DeadLetter> letters = quarantine.readValuesToList();
        assertThat(
                        letters.stream()
                                .collect(
                                        java.util.stream.Collectors.groupingBy(
                                                DeadLetter::getTopic,
                                                java.util.stream.Collectors.counting())))
                .as("each generated record quarantined under its topic")
                .isEqualTo(
                        Map.of(
                                consumed.get(0),
                                200L,
                                consumed.get(1),
                                200L,
                                consumed.get(2),
                                200L));
        assertThat(letters).allSatisfy(d -> assertThat(d.getError()).isNotBlank());
        assertThat(item("pay_after/capture")).isNotNull();
        assertThat(audit.isEmpty()).isTrue();
    }

    @Test
    void shouldQuarantineARecordThatDoesNotDecodeAndGoOn() {
        rawRows.pipeInput("pay_x".getBytes(), new byte[] {1, 2, 3});
        captured("pay_1", 25_00);

        assertThat(quarantine.readValuesToList())
                .singleElement()
                .satisfies(d -> assertThat(d.getError()).startsWith("cannot decode value"));
        assertThat(item("pay_1/capture")).isNotNull();
    }
}
