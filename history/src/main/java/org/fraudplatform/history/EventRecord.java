package org.fraudplatform.history;

import java.time.Instant;

/**
 * One ledger event of a payment.
 *
 * @param ordinal position in the payment's ledger, from 0
 * @param type the ledger event type (AUTHORIZED, CAPTURED, REFUNDED, CHARGEBACK_OPENED, ...)
 * @param amount minor units moved by the event
 * @param operationId capture, refund or chargeback id, or null
 * @param reasonCode decline, failure or chargeback reason, or null
 */
public record EventRecord(
        String eventId,
        int ordinal,
        String type,
        long amount,
        String currency,
        String operationId,
        String reasonCode,
        String provider,
        Instant eventTime) {}
