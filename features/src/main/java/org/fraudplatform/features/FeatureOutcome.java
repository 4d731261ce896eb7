package org.fraudplatform.features;

import java.util.Objects;

/**
 * Something learned about a payment after it was scored: it was declined, or it was fraud (a
 * chargeback, an analyst's label). Features count an outcome from its {@code knownAtMillis} on,
 * never before: that is what keeps them point in time.
 *
 * @param transactionId the payment it is about
 * @param kind what was learned
 * @param knownAtMillis when it became known
 * @param card the payment's instrument token, or null
 * @param merchant the payment's merchant, or null
 * @param paymentTimeMillis the payment's own event time, or null when unknown; entities kept in
 *     time buckets need it to find the payment's bucket
 */
public record FeatureOutcome(
        String transactionId,
        Kind kind,
        long knownAtMillis,
        String card,
        String merchant,
        Long paymentTimeMillis) {

    /** What was learned. */
    public enum Kind {
        DECLINED,
        FRAUD
    }

    public FeatureOutcome {
        Objects.requireNonNull(transactionId, "transactionId");
        Objects.requireNonNull(kind, "kind");
    }

    /** The entity whose state records this outcome: declines per card, frauds per merchant. */
    public Entity entity() {
        return kind == Kind.DECLINED ? Entity.CARD : Entity.MERCHANT;
    }

    /** The key of {@link #entity()}, or null when the outcome names none. */
    public String entityKey() {
        return kind == Kind.DECLINED ? card : merchant;
    }
}
