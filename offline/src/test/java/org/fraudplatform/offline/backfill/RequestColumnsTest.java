package org.fraudplatform.offline.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fraudplatform.schemas.testing.PaymentRequests.aBankTransferPayment;
import static org.fraudplatform.schemas.testing.PaymentRequests.aCardPayment;
import static org.fraudplatform.schemas.testing.PaymentRequests.aWalletPayment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.fraudplatform.rules.facts.Transaction;
import org.fraudplatform.schemas.Channel;
import org.fraudplatform.schemas.PaymentMethodType;
import org.fraudplatform.schemas.PaymentRequest;
import org.fraudplatform.schemas.Wallet;
import org.fraudplatform.schemas.money.CurrencyRates;
import org.junit.jupiter.api.Test;

/**
 * A backfill row keeps what the decision reads of its request: the request the back-test rebuilds
 * from the row gives the rules the same transaction fact as the original request.
 */
class RequestColumnsTest {

    private static final CurrencyRates RATES = CurrencyRates.packaged();
    private static final Instant T = Instant.parse("2026-03-02T10:00:00Z");

    @Test
    void shouldGiveTheSameFactForACardPaymentInYenWithItsChannelAndCategory() {
        PaymentRequest card =
                aCardPayment()
                        .paymentId("pay_1")
                        .cardToken("tok_A")
                        .cardCountry("US")
                        .customerCountry("DE")
                        .amount(100_000)
                        .currency("JPY")
                        .merchantCategory("7995")
                        .at(T)
                        .build();
        card.setChannel(Channel.MOTO);

        assertSameFact(card);
    }

    @Test
    void shouldGiveTheSameFactForABankTransfer() {
        assertSameFact(aBankTransferPayment().paymentId("pay_2").at(T).build());
    }

    @Test
    void shouldGiveTheSameFactForAWalletKeyedByItsTokenOrByTheCardItReveals() {
        assertSameFact(aWalletPayment().paymentId("pay_3").at(T).build());
        PaymentRequest revealing = aWalletPayment().paymentId("pay_4").at(T).build();
        ((Wallet) revealing.getInstrument()).setCardFingerprint("tok_card");
        assertSameFact(revealing);
    }

    @Test
    void shouldKeepTheCustomersOwnCountryNotTheBillingCountryTheFeaturesFallBackTo() {
        PaymentRequest request = aCardPayment().paymentId("pay_5").at(T).build();
        request.getCustomer().setCountry(null);
        request.getCustomer().setBillingCountry("FR");
        request.setMerchantCategoryCode(null);

        assertThat(rebuilt(request).getCustomer().getCountry()).isNull();
        assertSameFact(request);
    }

    @Test
    void shouldTakeARowWithoutDetailsForACardPaymentWhoseDetailsAreUnknown() {
        HistoryRow row =
                HistoryFormat.EVENTS
                        .parse("payment,pay_6,2026-03-02T10:00:00Z,2500,tok_A,,,,,m1,DE,,", 0)
                        .inReference(RATES);

        Transaction fact = Transaction.fromRequest(rebuilt(row), RATES);

        assertThat(fact.getPaymentMethod()).isEqualTo(PaymentMethodType.CARD);
        assertThat(fact.getInstrumentToken()).isEqualTo("tok_A");
        assertThat(fact.getCurrency()).isEqualTo("EUR");
        assertThat(fact.getAmount()).isEqualTo(2500);
        assertThat(fact.getCardBin()).isNull();
        assertThat(fact.getCardCountry()).isNull();
        assertThat(fact.getChannel()).isNull();
        assertThat(fact.getMerchantCategoryCode()).isNull();
    }

    private static void assertSameFact(PaymentRequest request) {
        assertThat(Transaction.fromRequest(rebuilt(request), RATES))
                .isEqualTo(Transaction.fromRequest(request, RATES));
    }

    private static PaymentRequest rebuilt(PaymentRequest request) {
        return rebuilt(HistoryRow.of(request, RATES));
    }

    /** The row as the backfill writes it into its output, and the request read back from it. */
    private static PaymentRequest rebuilt(HistoryRow row) {
        List<String> cells =
                new ArrayList<>(
                        List.of(
                                row.transactionId,
                                "2026-03-02 10:00:00",
                                Long.toString(row.amountMinor),
                                nullToEmpty(row.card),
                                nullToEmpty(row.merchant),
                                nullToEmpty(row.customer),
                                nullToEmpty(row.email),
                                nullToEmpty(row.ip),
                                nullToEmpty(row.device),
                                nullToEmpty(row.country)));
        int from = cells.size();
        cells.addAll(List.of(RequestColumns.cells(row).split(",", -1)));
        return RequestColumns.request(cells.toArray(String[]::new), from, T);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
