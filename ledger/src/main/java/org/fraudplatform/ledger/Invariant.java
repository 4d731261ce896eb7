package org.fraudplatform.ledger;

/** The rules money follows in the ledger; a command that would break one is refused by name. */
public enum Invariant {
    NOT_AUTHORIZED("the payment has no authorization to act on"),
    AUTHORIZATION_EXPIRED("the authorization expired; nothing more can be captured"),
    AUTHORIZATION_VOIDED("the authorization was voided"),
    CAPTURE_EXCEEDS_AUTHORIZED("captured total would exceed the authorized amount"),
    VOID_AFTER_CAPTURE("a payment with captured money cannot be voided; refund it"),
    REFUND_EXCEEDS_CAPTURED("refunded total would exceed the captured money not charged back"),
    CHARGEBACK_EXCEEDS_CAPTURED("a chargeback can only take captured money not refunded"),
    CHARGEBACK_NOT_OPEN("there is no open chargeback with that id"),
    AMOUNT_NOT_POSITIVE("amounts are positive minor units"),
    OPERATION_REUSED("the operation id was used for a different operation"),
    ALREADY_AUTHORIZED(
            "the payment has an authorization outcome already; a second is never recorded"),
    UNDER_REVIEW("the payment is held for manual review; approve the review before capturing"),
    REVIEW_NOT_OPEN("the payment is not waiting for a review"),
    TRANSFER_NOT_PENDING(
            "only a pending bank transfer can settle, only a settled one can come back"),
    SETTLEMENT_AMOUNT_MISMATCH(
            "a transfer settles for the amount that was sent; another amount is a reconciliation"
                    + " exception"),
    NOT_RECORDABLE("only authorization outcomes and transfer settlements are recorded as facts");

    private final String message;

    Invariant(String message) {
        this.message = message;
    }

    /** The invariant in words, for problem responses. */
    public String message() {
        return message;
    }
}
