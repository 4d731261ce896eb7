package org.fraudplatform.features;

import java.time.Duration;
import java.util.Objects;

/**
 * One feature of the catalogue.
 *
 * <p>Window semantics: for a payment at event time t, a window of N lagged by L covers the entity's
 * payments with event time in (t − L − N, t − L]. Without lag the window includes the payment
 * itself. Payments with an event time after t never count, whatever order they arrived in.
 *
 * @param name stable snake_case name that rules, models and reports use
 * @param entity what the feature is counted per
 * @param aggregation how the window is folded
 * @param window N; zero for first-seen, which has no window
 * @param lag L; zero unless the feature waits for labels
 */
public record FeatureDefinition(
        String name, Entity entity, Aggregation aggregation, Duration window, Duration lag)
        implements java.io.Serializable {

    public FeatureDefinition {
        Objects.requireNonNull(name);
        Objects.requireNonNull(entity);
        Objects.requireNonNull(aggregation);
        Objects.requireNonNull(window);
        Objects.requireNonNull(lag);
        if (!name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("feature name must be snake_case: " + name);
        }
        if (aggregation.windowed() == window.isZero()) {
            throw new IllegalArgumentException(
                    name
                            + ": "
                            + aggregation
                            + (aggregation.windowed() ? " needs" : " takes no")
                            + " window");
        }
        if (window.isNegative() || lag.isNegative()) {
            throw new IllegalArgumentException(name + ": window and lag must not be negative");
        }
    }

    /** How far back from t this feature reads: L + N. */
    public Duration lookback() {
        return lag.plus(window);
    }

    /**
     * The feature in words, for people reading a decision: what is folded, per which entity, over
     * which window, e.g. "number of payments per the instrument token (card, wallet or account),
     * over (t − 1h, t], this payment included".
     */
    public String description() {
        return aggregation.description()
                + " per "
                + entity.description()
                + (aggregation.windowed() ? ", over " + windowSemantics() : "");
    }

    /** The window as an interval, for the catalogue listing. */
    public String windowSemantics() {
        if (!aggregation.windowed()) {
            return "—";
        }
        String n = Durations.format(window);
        if (lag.isZero()) {
            return "(t − " + n + ", t], this payment included";
        }
        String l = Durations.format(lag);
        return "(t − " + l + " − " + n + ", t − " + l + "]";
    }
}
