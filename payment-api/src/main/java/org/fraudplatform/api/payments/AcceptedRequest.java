package org.fraudplatform.api.payments;

import java.util.Map;
import java.util.Objects;
import org.fraudplatform.providers.AuthorizationCall;
import org.fraudplatform.schemas.CaptureMethod;
import org.fraudplatform.schemas.Channel;
import org.fraudplatform.schemas.Customer;

/**
 * A validated, tokenized authorization request: everything the payment flow needs, with the card
 * number present only inside {@link #providerMethod()} (for the provider call).
 *
 * @param amount minor units
 * @param currency ISO 4217
 * @param instrument the tokenized instrument as the event contract has it (Card, BankTransfer or
 *     Wallet)
 * @param customer customer details, e-mail hashed
 * @param providerMethod what the provider is asked to charge
 * @param paymentMethodView the {@code payment_method} block of the reply, without secrets
 * @param requestHash hash of the request's meaning, for idempotency (no card number in clear)
 * @param contact how the customer hears about the payment (e-mail in clear: kept in PostgreSQL for
 *     notifications, never sent to Kafka)
 */
public record AcceptedRequest(
        long amount,
        String currency,
        Object instrument,
        Customer customer,
        CaptureMethod captureMethod,
        Channel channel,
        String merchantCategoryCode,
        String reference,
        AuthorizationCall.Method providerMethod,
        Map<String, Object> paymentMethodView,
        String requestHash,
        org.fraudplatform.workers.notifications.Contact contact) {

    public AcceptedRequest {
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(instrument, "instrument");
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(captureMethod, "captureMethod");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(providerMethod, "providerMethod");
        Objects.requireNonNull(requestHash, "requestHash");
        paymentMethodView = Map.copyOf(paymentMethodView);
        Objects.requireNonNull(contact, "contact");
    }

    @Override
    public String toString() {
        return "AcceptedRequest[" + amount + " " + currency + ", " + providerMethod + "]";
    }
}
