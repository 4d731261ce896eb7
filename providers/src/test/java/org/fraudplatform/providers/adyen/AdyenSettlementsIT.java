package org.fraudplatform.providers.adyen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fraudplatform.providers.adyen.AdyenConnectorIT.card;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.fraudplatform.providers.WebhookReceipt;
import org.fraudplatform.providers.connectors.SettlementFetch;
import org.fraudplatform.providers.http.Secret;
import org.fraudplatform.reconciliation.settlement.SettlementReportFile;
import org.fraudplatform.reconciliation.settlement.SettlementReportFile.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A day's settlement fetched from the local Adyen: its batch closes, the report is announced by a
 * signed {@code REPORT_AVAILABLE} notification and downloaded with the report user's credentials.
 */
class AdyenSettlementsIT {

    private static final LocalDate DAY = LocalDate.parse("2026-03-02");
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final String VISA = "4111111145551142";

    @TempDir Path inbox;

    private final AtomicReference<Instant> now = new AtomicReference<>(T0);
    private final FakeAdyen adyen = new FakeAdyen(now::get);
    private final AdyenSettings settings =
            new AdyenSettings(
                    "adyen",
                    adyen.uri(),
                    Secret.of(FakeAdyen.API_KEY),
                    FakeAdyen.MERCHANT,
                    Secret.of(FakeAdyen.HMAC_KEY),
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(5),
                    true);
    private final AdyenConnector connector = new AdyenConnector(settings);
    private final AdyenSettlements settlements =
            new AdyenSettlements(
                    settings,
                    new AdyenSettlements.ReportAccess(
                            adyen.reports(),
                            FakeAdyen.REPORT_USER,
                            Secret.of(FakeAdyen.REPORT_PASSWORD),
                            null));
    private final AdyenNotifications notifications =
            new AdyenNotifications(connector, Secret.of(FakeAdyen.HMAC_KEY), settlements);

    AdyenSettlementsIT() throws IOException {}

    @AfterEach
    void stop() {
        adyen.close();
    }

    @Test
    void shouldSettleTheDaysCapturesAndRefundsUnderTheLedgersIds() {
        // given a capture and a partial refund, and the batch closed and announced that day
        String psp = authorized("pay_1", 2_500);
        await(connector.capture(psp, 2_500, "EUR", "cap-1"));
        now.set(T0.plusSeconds(60));
        await(connector.refund(psp, 1_000, "EUR", "ref-1"));
        now.set(T0.plus(Duration.ofHours(12)));
        String report = adyen.closeBatch();
        deliver("REPORT_AVAILABLE");

        // when the day is fetched
        List<Row> rows = await(settlements.fetch(DAY));

        // then one row per movement, named as the ledger names it, and nothing else
        ObjectNode capture = adyen.modifications().get(0);
        ObjectNode refund = adyen.modifications().get(1);
        assertThat(report).isEqualTo("settlement_detail_report_batch_1.csv");
        assertThat(rows)
                .containsExactly(
                        new Row(
                                "adyen",
                                DAY,
                                "capture",
                                "pay_1",
                                "cap-1",
                                capture.path("pspReference").asText(),
                                2_500,
                                "EUR",
                                // markup 0.11 + scheme fees 0.02 + interchange 0.3 % of 25.00
                                11 + 2 + 8,
                                T0),
                        new Row(
                                "adyen",
                                DAY,
                                "refund",
                                "pay_1",
                                "ref-1",
                                refund.path("pspReference").asText(),
                                1_000,
                                "EUR",
                                0,
                                T0.plusSeconds(60)));
    }

    @Test
    void shouldSettleAnAutomaticCaptureUnderTheAutomaticCapturesId() {
        AdyenConnector automatic =
                new AdyenConnector(
                        new AdyenSettings(
                                "adyen",
                                adyen.uri(),
                                Secret.of(FakeAdyen.API_KEY),
                                FakeAdyen.MERCHANT,
                                null,
                                Duration.ofSeconds(5),
                                Duration.ofSeconds(5),
                                false));
        await(automatic.authorize(card("pay_auto", 4_200, VISA)));
        adyen.closeBatch();
        deliver("REPORT_AVAILABLE");

        assertThat(await(settlements.fetch(DAY)))
                .extracting(Row::itemId, Row::amount)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("pay_auto/capture", 4_200L));
    }

    @Test
    void shouldDownloadWithAReportApiKeyInsteadOfTheReportUser() {
        AdyenSettlements withKey =
                new AdyenSettlements(
                        settings,
                        new AdyenSettlements.ReportAccess(
                                adyen.reports(), null, null, Secret.of(FakeAdyen.REPORT_API_KEY)));
        await(connector.capture(authorized("pay_2", 1_000), 1_000, "EUR", "cap"));
        withKey.announce(adyen.closeBatch(), T0);

        assertThat(await(withKey.fetch(DAY))).extracting(Row::itemId).containsExactly("pay_2/cap");
    }

    @Test
    void shouldFailTheDayWhenAdyenRefusesTheReportUser() {
        AdyenSettlements wrongPassword =
                new AdyenSettlements(
                        settings,
                        new AdyenSettlements.ReportAccess(
                                adyen.reports(), FakeAdyen.REPORT_USER, Secret.of("guess"), null));
        wrongPassword.announce(adyen.closeBatch(), T0);

        assertThatThrownBy(() -> wrongPassword.fetch(DAY).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining(
                        "Adyen answered 401 for settlement_detail_report_batch_1.csv");
    }

    @Test
    void shouldFetchOnlyTheBatchesAnnouncedThatDay() {
        await(connector.capture(authorized("pay_before", 1_000), 1_000, "EUR", "cap"));
        now.set(T0.minus(Duration.ofDays(1)));
        adyen.closeBatch();
        now.set(T0);
        await(connector.capture(authorized("pay_today", 1_000), 1_000, "EUR", "cap"));
        adyen.closeBatch();
        adyen.notifications("REPORT_AVAILABLE").forEach(n -> notifications.receive(bytes(n)));

        assertThat(settlements.batches(DAY)).containsExactly(2);
        assertThat(await(settlements.fetch(DAY)))
                .extracting(Row::paymentId)
                .containsExactly("pay_today");
        assertThat(adyen.downloads("settlement_detail_report_batch_1.csv")).isZero();
    }

    @Test
    void shouldIgnoreReportsThatAreNoSettlementDetailsReport() {
        adyen.publishReport("received_payments_report_2026_03_02.csv", "whatever\n");

        List<WebhookReceipt> receipts = deliver("REPORT_AVAILABLE");

        assertThat(receipts).singleElement().isInstanceOf(WebhookReceipt.Acknowledged.class);
        assertThat(settlements.batches(DAY)).isEmpty();
        assertThat(await(settlements.fetch(DAY))).isEmpty();
        assertThat(adyen.downloads("received_payments_report_2026_03_02.csv")).isZero();
    }

    @Test
    void shouldWriteTheSameReportWhenTheDayIsFetchedAgain() {
        await(connector.capture(authorized("pay_1", 2_500), 2_500, "EUR", "cap-1"));
        settlements.announce(adyen.closeBatch(), T0);

        byte[] first =
                SettlementReportFile.toCsv(await(settlements.fetch(DAY)))
                        .getBytes(StandardCharsets.UTF_8);
        byte[] again =
                SettlementReportFile.toCsv(await(settlements.fetch(DAY)))
                        .getBytes(StandardCharsets.UTF_8);

        assertThat(again).isEqualTo(first);
        assertThat(SettlementReportFile.parse("adyen-2026-03-02.csv", first, T0).quarantined())
                .isEmpty();
    }

    @Test
    void shouldWriteNothingOfADayWhenOneOfItsReportsIsMalformed() throws Exception {
        // given two announced batches, the second one malformed
        await(connector.capture(authorized("pay_1", 2_500), 2_500, "EUR", "cap-1"));
        settlements.announce(adyen.closeBatch(), T0);
        String header = String.join(",", AdyenSettlementReport.STANDARD_COLUMNS);
        settlements.announce(
                adyen.publishReport(
                        "settlement_detail_report_batch_2.csv",
                        header
                                + "\nFraudPlatform,FraudPlatformECOM,8815,pay_2,visa,2026-03-02"
                                + " 11:00:00,CET,Settled,8816,EUR,,12.345,1,EUR,,12.00,,,,,visa,cap,2\n"),
                T0);
        SettlementFetch fetch =
                new SettlementFetch(
                        List.of(source()),
                        inbox,
                        LocalTime.of(4, 0),
                        Clock.fixed(T0.plus(Duration.ofHours(18)), ZoneOffset.UTC),
                        Duration.ofMinutes(1),
                        Duration.ofHours(1));

        // when the day is fetched
        int written = fetch.runDue();

        // then the day failed whole: nothing in the inbox, a failure counted
        assertThat(written).isZero();
        assertThat(fetch.failures()).isEqualTo(1);
        try (var files = Files.list(inbox)) {
            assertThat(files).isEmpty();
        }
        assertThatThrownBy(() -> settlements.fetch(DAY).get(10, TimeUnit.SECONDS))
                .hasMessageContaining(
                        "settlement_detail_report_batch_2.csv line 2, column 'Gross Credit (GC)':"
                                + " '12.345' has more decimals than EUR has (2)");
    }

    @Test
    void shouldFailTheDayWhileAdyenCannotServeAReport() {
        settlements.announce(adyen.closeBatch(), T0);
        adyen.failNextDownloads(1);

        assertThatThrownBy(() -> settlements.fetch(DAY).get(10, TimeUnit.SECONDS))
                .hasMessageContaining("Adyen answered 500");
        assertThat(await(settlements.fetch(DAY))).isEmpty();
        assertThat(adyen.downloads("settlement_detail_report_batch_1.csv")).isEqualTo(2);
    }

    @Test
    void shouldStillFetchAReportAnnouncedBeforeARestart() throws Exception {
        // given an announcement taken by a platform that then stops
        Path memory = inbox.resolve("state/adyen-settlement-reports.txt");
        AdyenSettlements before = settlements(memory);
        await(connector.capture(authorized("pay_1", 2_500), 2_500, "EUR", "cap-1"));
        adyen.closeBatch();
        new AdyenNotifications(connector, Secret.of(FakeAdyen.HMAC_KEY), before)
                .receive(bytes(adyen.notifications("REPORT_AVAILABLE").get(0)));

        // when the platform starts again and fetches the day
        AdyenSettlements after = settlements(memory);

        // then the report is fetched with its day
        assertThat(after.batches(DAY)).containsExactly(1);
        assertThat(await(after.fetch(DAY))).extracting(Row::itemId).containsExactly("pay_1/cap-1");
        assertThat(Files.readString(memory)).isEqualTo(DAY + " 1\n");
    }

    @Test
    void shouldRefuseToStartOnAnAnnouncementsFileItCannotRead() throws Exception {
        Path memory = inbox.resolve("adyen-settlement-reports.txt");
        Files.writeString(memory, DAY + " 1\nsettlement_detail_report_batch_2.csv\n");

        assertThatThrownBy(() -> settlements(memory))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(
                        memory
                                + ":2: expected '<day> <batch>', found"
                                + " 'settlement_detail_report_batch_2.csv'");
    }

    private AdyenSettlements settlements(Path memory) {
        return new AdyenSettlements(
                settings,
                new AdyenSettlements.ReportAccess(
                        adyen.reports(),
                        FakeAdyen.REPORT_USER,
                        Secret.of(FakeAdyen.REPORT_PASSWORD),
                        null),
                memory);
    }

    private SettlementFetch.Source source() {
        return new SettlementFetch.Source() {
            @Override
            public String provider() {
                return "adyen";
            }

            @Override
            public CompletableFuture<List<Row>> fetch(LocalDate day) {
                return settlements.fetch(day);
            }
        };
    }

    private List<WebhookReceipt> deliver(String eventCode) {
        List<ObjectNode> sent = adyen.notifications(eventCode);
        return notifications.receive(bytes(sent.get(sent.size() - 1)));
    }

    private static byte[] bytes(ObjectNode delivery) {
        return delivery.toString().getBytes(StandardCharsets.UTF_8);
    }

    private String authorized(String paymentId, long amount) {
        return await(connector.authorize(card(paymentId, amount, VISA))).reference();
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
