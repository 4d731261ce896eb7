package org.fraudplatform.streams.features;

/** How a feature folds the entity's payments in its window into one number. */
public enum Aggregation {
    COUNT("number of payments"),
    SUM_AMOUNT("sum of the amounts, in minor units of the reference currency"),
    AVG_AMOUNT("mean amount, in minor units of the reference currency"),
    DISTINCT_MERCHANTS("number of distinct merchants"),
    DISTINCT_COUNTRIES("number of distinct customer countries"),
    DISTINCT_IPS("number of distinct IP addresses"),
    DISTINCT_DEVICES("number of distinct device ids"),
    DISTINCT_CARDS("number of distinct cards"),
    SECONDS_SINCE_PREVIOUS(
            "whole seconds since the entity's latest earlier payment in the window; absent if"
                    + " there is none"),
    SECONDS_SINCE_FIRST_SEEN("whole seconds since the entity's first payment held in state"),
    AMOUNT_ZSCORE(
            "(amount − mean) / standard deviation (population) of the entity's other payments in"
                    + " the window; absent with fewer than two of them or no spread"),
    DECLINES("number of payments declined, counting declines known at the payment's time"),
    FRAUD_RATE(
            "frauds / payments, counting fraud labels known at the payment's time; 0 without"
                    + " payments");

    private final String description;

    Aggregation(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** Whether the aggregation reads a window of payments (all but first-seen). */
    public boolean windowed() {
        return this != SECONDS_SINCE_FIRST_SEEN;
    }
}
