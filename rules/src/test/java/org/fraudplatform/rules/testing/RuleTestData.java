package org.fraudplatform.rules.testing;

import org.fraudplatform.rules.facts.Features;
import org.fraudplatform.rules.facts.Transaction;
import org.fraudplatform.schemas.CardFunding;
import org.fraudplatform.schemas.Channel;
import org.fraudplatform.schemas.PaymentMethodType;

/**
 * Builders for rule facts: an ordinary payment that no starter rule flags, to be changed in the one
 * property a test is about.
 */
public final class RuleTestData {

    public static final long DAY_SECONDS = 86_400;

    private RuleTestData() {}

    /** 25.00 EUR by a German credit card for a German customer, online. */
    public static Transaction.Builder aCardPayment() {
        return Transaction.builder()
                .paymentId("pay-1")
                .merchantId("merchant-1")
                .amount(25_00)
                .currency("EUR")
                .paymentMethod(PaymentMethodType.CARD)
                .cardBin("411111")
                .cardCountry("DE")
                .cardFunding(CardFunding.CREDIT)
                .customerId("customer-1")
                .customerCountry("DE")
                .ip("192.0.2.10")
                .deviceId("device-1")
                .channel(Channel.ECOMMERCE)
                .merchantCategoryCode("5411");
    }

    /** 25.00 EUR by SEPA transfer for a German customer: no card properties. */
    public static Transaction.Builder aBankTransfer() {
        return Transaction.builder()
                .paymentId("pay-2")
                .merchantId("merchant-1")
                .amount(25_00)
                .currency("EUR")
                .paymentMethod(PaymentMethodType.BANK_TRANSFER)
                .customerId("customer-1")
                .customerCountry("DE")
                .channel(Channel.ECOMMERCE);
    }

    /**
     * The card features of a card first seen 30 days ago, used once today for this 25.00 payment
     * (counts and sums include it), last used two days ago.
     */
    public static Features.Builder anEstablishedCard() {
        return Features.builder()
                .put("card_count_10m", 1)
                .put("card_sum_amount_10m", 25_00)
                .put("card_count_1d", 1)
                .put("card_sum_amount_1d", 25_00)
                .put("card_avg_amount_1d", 25_00)
                .put("card_seconds_since_first_seen", 30 * DAY_SECONDS)
                .put("card_seconds_since_last_payment", 2 * DAY_SECONDS);
    }
}
