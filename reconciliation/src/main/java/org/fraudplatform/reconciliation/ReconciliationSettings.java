package org.fraudplatform.reconciliation;

import java.time.Duration;

/**
 * How long a movement waits for its other side.
 *
 * @param window a ledger movement without a settlement row (or a row without a ledger movement)
 *     stays open this long after it arrived; then it is an exception. The other side arriving later
 *     still matches it, with the exception in its history.
 * @param scan how often open items are checked against their window (wall-clock time)
 */
public record ReconciliationSettings(Duration window, Duration scan) {

    /** Two days, as providers settle a day's captures the next business day; scan every 10 s. */
    public static final ReconciliationSettings DEFAULTS =
            new ReconciliationSettings(Duration.ofDays(2), Duration.ofSeconds(10));

    /** This window, scanned four times per window (at least every 10 s, at most every 0.1 s). */
    public static ReconciliationSettings forWindow(Duration window) {
        Duration scan = window.dividedBy(4);
        if (scan.compareTo(DEFAULTS.scan()) > 0) {
            scan = DEFAULTS.scan();
        }
        if (scan.compareTo(Duration.ofMillis(100)) < 0) {
            scan = Duration.ofMillis(100);
        }
        return new ReconciliationSettings(window, scan);
    }

    public ReconciliationSettings {
        if (window.isNegative()) {
            throw new IllegalArgumentException("the reconciliation window must not be negative");
        }
        if (scan.isNegative() || scan.isZero()) {
            throw new IllegalArgumentException("the scan interval must be positive");
        }
    }
}
