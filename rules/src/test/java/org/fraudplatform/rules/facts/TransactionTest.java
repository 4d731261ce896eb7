package org.fraudplatform.rules.facts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.fraudplatform.schemas.BankScheme;
import org.fraudplatform.schemas.BankTransfer;
import org.fraudplatform.schemas.CaptureMethod;
import org.fraudplatform.schemas.Card;
import org.fraudplatform.schemas.CardBrand;
import org.fraudplatform.schemas.CardFunding;
import org.fraudplatform.schemas.Channel;
import org.fraudplatform.schemas.Customer;
import org.fraudplatform.schemas.PaymentMethodType;
import org.fraudplatform.schemas.PaymentRequest;
import org.fraudplatform.schemas.money.CurrencyRates;
import org.junit.jupiter.api.Test;

class TransactionTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:15:30Z");

    private static final Card CARD =
            Card.newBuilder()
                    .setToken("tok_card")
                    .setFingerprint("fp_card")
                    .setBin("411111")
                    .setLast4("1111")
                    .setBrand(CardBrand.VISA)
                    .setFunding(CardFunding.DEBIT)
                    .setIssuingCountry("FR")
                    .setExpMonth(12)
                    .setExpYear(2030)
                    .build();

    private static final Customer CUSTOMER =
            Customer.newBuilder()
                    .setId("customer-7")
                    .setIp("198.51.100.4")
                    .setDeviceId("device-7")
                    .setEmailHash("eh_7")
                    .setCountry("DE")
                    .build();

    @Test
    void shouldCopyCardAndCustomerFromACardRequest() {
        Transaction t = Transaction.fromRequest(request(CARD), CurrencyRates.packaged());

        assertThat(t)
                .isEqualTo(
                        Transaction.builder()
                                .paymentId("pay-7")
                                .merchantId("merchant-7")
                                .amount(42_50)
                                .currency("EUR")
                                .paymentMethod(PaymentMethodType.CARD)
                                .cardBin("411111")
                                .cardCountry("FR")
                                .cardFunding(CardFunding.DEBIT)
                                .customerId("customer-7")
                                .customerCountry("DE")
                                .ip("198.51.100.4")
                                .deviceId("device-7")
                                .channel(Channel.IN_APP)
                                .merchantCategoryCode("5732")
                                .instrumentToken("tok_card")
                                .emailHash("eh_7")
                                .build());
    }

    @Test
    void shouldLeaveCardPropertiesEmptyForABankTransfer() {
        BankTransfer transfer =
                BankTransfer.newBuilder()
                        .setAccountToken("tok_account")
                        .setCountry("NL")
                        .setLast4("4300")
                        .setScheme(BankScheme.SEPA)
                        .build();

        Transaction t = Transaction.fromRequest(request(transfer), CurrencyRates.packaged());

        assertThat(t.getPaymentMethod()).isEqualTo(PaymentMethodType.BANK_TRANSFER);
        assertThat(t.getCardBin()).isNull();
        assertThat(t.getCardCountry()).isNull();
        assertThat(t.getCardFunding()).isNull();
    }

    @Test
    void shouldGiveTheAmountInEuroCentsWhateverTheCurrency() {
        PaymentRequest yen = request(CARD);
        yen.setAmount(100_000);
        yen.setCurrency("JPY");

        Transaction t = Transaction.fromRequest(yen, CurrencyRates.packaged());

        assertThat(t.getAmount()).isEqualTo(100_000);
        assertThat(t.getCurrency()).isEqualTo("JPY");
        assertThat(t.getReferenceAmount()).isEqualTo(600_00);
    }

    @Test
    void shouldConvertWithTheTableItIsGiven() throws java.io.IOException {
        CurrencyRates dollars =
                CurrencyRates.parse(
                        "rates", new java.io.StringReader("reference = USD\nEUR = 1.10\n"));

        Transaction t = Transaction.fromRequest(request(CARD), dollars);

        assertThat(t.getReferenceAmount()).isEqualTo(46_75); // 42.50 EUR in US cents
    }

    @Test
    void shouldRefuseACurrencyTheRateTableLacks() {
        assertThatThrownBy(
                        () ->
                                Transaction.builder()
                                        .paymentId("p")
                                        .merchantId("m")
                                        .amount(100)
                                        .currency("MNT")
                                        .paymentMethod(PaymentMethodType.CARD)
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("currency MNT has no rate");
    }

    @Test
    void shouldRefuseANegativeAmount() {
        assertThatThrownBy(
                        () ->
                                Transaction.builder()
                                        .paymentId("p")
                                        .merchantId("m")
                                        .amount(-1)
                                        .currency("EUR")
                                        .paymentMethod(PaymentMethodType.CARD)
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative");
    }

    private static PaymentRequest request(Object instrument) {
        return PaymentRequest.newBuilder()
                .setPaymentId("pay-7")
                .setMerchantId("merchant-7")
                .setIdempotencyKey("idem-7")
                .setAmount(42_50)
                .setCurrency("EUR")
                .setInstrument(instrument)
                .setCustomer(CUSTOMER)
                .setCaptureMethod(CaptureMethod.AUTOMATIC)
                .setChannel(Channel.IN_APP)
                .setMerchantCategoryCode("5732")
                .setEventTime(T0)
                .setCorrelationId("corr-7")
                .build();
    }
}
