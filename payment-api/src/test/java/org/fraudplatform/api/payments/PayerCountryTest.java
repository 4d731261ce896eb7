package org.fraudplatform.api.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fraudplatform.schemas.testing.PaymentRequests.aCardPayment;

import org.fraudplatform.schemas.PaymentRequest;
import org.junit.jupiter.api.Test;

/** The country a payment is routed by: the instrument's, else the customer's billing country. */
class PayerCountryTest {

    @Test
    void shouldTakeTheCardsIssuingCountryFirstThenTheBillingCountryThenTheCustomersCountry() {
        PaymentRequest card = aCardPayment().build();
        card.getCustomer().setBillingCountry("NL");
        card.getCustomer().setCountry("BE");
        var c = (org.fraudplatform.schemas.Card) card.getInstrument();

        c.setIssuingCountry("DE");
        String issuing = PaymentService.payerCountry(card);
        c.setIssuingCountry(null);
        String billing = PaymentService.payerCountry(card);
        card.getCustomer().setBillingCountry(null);
        String customers = PaymentService.payerCountry(card);
        card.getCustomer().setCountry(null);
        String none = PaymentService.payerCountry(card);

        assertThat(issuing).isEqualTo("DE");
        assertThat(billing).isEqualTo("NL");
        assertThat(customers).isEqualTo("BE");
        assertThat(none).isNull();
    }
}
