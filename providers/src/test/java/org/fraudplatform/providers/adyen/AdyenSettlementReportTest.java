package org.fraudplatform.providers.adyen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.fraudplatform.reconciliation.settlement.SettlementReportFile.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Adyen's Settlement details report read into settlement rows. The sample lines are those of
 * Adyen's "Settlement details report" page (its standard columns, then Reserved4 to Reserved10).
 */
class AdyenSettlementReportTest {

    private static final LocalDate DAY = LocalDate.parse("2013-06-04");
    private static final String FILE = "settlement_detail_report_batch_4.csv";

    private static final String HEADER =
            String.join(",", AdyenSettlementReport.STANDARD_COLUMNS)
                    + ",Reserved4,Reserved5,Reserved6,Reserved7,Reserved8,Reserved9,Reserved10";

    /** Adyen's sample lines: a settled payment and a chargeback. */
    private static final String SETTLED_SAMPLE =
            "TestCompany,TestMerchant,1813702551707653,3vpzf7,visa,2013-06-03 11:26:49,CET,Settled,"
                    + "1713702551795048,GBP,,5.00,1,GBP,,4.88,,0.04,0.01,0.07,visaclassic,,,,,,,,,";

    private static final String CHARGEBACK_SAMPLE =
            "TestCompany,TestMerchant,1313642467023511,324959451,visa,2013-03-26 22:37:26,CET,"
                    + "Chargeback,2313642467170922,EUR,349.99,,1,EUR,357.49,,7.5,,,,visaclassic,,,,,,,,,";

    @Test
    void shouldTurnAdyensSampleSettledLineIntoACaptureOfTheAutomaticCapture() {
        AdyenSettlementReport.Read read = read(HEADER, SETTLED_SAMPLE);

        assertThat(read.rows())
                .containsExactly(
                        new Row(
                                "adyen",
                                DAY,
                                "capture",
                                "3vpzf7",
                                "capture",
                                "1713702551795048",
                                500,
                                "GBP",
                                12,
                                Instant.parse("2013-06-03T10:26:49Z")));
        assertThat(read.leftOut()).isZero();
    }

    @Test
    void shouldTakeTheOperationIdsFromTheModificationMerchantReference() {
        AdyenSettlementReport.Read read =
                read(
                        HEADER,
                        line("Settled", "pay_1", "", "25.00", "cap-1", "CEST", "0.10"),
                        line("Refunded", "pay_1", "10.00", "", "ref-1", "CEST", ""));

        assertThat(read.rows())
                .extracting(Row::type, Row::itemId, Row::amount, Row::fee, Row::bookedAt)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "capture",
                                "pay_1/cap-1",
                                2_500L,
                                10L,
                                Instant.parse("2026-07-01T08:00:00Z")),
                        org.assertj.core.groups.Tuple.tuple(
                                "refund",
                                "pay_1/ref-1",
                                1_000L,
                                0L,
                                Instant.parse("2026-07-01T08:00:00Z")));
    }

    @Test
    void shouldLeaveOutChargebacksFeesPayoutsAndOtherMerchantAccounts() {
        AdyenSettlementReport.Read read =
                read(
                        HEADER,
                        CHARGEBACK_SAMPLE,
                        "TestCompany,TestMerchant,,,,2013-06-11 04:55:40,CET,Fee,Transaction Fees"
                                + " June 2013,EUR,,,,EUR,0.13,,,,,,,,,,,,,,,",
                        "TestCompany,TestMerchant,,,,2013-06-11 04:55:40,CET,MerchantPayout,TX"
                                + " batch 4,EUR,,,,EUR,100.00,,,,,,,,,,,,,,,",
                        SETTLED_SAMPLE.replace("TestMerchant", "OtherMerchant"));

        assertThat(read.rows()).isEmpty();
        assertThat(read.leftOut()).isEqualTo(4);
    }

    @Test
    void shouldFindTheColumnsByNameWhateverTheirOrder() {
        List<String> columns = new ArrayList<>(List.of(HEADER.split(",", -1)));
        List<String> values = new ArrayList<>(List.of(SETTLED_SAMPLE.split(",", -1)));
        // Merchant Reference moved to the end, an extra column added at the front
        columns.add(columns.remove(3));
        values.add(values.remove(3));
        columns.add(0, "Store");
        values.add(0, "");

        AdyenSettlementReport.Read read = read(String.join(",", columns), String.join(",", values));

        assertThat(read.rows()).extracting(Row::paymentId).containsExactly("3vpzf7");
    }

    @Test
    void shouldReadQuotedFields() {
        String quoted =
                SETTLED_SAMPLE
                        .replace("TestCompany,", "\"Test, Company\",")
                        .replace(",3vpzf7,", ",\"3vpzf7\",");

        assertThat(read(HEADER, quoted).rows())
                .extracting(Row::paymentId)
                .containsExactly("3vpzf7");
    }

    @Test
    void shouldConvertTheFeeIntoTheGrossCurrencyWithTheExchangeRate() {
        String usdSettledInEur =
                "TestCompany,TestMerchant,1813702551707653,pay_9,visa,2026-01-10 12:00:00,CET,"
                        + "Settled,1713702551795048,USD,,100.00,0.9,EUR,,88.20,,0.90,,,visa,cap-9,4";

        AdyenSettlementReport.Read read =
                read(String.join(",", AdyenSettlementReport.STANDARD_COLUMNS), usdSettledInEur);

        assertThat(read.rows())
                .extracting(Row::amount, Row::currency, Row::fee)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(10_000L, "USD", 100L));
    }

    @Test
    void shouldRefuseAReportThatLacksAColumnItReads() {
        String header = HEADER.replace("Modification Merchant Reference", "Something Else");

        assertThatThrownBy(() -> read(header, SETTLED_SAMPLE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(FILE + " line 1")
                .hasMessageContaining("'Modification Merchant Reference'");
    }

    @Test
    void shouldRefuseALineWhoseFieldsDoNotMatchTheHeader() {
        assertThatThrownBy(() -> read(HEADER, SETTLED_SAMPLE, SETTLED_SAMPLE + ",extra"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(FILE + " line 3: 31 fields where the header has 30");
    }

    @ParameterizedTest(name = "{0} = ''{1}''")
    @CsvSource(
            delimiter = '|',
            value = {
                "Gross Credit (GC)|5,00|'5,00' is not a decimal number",
                "Gross Credit (GC)|5.001|has more decimals than GBP has (2)",
                "Gross Credit (GC)||is empty",
                "Gross Debit (GC)|5.00|must be empty on a Settled row",
                "Gross Currency|XXY|'XXY' is not an ISO 4217 currency code",
                "Markup (NC)|-0.04|is negative",
                "TimeZone|Mars/Olympus|'Mars/Olympus' is no time zone",
                "Creation Date|03/06/2013 11:26|is not a date and time",
                "Merchant Reference||is empty",
                "Type||is empty"
            })
    void shouldRefuseTheWholeReportNamingTheLineAndColumnOfABadValue(
            String column, String value, String reason) {
        List<String> columns = List.of(HEADER.split(",", -1));
        String[] fields = SETTLED_SAMPLE.split(",", -1);
        fields[columns.indexOf(column)] =
                value == null ? "" : value.contains(",") ? "\"" + value + "\"" : value;
        String bad = String.join(",", fields);
        String badLine = bad;

        // the good line first: nothing of it may come through
        assertThatThrownBy(() -> read(HEADER, SETTLED_SAMPLE, badLine))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(FILE + " line 3, column '" + column + "'")
                .hasMessageContaining(reason);
    }

    @Test
    void shouldRefuseARefundWithoutItsOperationId() {
        assertThatThrownBy(
                        () -> read(HEADER, line("Refunded", "pay_1", "10.00", "", "", "CET", "")))
                .hasMessageContaining("line 2, column 'Modification Merchant Reference'");
    }

    private static AdyenSettlementReport.Read read(String header, String... lines) {
        String csv = header + "\r\n" + String.join("\r\n", lines) + "\r\n";
        return AdyenSettlementReport.read(
                FILE, csv.getBytes(StandardCharsets.UTF_8), "adyen", "TestMerchant", DAY);
    }

    /** A line of the standard columns plus the reserved ones, on 2026-07-01 10:00 local time. */
    private static String line(
            String type,
            String paymentId,
            String debit,
            String credit,
            String modificationReference,
            String zone,
            String markup) {
        return String.join(
                ",",
                "TestCompany",
                "TestMerchant",
                "8815000000000001",
                paymentId,
                "visa",
                "2026-07-01 10:00:00",
                zone,
                type,
                "8815000000000002",
                "EUR",
                debit,
                credit,
                "1",
                "EUR",
                debit,
                credit,
                "",
                markup,
                "",
                "",
                "visaclassic",
                modificationReference,
                "4",
                "",
                "",
                "",
                "",
                "",
                "",
                "");
    }
}
