package org.fraudplatform.dev.simulate;

/**
 * What happens to a payment after it was captured, decided when the traffic is planned: a genuine
 * customer may get a refund; a fraud is found out by the card holder's bank (a fraud chargeback) or
 * by the merchant (a fraud report), or never.
 */
public enum FollowUp {
    NONE,
    REFUND,
    CHARGEBACK,
    FRAUD_REPORT
}
