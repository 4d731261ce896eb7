package org.fraudplatform.offline.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.fraudplatform.schemas.money.CurrencyRates;
import org.junit.jupiter.api.Test;

class HistoryFormatTest {

    private static final CurrencyRates RATES = CurrencyRates.packaged();
    private static final String OLD_HEADER =
            "kind,transaction_id,time,amount_minor,card,customer,email,ip,device,merchant,country,"
                    + "payment_time";

    private static HistoryRow event(String line) {
        return HistoryFormat.EVENTS.parse(line, 0);
    }

    @Test
    void shouldConvertAPaymentInYenIntoEuroCentsForTheFeatures() {
        HistoryRow row =
                event("payment,pay_2,2026-03-02T10:05:00Z,100000,tok_B,,,,,m1,JP,,JPY")
                        .inReference(RATES);

        assertThat(row.toPayment().referenceAmount()).isEqualTo(600_00);
    }

    @Test
    void shouldConvertAPaymentInDinarsFromThousandths() {
        HistoryRow row =
                event("payment,pay_3,2026-03-02T10:05:00Z,10000,tok_B,,,,,m1,KW,,KWD")
                        .inReference(RATES);

        assertThat(row.toPayment().referenceAmount()).isEqualTo(30_00);
    }

    @Test
    void shouldReadAFileOfTwelveColumnsAsAmountsInTheReferenceCurrency() {
        assertThat(HistoryFormat.EVENTS.isHeader(OLD_HEADER)).isTrue();
        assertThat(HistoryFormat.EVENTS.isHeader(OLD_HEADER + ",currency")).isTrue();

        HistoryRow row =
                event("payment,pay_1,2026-03-02T10:00:00Z,2500,tok_A,,,,,m1,DE,")
                        .inReference(RATES);

        assertThat(row.toPayment().referenceAmount()).isEqualTo(25_00);
    }

    @Test
    void shouldRefuseAPaymentInACurrencyTheRateTableLacks() {
        HistoryRow row = event("payment,pay_4,2026-03-02T10:05:00Z,100000,tok_B,,,,,m1,MN,,MNT");

        assertThatThrownBy(() -> row.inReference(RATES))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("currency MNT has no rate");
    }

    @Test
    void shouldWriteALineOfThirteenColumnsBackWithTheRequestDetailsEmpty() {
        String line = "payment,pay_2,2026-03-02T10:05:00Z,100000,tok_B,,,,,m1,JP,,JPY";

        assertThat(HistoryFormat.eventsLine(event(line))).isEqualTo(line + ",,,,,,,,");
    }

    @Test
    void shouldReadWhatTheDecisionReadsOfAPaymentAndWriteItBack() {
        String line =
                "payment,pay_1,2026-03-02T10:00:00Z,2500,tok_A,m1/c9,eh_1,203.0.113.7,dev_1,m1,DE,,"
                        + "EUR,CARD,424242,US,PREPAID,MOTO,7995,c9,DE";

        HistoryRow row = event(line);

        assertThat(row.paymentMethod).isEqualTo("CARD");
        assertThat(row.cardBin).isEqualTo("424242");
        assertThat(row.cardCountry).isEqualTo("US");
        assertThat(row.cardFunding).isEqualTo("PREPAID");
        assertThat(row.channel).isEqualTo("MOTO");
        assertThat(row.merchantCategoryCode).isEqualTo("7995");
        assertThat(row.customerId).isEqualTo("c9");
        assertThat(row.customerCountry).isEqualTo("DE");
        assertThat(HistoryFormat.eventsLine(row.inReference(RATES))).isEqualTo(line);
    }

    @Test
    void shouldRefuseAChannelTheContractsDoNotKnow() {
        assertThatThrownBy(
                        () ->
                                event(
                                        "payment,pay_1,2026-03-02T10:00:00Z,2500,tok_A,,,,,m1,DE,,"
                                                + "EUR,CARD,,,,PHONE,,,"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'PHONE' is no Channel");
    }

    @Test
    void shouldRefuseCardDetailsOnABankTransfer() {
        assertThatThrownBy(
                        () ->
                                event(
                                        "payment,pay_1,2026-03-02T10:00:00Z,2500,acc_A,,,,,m1,DE,,"
                                                + "EUR,BANK_TRANSFER,424242,,,,,,"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("for card payments only");
    }

    @Test
    void shouldReadAHandbookTransactionAsACardPaymentInEuro() {
        HistoryRow row =
                HistoryFormat.HANDBOOK
                        .parse("7,2018-04-01 00:07:56,2,1365,146.00,476,0,0,0", 0)
                        .inReference(RATES);

        assertThat(row.paymentMethod).isEqualTo("CARD");
        assertThat(row.paidCurrency).isEqualTo("EUR");
        assertThat(row.paidAmountMinor).isEqualTo(146_00);
        assertThat(row.cardBin).isNull();
    }
}
