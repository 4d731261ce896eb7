package org.fraudplatform.dev.simulate;

/** What the platform answered to an authorization, as the summary counts it. */
public enum Outcome {
    /** Authorized (and then captured): the risk engine approved and so did the provider. */
    APPROVED("approved"),
    /** Authorized but held for an analyst. */
    REVIEW("review"),
    /** Declined by the risk engine or the provider. */
    DECLINED("declined"),
    /** The provider's answer is not known yet. */
    PENDING("pending"),
    /** The provider failed to process it. */
    FAILED("failed"),
    /** No payment came back: an HTTP error or no reply. */
    ERROR("error");

    private final String title;

    Outcome(String title) {
        this.title = title;
    }

    /** How the summary names it. */
    public String title() {
        return title;
    }

    /** The outcome of a payment in {@code status} ({@code authorized}, {@code review}, …). */
    static Outcome ofStatus(String status) {
        if (status == null) {
            return ERROR;
        }
        switch (status) {
            case "authorized":
            case "captured":
                return APPROVED;
            case "review":
                return REVIEW;
            case "declined":
                return DECLINED;
            case "pending":
                return PENDING;
            case "failed":
                return FAILED;
            default:
                return ERROR;
        }
    }
}
