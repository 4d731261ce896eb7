package org.fraudplatform.features;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

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
    AMOUNT_RATIO(
            "amount / mean amount of the entity's other payments in the window; absent without"
                    + " any of them or when their amounts sum to 0"),
    DECLINES("number of payments declined, counting declines known at the payment's time"),
    FRAUD_RATE(
            "frauds / payments, counting fraud labels known at the payment's time; 0 without"
                    + " payments"),
    DURING_WEEKEND("1 if the payment's time (UTC) is on a Saturday or a Sunday, else 0"),
    DURING_NIGHT("1 if the payment's time of day (UTC) is before 07:00 (hour 0 to 6), else 0");

    private final String description;

    Aggregation(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /**
     * Whether the aggregation reads a window of payments (all but first-seen and the calendar
     * flags).
     */
    public boolean windowed() {
        return this != SECONDS_SINCE_FIRST_SEEN && !calendar();
    }

    /** Whether the value is a flag of the payment's own time, free of any state. */
    public boolean calendar() {
        return this == DURING_WEEKEND || this == DURING_NIGHT;
    }

    /**
     * The calendar flag of a payment at {@code epochMillis}, as the fraud handbook defines it
     * (weekday ≥ Saturday; hour ≤ 6).
     */
    public double calendarFlag(long epochMillis) {
        LocalDateTime time =
                LocalDateTime.ofEpochSecond(Math.floorDiv(epochMillis, 1000L), 0, ZoneOffset.UTC);
        return switch (this) {
            case DURING_WEEKEND -> time.getDayOfWeek().getValue() >= 6 ? 1.0 : 0.0;
            case DURING_NIGHT -> time.getHour() <= 6 ? 1.0 : 0.0;
            default -> throw new IllegalStateException(this + " is not a calendar flag");
        };
    }
}
