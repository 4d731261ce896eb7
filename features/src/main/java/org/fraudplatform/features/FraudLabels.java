package org.fraudplatform.features;

import org.fraudplatform.schemas.Label;
import org.fraudplatform.schemas.LabelSource;
import org.fraudplatform.schemas.PaymentEvent;

/**
 * Labels from ledger events: one definition for the {@code labels} topic the ledger writes and for
 * the features (online and in the backfill) that count fraud per merchant.
 */
public final class FraudLabels {

    private FraudLabels() {}

    /**
     * What a ledger event teaches about fraud, or null: a fraud chargeback, a rejected review or a
     * fraud report says fraud; an approved review says genuine.
     */
    public static Label of(PaymentEvent e) {
        boolean fraud;
        LabelSource source;
        switch (e.getType()) {
            case CHARGEBACK_OPENED -> {
                if (!ChargebackReasons.isFraud(e.getReasonCode())) {
                    return null;
                }
                fraud = true;
                source = LabelSource.CHARGEBACK;
            }
            case REVIEW_REJECTED -> {
                fraud = true;
                source = LabelSource.REVIEW;
            }
            case REVIEW_APPROVED -> {
                fraud = false;
                source = LabelSource.REVIEW;
            }
            case FRAUD_REPORTED -> {
                fraud = true;
                source = LabelSource.FRAUD_REPORT;
            }
            default -> {
                return null;
            }
        }
        return Label.newBuilder()
                .setLabelId(e.getEventId())
                .setPaymentId(e.getPaymentId())
                .setMerchantId(e.getMerchantId())
                .setInstrumentKey(e.getInstrumentKey())
                .setCustomerId(e.getCustomerId())
                .setFraud(fraud)
                .setSource(source)
                .setReasonCode(e.getReasonCode())
                .setPaymentTime(e.getPaymentTime() != null ? e.getPaymentTime() : e.getEventTime())
                .setKnownAt(e.getEventTime())
                .build();
    }
}
