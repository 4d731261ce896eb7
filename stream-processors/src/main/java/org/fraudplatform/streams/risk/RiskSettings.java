package org.fraudplatform.streams.risk;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the risk topology.
 *
 * @param allowedLateness how late (behind the card's newest payment) a payment may arrive and still
 *     see the window events it should
 * @param idleCardRetention a card whose newest payment is older than this loses its state
 *     (including first-seen)
 * @param cleanupInterval how often, in wall-clock time, idle cards are removed
 */
public record RiskSettings(
        Duration allowedLateness, Duration idleCardRetention, Duration cleanupInterval) {

    public static final RiskSettings DEFAULTS =
            new RiskSettings(Duration.ofMinutes(5), Duration.ofDays(30), Duration.ofMinutes(10));

    public RiskSettings {
        Objects.requireNonNull(allowedLateness, "allowedLateness");
        Objects.requireNonNull(idleCardRetention, "idleCardRetention");
        Objects.requireNonNull(cleanupInterval, "cleanupInterval");
        if (allowedLateness.isNegative()) {
            throw new IllegalArgumentException("allowedLateness must not be negative");
        }
        if (idleCardRetention.compareTo(Duration.ofDays(1)) < 0) {
            throw new IllegalArgumentException(
                    "idleCardRetention must cover the longest feature window (1 day)");
        }
        if (cleanupInterval.isZero() || cleanupInterval.isNegative()) {
            throw new IllegalArgumentException("cleanupInterval must be positive");
        }
    }
}
