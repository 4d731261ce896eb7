package org.fraudplatform.features;

import java.util.Objects;

/**
 * What the catalogue reads of one payment. Online it comes from a {@code PaymentRequest}; offline
 * from history (the platform's own, or a dataset). Keys are tokens or hashes, never card numbers.
 *
 * @param transactionId the payment id
 * @param timeMillis event time
 * @param referenceAmount the amount in minor units of the reference currency (converted from the
 *     payment's currency by the platform's {@code CurrencyRates} where the payment comes in): what
 *     every amount feature sums, averages and compares, whatever the currency paid in
 * @param card instrument token, or null
 * @param customer customer id (scoped by merchant), or null
 * @param email email hash, or null
 * @param ip IP address, or null
 * @param device device id, or null
 * @param merchant merchant or terminal id, or null
 * @param country the customer's country, or null
 * @param fraudKnownAtMillis for history only: when this payment's fraud label became known, or null
 *     if it is not fraud (or not known); online payments carry null and get labels later
 */
public record FeaturePayment(
        String transactionId,
        long timeMillis,
        long referenceAmount,
        String card,
        String customer,
        String email,
        String ip,
        String device,
        String merchant,
        String country,
        Long fraudKnownAtMillis) {

    public FeaturePayment {
        Objects.requireNonNull(transactionId, "transactionId");
    }
}
