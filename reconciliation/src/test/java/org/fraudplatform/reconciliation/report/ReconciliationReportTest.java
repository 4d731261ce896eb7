package org.fraudplatform.reconciliation.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fraudplatform.reconciliation.report.ReconciliationReport.CategoryFigures;
import org.fraudplatform.reconciliation.report.ReconciliationReport.CurrencyFigures;
import org.fraudplatform.reconciliation.report.ReconciliationReport.OpenException;
import org.fraudplatform.reconciliation.report.ReconciliationReport.ProviderFigures;
import org.fraudplatform.reconciliation.report.ReconciliationReport.Summary;
import org.fraudplatform.reconciliation.report.ReconciliationReport.Written;
import org.fraudplatform.schemas.ReconciliationCategory;
import org.fraudplatform.schemas.ReconciliationItem;
import org.fraudplatform.schemas.ReconciliationStatus;
import org.fraudplatform.schemas.ReconciliationStep;
import org.fraudplatform.schemas.SettlementType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReconciliationReportTest {

    private static final String DAY = "2025-03-14";
    private static final Instant GENERATED = Instant.parse("2025-03-15T06:30:00Z");
    private static final Instant UPDATED = Instant.parse("2025-03-14T22:00:00Z");

    private static final String NORTH = "northpay";
    private static final String SOUTH = "southpay";
    private static final String EUR = "EUR";
    private static final String USD = "USD";

    private static final ReconciliationCategory AWAITING_SETTLEMENT =
            ReconciliationCategory.AWAITING_SETTLEMENT;
    private static final ReconciliationCategory AWAITING_LEDGER =
            ReconciliationCategory.AWAITING_LEDGER;
    private static final ReconciliationCategory MATCHED = ReconciliationCategory.MATCHED;
    private static final ReconciliationCategory AMOUNT_MISMATCH =
            ReconciliationCategory.AMOUNT_MISMATCH;
    private static final ReconciliationCategory CURRENCY_MISMATCH =
            ReconciliationCategory.CURRENCY_MISMATCH;
    private static final ReconciliationCategory STATUS_MISMATCH =
            ReconciliationCategory.STATUS_MISMATCH;
    private static final ReconciliationCategory MISSING_IN_SETTLEMENT =
            ReconciliationCategory.MISSING_IN_SETTLEMENT;
    private static final ReconciliationCategory MISSING_IN_LEDGER =
            ReconciliationCategory.MISSING_IN_LEDGER;
    private static final ReconciliationCategory DUPLICATE = ReconciliationCategory.DUPLICATE;

    private static final String SCRIPT_MERCHANT = "<script>alert('x')</script>";

    @TempDir Path dir;

    /**
     * Every category over two providers and two currencies. Amounts in minor units; the expected
     * figures in the tests below are summed by hand from this list.
     */
    private static List<ReconciliationItem> day() {
        List<ReconciliationItem> items = new ArrayList<>();
        // 1: captured in the ledger, the provider still has time to settle it
        items.add(
                item("p01/c1", NORTH, ReconciliationStatus.OPEN, AWAITING_SETTLEMENT)
                        .setLedgerAmount(1000L)
                        .setLedgerCurrency(EUR)
                        .build());
        // 2: settled, the ledger may still catch up
        items.add(
                item("p02/c1", SOUTH, ReconciliationStatus.OPEN, AWAITING_LEDGER)
                        .setMerchantId(null)
                        .setSettledAmount(2000L)
                        .setSettledCurrency(USD)
                        .setFee(30)
                        .build());
        items.add(matched("p03/c1", NORTH, 5000, EUR, 50));
        items.add(matched("p04/c1", SOUTH, 700, USD, 10));
        // AMOUNT_MISMATCH: given in reverse item order, listed by item id
        items.add(
                item("p06/c1", NORTH, ReconciliationStatus.EXCEPTION, AMOUNT_MISMATCH)
                        .setLedgerAmount(1200L)
                        .setLedgerCurrency(EUR)
                        .setSettledAmount(1150L)
                        .setSettledCurrency(EUR)
                        .setSettlementRows(List.of("f1:6"))
                        .setFee(12)
                        .setHistory(
                                List.of(
                                        step(ReconciliationStatus.OPEN, AWAITING_SETTLEMENT, "new"),
                                        step(
                                                ReconciliationStatus.EXCEPTION,
                                                AMOUNT_MISMATCH,
                                                "settled 11.50 EUR, ledger 12.00 EUR")))
                        .build());
        items.add(
                item("p05/c1", SOUTH, ReconciliationStatus.EXCEPTION, AMOUNT_MISMATCH)
                        .setLedgerAmount(300L)
                        .setLedgerCurrency(USD)
                        .setSettledAmount(350L)
                        .setSettledCurrency(USD)
                        .setSettlementRows(List.of("f2:5"))
                        .setFee(5)
                        .build());
        items.add(
                item("p07/c1", SOUTH, ReconciliationStatus.EXCEPTION, CURRENCY_MISMATCH)
                        .setLedgerAmount(4000L)
                        .setLedgerCurrency(EUR)
                        .setSettledAmount(4400L)
                        .setSettledCurrency(USD)
                        .setSettlementRows(List.of("f2:7"))
                        .setFee(20)
                        .build());
        items.add(
                item("p08/r1", NORTH, ReconciliationStatus.EXCEPTION, STATUS_MISMATCH)
                        .setType(SettlementType.REFUND)
                        .setLedgerAmount(900L)
                        .setLedgerCurrency(EUR)
                        .setSettledAmount(900L)
                        .setSettledCurrency(EUR)
                        .setSettlementRows(List.of("f1:8"))
                        .build());
        items.add(
                item("p09/c1", NORTH, ReconciliationStatus.EXCEPTION, MISSING_IN_SETTLEMENT)
                        .setLedgerAmount(2500L)
                        .setLedgerCurrency(USD)
                        .build());
        items.add(
                item("p10/c1", SOUTH, ReconciliationStatus.EXCEPTION, MISSING_IN_LEDGER)
                        .setMerchantId(null)
                        .setSettledAmount(1800L)
                        .setSettledCurrency(EUR)
                        .setSettlementRows(List.of("f2:10"))
                        .setFee(18)
                        .build());
        items.add(
                item("p11/c1", NORTH, ReconciliationStatus.EXCEPTION, DUPLICATE)
                        .setMerchantId(SCRIPT_MERCHANT)
                        .setLedgerAmount(600L)
                        .setLedgerCurrency(EUR)
                        .setSettledAmount(600L)
                        .setSettledCurrency(EUR)
                        .setSettlementRows(List.of("f1:11", "f3:2"))
                        .setFee(12)
                        .setHistory(
                                List.of(
                                        step(
                                                ReconciliationStatus.EXCEPTION,
                                                DUPLICATE,
                                                "settled twice: f1:11 & f3:2")))
                        .build());
        // resolved, still counted in its category and its provider
        items.add(
                item("p12/c1", SOUTH, ReconciliationStatus.RESOLVED, AMOUNT_MISMATCH)
                        .setLedgerAmount(100L)
                        .setLedgerCurrency(EUR)
                        .setSettledAmount(90L)
                        .setSettledCurrency(EUR)
                        .setSettlementRows(List.of("f2:12"))
                        .setFee(1)
                        .setResolvedBy("analyst-7")
                        .setResolution("provider credits the 0.10 EUR")
                        .build());
        return items;
    }

    private static ReconciliationItem.Builder item(
            String itemId,
            String provider,
            ReconciliationStatus status,
            ReconciliationCategory category) {
        String[] ids = itemId.split("/");
        return ReconciliationItem.newBuilder()
                .setItemId(itemId)
                .setPaymentId(ids[0])
                .setOperationId(ids[1])
                .setMerchantId("m-" + ids[0])
                .setProvider(provider)
                .setType(SettlementType.CAPTURE)
                .setDay(DAY)
                .setStatus(status)
                .setCategory(category)
                .setUpdatedAt(UPDATED);
    }

    private static ReconciliationItem matched(
            String itemId, String provider, long amount, String currency, long fee) {
        return item(itemId, provider, ReconciliationStatus.MATCHED, MATCHED)
                .setLedgerAmount(amount)
                .setLedgerCurrency(currency)
                .setSettledAmount(amount)
                .setSettledCurrency(currency)
                .setSettlementRows(List.of("f:" + itemId))
                .setFee(fee)
                .build();
    }

    private static ReconciliationStep step(
            ReconciliationStatus status, ReconciliationCategory category, String note) {
        return ReconciliationStep.newBuilder()
                .setAt(UPDATED)
                .setStatus(status)
                .setCategory(category)
                .setNote(note)
                .build();
    }

    private static String read(Path file) throws Exception {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- figures

    @Test
    void shouldCountEveryCategoryInTheEnumsOrderWithItsAmountPerCurrency() {
        Summary s = ReconciliationReport.summarize(day());

        assertThat(s.items()).isEqualTo(12);
        assertThat(s.categories().keySet()).containsExactly(ReconciliationCategory.values());
        assertThat(s.categories().get(AWAITING_SETTLEMENT))
                .isEqualTo(new CategoryFigures(1, Map.of(EUR, 1000L), Map.of()));
        // no ledger amount: the settled amount counts
        assertThat(s.categories().get(AWAITING_LEDGER).count()).isEqualTo(1);
        assertThat(s.categories().get(AWAITING_LEDGER).amounts())
                .containsExactly(entry(USD, 2000L));
        assertThat(s.categories().get(MATCHED).count()).isEqualTo(2);
        assertThat(s.categories().get(MATCHED).amounts())
                .containsExactly(entry(EUR, 5000L), entry(USD, 700L));
        assertThat(s.categories().get(AMOUNT_MISMATCH).count()).isEqualTo(3);
        assertThat(s.categories().get(AMOUNT_MISMATCH).amounts())
                .containsExactly(entry(EUR, 1300L), entry(USD, 300L));
        // a currency mismatch counts in the ledger's currency
        assertThat(s.categories().get(CURRENCY_MISMATCH).amounts())
                .containsExactly(entry(EUR, 4000L));
        assertThat(s.categories().get(STATUS_MISMATCH).amounts()).containsExactly(entry(EUR, 900L));
        assertThat(s.categories().get(MISSING_IN_SETTLEMENT).amounts())
                .containsExactly(entry(USD, 2500L));
        assertThat(s.categories().get(MISSING_IN_LEDGER).amounts())
                .containsExactly(entry(EUR, 1800L));
        assertThat(s.categories().get(DUPLICATE).amounts()).containsExactly(entry(EUR, 600L));
        int total = 0;
        for (CategoryFigures f : s.categories().values()) {
            total += f.count();
        }
        assertThat(total).isEqualTo(12);
    }

    @Test
    void shouldSumTheAmountMismatchesAsSettledMinusLedgerPerCurrency() {
        Summary s = ReconciliationReport.summarize(day());

        // EUR: (1150 - 1200) + (90 - 100); USD: 350 - 300
        assertThat(s.categories().get(AMOUNT_MISMATCH).differences())
                .containsExactly(entry(EUR, -60L), entry(USD, 50L));
        for (ReconciliationCategory c : ReconciliationCategory.values()) {
            if (c != AMOUNT_MISMATCH) {
                assertThat(s.categories().get(c).differences()).as(c.name()).isEmpty();
            }
        }
    }

    @Test
    void shouldCountEachProviderByStatusWithItsLedgerAndSettledAmounts() {
        Summary s = ReconciliationReport.summarize(day());

        assertThat(s.providers().keySet()).containsExactly(NORTH, SOUTH);
        ProviderFigures north = s.providers().get(NORTH);
        assertThat(north.count()).isEqualTo(6);
        assertThat(north.matched()).isEqualTo(1);
        assertThat(north.exceptions()).isEqualTo(4);
        assertThat(north.open()).isEqualTo(1);
        assertThat(north.resolved()).isZero();
        assertThat(north.ledger()).containsExactly(entry(EUR, 8700L), entry(USD, 2500L));
        assertThat(north.settled()).containsExactly(entry(EUR, 7650L));

        ProviderFigures south = s.providers().get(SOUTH);
        assertThat(south.count()).isEqualTo(6);
        assertThat(south.matched()).isEqualTo(1);
        assertThat(south.exceptions()).isEqualTo(3);
        assertThat(south.open()).isEqualTo(1);
        assertThat(south.resolved()).isEqualTo(1);
        assertThat(south.ledger()).containsExactly(entry(EUR, 4100L), entry(USD, 1000L));
        assertThat(south.settled()).containsExactly(entry(EUR, 1890L), entry(USD, 7450L));
    }

    @Test
    void shouldCountAnItemWithoutProviderUnderUnknownListedLast() {
        List<ReconciliationItem> items = new ArrayList<>(day());
        items.add(
                item("p13/c1", null, ReconciliationStatus.EXCEPTION, MISSING_IN_LEDGER)
                        .setSettledAmount(40L)
                        .setSettledCurrency(EUR)
                        .setFee(2)
                        .build());

        Summary s = ReconciliationReport.summarize(items);

        assertThat(s.providers().keySet())
                .containsExactly(NORTH, SOUTH, ReconciliationReport.UNKNOWN);
        assertThat(s.providers().get(ReconciliationReport.UNKNOWN).exceptions()).isEqualTo(1);
        assertThat(s.fees().get(ReconciliationReport.UNKNOWN)).containsExactly(entry(EUR, 2L));
    }

    @Test
    void shouldTotalEachCurrencysLedgerAndSettledAmounts() {
        Summary s = ReconciliationReport.summarize(day());

        assertThat(s.currencies().keySet()).containsExactly(EUR, USD);
        // items 1, 3, 6, 7, 8, 10, 11, 12 count in EUR; 2, 4, 5, 9 in USD
        assertThat(s.currencies().get(EUR))
                .isEqualTo(new CurrencyFigures(8, 12_800L, 9_540L, -3_260L));
        assertThat(s.currencies().get(USD))
                .isEqualTo(new CurrencyFigures(4, 3_500L, 7_450L, 3_950L));
    }

    @Test
    void shouldTotalFeesPerProviderInTheSettledCurrency() {
        Summary s = ReconciliationReport.summarize(day());

        assertThat(s.fees().keySet()).containsExactly(NORTH, SOUTH);
        assertThat(s.fees().get(NORTH)).containsExactly(entry(EUR, 74L));
        assertThat(s.fees().get(SOUTH)).containsExactly(entry(EUR, 19L), entry(USD, 65L));
    }

    @Test
    void shouldListOpenExceptionsByCategoryThenItemIdWithTheirLastNote() {
        Summary s = ReconciliationReport.summarize(day());

        assertThat(s.openExceptions())
                .extracting(OpenException::itemId)
                .containsExactly(
                        "p05/c1", "p06/c1", "p07/c1", "p08/r1", "p09/c1", "p10/c1", "p11/c1");
        OpenException mismatch = s.openExceptions().get(1);
        assertThat(mismatch)
                .isEqualTo(
                        new OpenException(
                                "p06/c1",
                                "m-p06",
                                NORTH,
                                AMOUNT_MISMATCH,
                                1200L,
                                EUR,
                                1150L,
                                EUR,
                                1,
                                "settled 11.50 EUR, ledger 12.00 EUR"));
        OpenException duplicate = s.openExceptions().get(6);
        assertThat(duplicate.settlementRows()).isEqualTo(2);
        OpenException missing = s.openExceptions().get(4);
        assertThat(missing.settledAmount()).isNull();
        assertThat(missing.lastNote()).isNull();
    }

    @Test
    void shouldListResolvedItemsWithWhoResolvedThemAndHow() {
        Summary s = ReconciliationReport.summarize(day());

        assertThat(s.resolved())
                .containsExactly(
                        new ReconciliationReport.Resolved(
                                "p12/c1",
                                AMOUNT_MISMATCH,
                                "analyst-7",
                                "provider credits the 0.10 EUR",
                                UPDATED));
    }

    @Test
    void shouldFormatMinorUnitsAsMajorUnitsWithTwoDecimalsAndTheCurrency() {
        assertThat(ReconciliationReport.formatAmount(1234, EUR)).isEqualTo("12.34 EUR");
        assertThat(ReconciliationReport.formatAmount(-60, EUR)).isEqualTo("-0.60 EUR");
        assertThat(ReconciliationReport.formatAmount(5, USD)).isEqualTo("0.05 USD");
        assertThat(ReconciliationReport.formatAmount(123_456_789, USD)).isEqualTo("1234567.89 USD");
    }

    // ---------------------------------------------------------------- files

    @Test
    void shouldWriteTheSameFiguresIntoTheJsonInMinorUnits() throws Exception {
        Written written = ReconciliationReport.write(dir, DAY, day(), GENERATED);

        assertThat(written.json()).isEqualTo(dir.resolve("summary.json"));
        JsonNode json = new ObjectMapper().readTree(written.json().toFile());
        assertThat(json.get("day").asText()).isEqualTo(DAY);
        assertThat(json.get("generated_at").asText()).isEqualTo("2025-03-15T06:30:00Z");
        assertThat(json.get("items").asInt()).isEqualTo(12);

        JsonNode categories = json.get("categories");
        List<String> names = new ArrayList<>();
        categories.fieldNames().forEachRemaining(names::add);
        assertThat(names)
                .containsExactly(
                        Arrays.stream(ReconciliationCategory.values())
                                .map(Enum::name)
                                .toArray(String[]::new));
        assertThat(categories.at("/MATCHED/count").asInt()).isEqualTo(2);
        assertThat(categories.at("/MATCHED/amounts/EUR").asLong()).isEqualTo(5000);
        assertThat(categories.at("/MATCHED/amounts/USD").asLong()).isEqualTo(700);
        assertThat(categories.at("/AMOUNT_MISMATCH/amounts/EUR").asLong()).isEqualTo(1300);
        assertThat(categories.at("/AMOUNT_MISMATCH/differences/EUR").asLong()).isEqualTo(-60);
        assertThat(categories.at("/AMOUNT_MISMATCH/differences/USD").asLong()).isEqualTo(50);

        assertThat(json.at("/providers/northpay/count").asInt()).isEqualTo(6);
        assertThat(json.at("/providers/northpay/exceptions").asInt()).isEqualTo(4);
        assertThat(json.at("/providers/southpay/resolved").asInt()).isEqualTo(1);
        assertThat(json.at("/providers/southpay/settled/USD").asLong()).isEqualTo(7450);
        assertThat(json.at("/providers/northpay/ledger/EUR").asLong()).isEqualTo(8700);

        assertThat(json.at("/currencies/EUR/count").asInt()).isEqualTo(8);
        assertThat(json.at("/currencies/EUR/ledger").asLong()).isEqualTo(12_800);
        assertThat(json.at("/currencies/EUR/settled").asLong()).isEqualTo(9_540);
        assertThat(json.at("/currencies/EUR/difference").asLong()).isEqualTo(-3_260);
        assertThat(json.at("/currencies/USD/difference").asLong()).isEqualTo(3_950);

        assertThat(json.at("/fees/northpay/EUR").asLong()).isEqualTo(74);
        assertThat(json.at("/fees/southpay/USD").asLong()).isEqualTo(65);
        assertThat(json.at("/fees/southpay/EUR").asLong()).isEqualTo(19);

        JsonNode exceptions = json.get("open_exceptions");
        assertThat(exceptions).hasSize(7);
        assertThat(exceptions.get(0).get("item_id").asText()).isEqualTo("p05/c1");
        assertThat(exceptions.get(4).get("category").asText()).isEqualTo("MISSING_IN_SETTLEMENT");
        assertThat(exceptions.get(4).get("settled_amount").isNull()).isTrue();
        assertThat(exceptions.get(5).get("merchant_id").isNull()).isTrue();
        assertThat(exceptions.get(6).get("merchant_id").asText()).isEqualTo(SCRIPT_MERCHANT);
        assertThat(exceptions.get(6).get("settlement_rows").asInt()).isEqualTo(2);
        assertThat(json.at("/resolved/0/resolved_by").asText()).isEqualTo("analyst-7");
    }

    @Test
    void shouldListEveryCategoryInTheMarkdownEvenAtZero() throws Exception {
        Written written =
                ReconciliationReport.write(
                        dir, DAY, List.of(matched("p03/c1", NORTH, 5000, EUR, 50)), GENERATED);

        String md = read(written.markdown());
        assertThat(written.markdown()).isEqualTo(dir.resolve("report.md"));
        assertThat(md).startsWith("# Reconciliation " + DAY + "\n");
        assertThat(md).contains("Generated 2025-03-15 06:30:00 UTC; 1 item.");
        for (ReconciliationCategory c : ReconciliationCategory.values()) {
            String count = c == MATCHED ? "| 1 | " + "█".repeat(20) + " |" : "| 0 |  |";
            assertThat(md).contains("| " + c.name() + " " + count);
        }
        assertThat(md).contains("| MATCHED | 1 | " + "█".repeat(20) + " | 50.00 EUR |");
        assertThat(md)
                .containsSubsequence(
                        Arrays.stream(ReconciliationCategory.values())
                                .map(c -> "| " + c.name() + " |")
                                .toArray(String[]::new));
    }

    @Test
    void shouldListEveryOpenExceptionAndFigureInTheMarkdown() throws Exception {
        Written written = ReconciliationReport.write(dir, DAY, day(), GENERATED);

        String md = read(written.markdown());
        assertThat(md).contains("12 items.");
        assertThat(md).contains("## Open exceptions (7)");
        for (OpenException e : ReconciliationReport.summarize(day()).openExceptions()) {
            assertThat(md).contains("| " + e.itemId() + " | ");
        }
        assertThat(md)
                .contains(
                        "| p06/c1 | m-p06 | northpay | AMOUNT_MISMATCH | 12.00 EUR | 11.50 EUR | 1 |"
                                + " settled 11.50 EUR, ledger 12.00 EUR |");
        assertThat(md)
                .contains("| p10/c1 | unknown | southpay | MISSING_IN_LEDGER | — | 18.00 EUR |");
        assertThat(md).containsSubsequence("| p05/c1 |", "| p06/c1 |", "| p11/c1 |");
        assertThat(md).contains("| AMOUNT_MISMATCH | 3 | ");
        assertThat(md).contains("| 13.00 EUR, 3.00 USD | -0.60 EUR, 0.50 USD |");
        assertThat(md)
                .contains("| northpay | 6 | 1 | 4 | 1 | 0 | 87.00 EUR, 25.00 USD | 76.50 EUR |");
        assertThat(md).contains("| EUR | 8 | 128.00 EUR | 95.40 EUR | -32.60 EUR |");
        assertThat(md).contains("| southpay | 0.19 EUR, 0.65 USD |");
        // a Markdown viewer shows the brackets as text rather than reading a tag
        assertThat(md).contains("| \\<script\\>alert('x')\\</script\\> | northpay | DUPLICATE |");
        assertThat(md).contains("## Recently resolved (1)");
        assertThat(md)
                .contains(
                        "| p12/c1 | AMOUNT_MISMATCH | analyst-7 | provider credits the 0.10 EUR |");
    }

    @Test
    void shouldDrawInlineSvgChartsWithoutScriptOrExternalResource() throws Exception {
        Written written = ReconciliationReport.write(dir, DAY, day(), GENERATED);

        String html = read(written.html());
        assertThat(written.html()).isEqualTo(dir.resolve("report.html"));
        assertThat(html).startsWith("<!DOCTYPE html>");
        assertThat(html).contains("<title>Reconciliation " + DAY + "</title>");
        assertThat(html).contains("<svg");
        assertThat(html).contains("<title>Items per category</title>");
        assertThat(html).contains("<title>Items per provider by status</title>");
        assertThat(html).contains("<title>southpay: 3 exceptions</title>");
        assertThat(html).doesNotContainIgnoringCase("<script");
        assertThat(html).doesNotContain("http://", "https://", "src=", "href=");
        assertThat(html).contains("<td>-0.60 EUR, 0.50 USD</td>");
    }

    @Test
    void shouldEscapeItemProvidedTextInTheHtml() throws Exception {
        Written written = ReconciliationReport.write(dir, DAY, day(), GENERATED);

        String html = read(written.html());
        assertThat(html).doesNotContain(SCRIPT_MERCHANT);
        assertThat(html).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
        assertThat(html).contains("settled twice: f1:11 &amp; f3:2");
    }

    @Test
    void shouldFormatNumbersTheSameWhateverTheDefaultLocale() throws Exception {
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        try {
            Written written = ReconciliationReport.write(dir, DAY, day(), GENERATED);
            String html = read(written.html());
            assertThat(html).contains("76.50 EUR");
            assertThat(html).doesNotContainPattern("(x|y|width|height)=\"[0-9]+,[0-9]");
            assertThat(read(written.markdown())).contains("-32.60 EUR");
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void shouldWriteAReportSayingThereIsNothingToReconcileOnAnEmptyDay() throws Exception {
        Written written = ReconciliationReport.write(dir, DAY, List.of(), GENERATED);

        String md = read(written.markdown());
        String html = read(written.html());
        JsonNode json = new ObjectMapper().readTree(written.json().toFile());
        assertThat(md).contains("0 items.").contains("Nothing to reconcile");
        assertThat(html).contains("Nothing to reconcile").doesNotContain("<svg");
        for (ReconciliationCategory c : ReconciliationCategory.values()) {
            assertThat(md).contains("| " + c.name() + " | 0 |");
            assertThat(json.at("/categories/" + c.name() + "/count").asInt()).isZero();
        }
        assertThat(json.get("items").asInt()).isZero();
        assertThat(json.get("providers")).isEmpty();
        assertThat(json.get("open_exceptions")).isEmpty();
        assertThat(md).contains("## Open exceptions (0)\n\nNone.");
    }
}
