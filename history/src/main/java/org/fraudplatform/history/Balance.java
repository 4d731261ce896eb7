package org.fraudplatform.history;

/**
 * A merchant's money in one currency, the sum of its ledger events (minor units).
 *
 * @param chargedBack opened chargebacks minus won ones
 */
public record Balance(
        String currency, long authorized, long captured, long refunded, long chargedBack) {}
