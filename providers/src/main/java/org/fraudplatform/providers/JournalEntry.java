package org.fraudplatform.providers;

import java.time.Instant;
import java.util.Objects;

/**
 * One operation a provider performed, as its journal records it. It holds no card data: the payment
 * id and the amounts are all settlement needs.
 *
 * @param time when the provider performed it
 * @param paymentId our payment id; follow-ups carry the payment id of their authorization
 * @param operation what was done
 * @param operationId idempotency key of a capture, void or refund; null for an authorization
 * @param amount minor units; for a void, what it released
 * @param currency ISO 4217
 * @param outcome what the provider decided (an authorization answered {@code UNKNOWN} to the caller
 *     is recorded with the outcome the provider reached)
 * @param reference the provider's id for the operation, or null
 * @param code decline or error code, or null
 */
public record JournalEntry(
        Instant time,
        String paymentId,
        Operation operation,
        String operationId,
        long amount,
        String currency,
        ProviderResult.Outcome outcome,
        String reference,
        String code) {

    /** The operations a provider performs. */
    public enum Operation {
        AUTHORIZE,
        CAPTURE,
        VOID,
        REFUND
    }

    public JournalEntry {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(paymentId, "paymentId");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(outcome, "outcome");
    }
}
