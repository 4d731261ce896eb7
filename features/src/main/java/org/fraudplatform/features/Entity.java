package org.fraudplatform.features;

import java.util.Locale;

/**
 * What a feature is counted per. Every entity is a key of the payment; a payment without that key
 * (no device id, say) has no features of that entity.
 */
public enum Entity {
    /** The card, wallet or bank account token (the instrument key). */
    CARD("the instrument token (card, wallet or account)"),
    /** The merchant's customer id, scoped by merchant. */
    CUSTOMER("the customer id, scoped by merchant"),
    /** The customer's email, as its keyed hash. */
    EMAIL("the keyed hash of the customer's email"),
    /** The customer's IP address. */
    IP("the customer's IP address"),
    /** The customer's device id. */
    DEVICE("the customer's device id"),
    /** The merchant (or terminal). */
    MERCHANT("the merchant or terminal id");

    private final String description;

    Entity(String description) {
        this.description = description;
    }

    /** The prefix of this entity's feature names: {@code card}, {@code ip}, … */
    public String prefix() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String description() {
        return description;
    }

    /**
     * The key of this entity's state, in the risk topology's store and repartition topic and in the
     * backfill: {@code <prefix>:<key>}, e.g. {@code ip:203.0.113.7}.
     */
    public String stateKey(String key) {
        return prefix() + ":" + key;
    }

    /** The entity a {@link #stateKey} belongs to, or null when it names none. */
    public static Entity ofStateKey(String stateKey) {
        int colon = stateKey.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String prefix = stateKey.substring(0, colon);
        for (Entity e : values()) {
            if (e.prefix().equals(prefix)) {
                return e;
            }
        }
        return null;
    }

    /** This entity's key in a payment, or null when the payment has none. */
    public String keyOf(FeaturePayment payment) {
        return switch (this) {
            case CARD -> payment.card();
            case CUSTOMER -> payment.customer();
            case EMAIL -> payment.email();
            case IP -> payment.ip();
            case DEVICE -> payment.device();
            case MERCHANT -> payment.merchant();
        };
    }
}
