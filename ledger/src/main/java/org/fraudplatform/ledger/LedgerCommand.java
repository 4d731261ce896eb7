package org.fraudplatform.ledger;

/**
 * What may happen to an authorized payment. Every command names its operation (an operation id, or
 * the chargeback it resolves): the same operation applied twice is recognised and changes nothing
 * the second time.
 */
public sealed interface LedgerCommand {

    /** Take {@code amount} of the authorized money (partial captures allowed). */
    record Capture(String operationId, long amount) implements LedgerCommand {}

    /** Release the authorization before anything was captured. */
    record Void(String operationId) implements LedgerCommand {}

    /** Give back {@code amount} of the captured money (several refunds allowed). */
    record Refund(String operationId, long amount) implements LedgerCommand {}

    /** The card holder disputes {@code amount} of the captured money. */
    record OpenChargeback(String operationId, long amount, String reasonCode)
            implements LedgerCommand {}

    /** The merchant won the dispute opened under {@code chargebackId}: the money comes back. */
    record WinChargeback(String chargebackId) implements LedgerCommand {}

    /** The merchant lost the dispute opened under {@code chargebackId}. */
    record LoseChargeback(String chargebackId) implements LedgerCommand {}

    /** The authorization's validity ran out: what was not captured is released. */
    record Expire() implements LedgerCommand {}

    /**
     * Record a fact the ledger did not decide: an authorization outcome (authorized, declined,
     * pending, failed) or a bank transfer settling or coming back.
     */
    record Record(org.fraudplatform.schemas.PaymentEvent event) implements LedgerCommand {}

    /** An analyst approved a payment held for review: it may now be captured. */
    record ApproveReview() implements LedgerCommand {}

    /** An analyst rejected a payment held for review: its authorization is voided. */
    record RejectReview(String reasonCode) implements LedgerCommand {}

    /** The merchant or the card holder reported the payment as fraud. */
    record ReportFraud(String reasonCode) implements LedgerCommand {}
}
