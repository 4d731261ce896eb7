package org.fraudplatform.streams.velocity;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-card velocity features of one payment, as of its event time, the payment included.
 *
 * @param count10m payments in (t − 10 min, t]
 * @param sumAmount10m their amount in minor units
 * @param count1d payments in (t − 24 h, t]
 * @param sumAmount1d their amount in minor units
 * @param secondsSinceFirstSeen seconds since the card's first payment held in state (0 for a new
 *     card)
 * @param secondsSinceLastPayment seconds since the card's previous payment, or null when there is
 *     none in state
 */
public record CardFeatures(
        long count10m,
        long sumAmount10m,
        long count1d,
        long sumAmount1d,
        long secondsSinceFirstSeen,
        Long secondsSinceLastPayment) {

    public static final String CARD_COUNT_10M = "card_count_10m";
    public static final String CARD_SUM_AMOUNT_10M = "card_sum_amount_10m";
    public static final String CARD_COUNT_1D = "card_count_1d";
    public static final String CARD_SUM_AMOUNT_1D = "card_sum_amount_1d";
    public static final String CARD_AVG_AMOUNT_1D = "card_avg_amount_1d";
    public static final String CARD_SECONDS_SINCE_FIRST_SEEN = "card_seconds_since_first_seen";
    public static final String CARD_SECONDS_SINCE_LAST_PAYMENT = "card_seconds_since_last_payment";

    /** Average amount over 24 h; the current payment is always included, so count1d ≥ 1. */
    public double avgAmount1d() {
        return count1d == 0 ? 0.0 : (double) sumAmount1d / count1d;
    }

    /** The features by catalogue name, in a stable order; absent values are left out. */
    public Map<String, Double> asMap() {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put(CARD_COUNT_10M, (double) count10m);
        values.put(CARD_SUM_AMOUNT_10M, (double) sumAmount10m);
        values.put(CARD_COUNT_1D, (double) count1d);
        values.put(CARD_SUM_AMOUNT_1D, (double) sumAmount1d);
        values.put(CARD_AVG_AMOUNT_1D, avgAmount1d());
        values.put(CARD_SECONDS_SINCE_FIRST_SEEN, (double) secondsSinceFirstSeen);
        if (secondsSinceLastPayment != null) {
            values.put(CARD_SECONDS_SINCE_LAST_PAYMENT, (double) secondsSinceLastPayment);
        }
        return values;
    }
}
