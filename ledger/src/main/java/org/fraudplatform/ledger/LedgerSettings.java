package org.fraudplatform.ledger;

import java.time.Duration;

/**
 * How the ledger treats time.
 *
 * @param authorizationValidity how long an authorization can be captured; then it expires and
 *     releases what was not captured (7 days by default, as card schemes allow)
 * @param expiryScan how often the ledger looks for authorizations that expired (wall-clock time)
 */
public record LedgerSettings(Duration authorizationValidity, Duration expiryScan) {

    public static final LedgerSettings DEFAULTS =
            new LedgerSettings(Duration.ofDays(7), Duration.ofSeconds(30));

    public LedgerSettings {
        if (authorizationValidity.isNegative() || authorizationValidity.isZero()) {
            throw new IllegalArgumentException("authorization validity must be positive");
        }
        if (expiryScan.isNegative() || expiryScan.isZero()) {
            throw new IllegalArgumentException("expiry scan interval must be positive");
        }
    }
}
