package org.fraudplatform.rules.facts;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The feature values computed for one payment, by catalogue name (snake_case, e.g. {@code
 * card_count_10m}); a fact that rules match on.
 *
 * <p>Contract: immutable and thread-safe. Every value is finite. A feature that has no value for
 * this payment (a card feature on a bank transfer, {@code card_seconds_since_last_payment} on a
 * card's first payment) is simply absent: {@link #has(String)} is false, {@link #get(String)}
 * throws and {@link #getOrDefault(String, double)} returns the default. {@code get} throws rather
 * than returning a placeholder so that a misspelt feature name fails loudly in the rule's tests
 * instead of silently never matching; a rule on a feature that can be absent guards it:
 *
 * <pre>{@code Features( has("card_count_10m") && get("card_count_10m") > 5 )}</pre>
 */
public final class Features {

    private static final Features EMPTY = new Features(Map.of());

    private final Map<String, Double> values;

    private Features(Map<String, Double> values) {
        this.values = values;
    }

    /** Features with no values at all. */
    public static Features empty() {
        return EMPTY;
    }

    /**
     * Features with the given values.
     *
     * @throws IllegalArgumentException if a name is blank or a value is not finite
     */
    public static Features of(Map<String, ? extends Number> values) {
        Builder builder = builder();
        values.forEach((name, value) -> builder.put(name, value.doubleValue()));
        return builder.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether this payment has a value for the feature. */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /**
     * The feature's value.
     *
     * @throws NoSuchElementException if the feature is absent; the message names the feature and
     *     lists those present
     */
    public double get(String name) {
        Double value = values.get(name);
        if (value == null) {
            throw new NoSuchElementException(
                    "Feature '"
                            + name
                            + "' is absent for this payment (present: "
                            + names()
                            + "); test has(\""
                            + name
                            + "\") first or use getOrDefault(\""
                            + name
                            + "\", ...)");
        }
        return value;
    }

    /** The feature's value, or {@code defaultValue} if it is absent. */
    public double getOrDefault(String name, double defaultValue) {
        Double value = values.get(name);
        return value == null ? defaultValue : value;
    }

    /** The names present, sorted. */
    public Set<String> names() {
        return asMap().keySet();
    }

    /** Every value by name, sorted by name, unmodifiable. */
    public Map<String, Double> asMap() {
        return Collections.unmodifiableMap(new TreeMap<>(values));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Features other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "Features" + asMap();
    }

    /** Collects values; the last value put for a name wins. Not thread-safe. */
    public static final class Builder {
        private final Map<String, Double> values = new HashMap<>();

        private Builder() {}

        /**
         * Sets a feature's value.
         *
         * @throws IllegalArgumentException if the name is blank or the value is NaN or infinite
         */
        public Builder put(String name, double value) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("Feature name is blank");
            }
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException(
                        "Feature '" + name + "' has a non-finite value " + value);
            }
            values.put(name, value);
            return this;
        }

        public Features build() {
            return values.isEmpty() ? EMPTY : new Features(Map.copyOf(values));
        }
    }
}
