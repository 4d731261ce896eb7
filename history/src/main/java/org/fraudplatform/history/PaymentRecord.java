package org.fraudplatform.history;

import java.time.Instant;
import java.util.List;

/**
 * One payment from the history: its latest state and its ledger events in order. Amounts are minor
 * units of {@code currency}.
 *
 * @param instrumentKey card, account or wallet token
 * @param customerId null when the merchant sent none
 * @param paymentMethod CARD, BANK_TRANSFER or WALLET
 * @param capturableUntil null when nothing can be captured
 * @param createdAt when the payment was requested
 * @param updatedAt time of its newest event
 */
public record PaymentRecord(
        String id,
        String merchantId,
        String instrumentKey,
        String customerId,
        String paymentMethod,
        String status,
        String currency,
        long authorized,
        long capturable,
        long captured,
        long refunded,
        long chargedBack,
        boolean underReview,
        Instant capturableUntil,
        Instant createdAt,
        Instant updatedAt,
        List<EventRecord> events) {

    public PaymentRecord {
        events = List.copyOf(events);
    }
}
