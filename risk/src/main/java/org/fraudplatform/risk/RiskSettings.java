package org.fraudplatform.risk;

import java.time.Duration;
import java.util.Objects;
import org.fraudplatform.features.FeatureCatalogue;
import org.fraudplatform.schemas.money.CurrencyRates;

/**
 * Settings of the risk topology.
 *
 * @param catalogue the features every decision gets; its grace says how late a payment may arrive
 *     and its retention how long an entity's state is kept
 * @param featureTimeout how long a payment waits for all its entities' features before it is
 *     decided without them (never approved so); below the API's decision timeout, so the API still
 *     gets that decision
 * @param cleanupInterval how often, in wall-clock time, expired entity state is removed
 * @param currencyRates converts each payment's amount into the reference currency that amount
 *     features and rule thresholds are in; a request in a currency it lacks is refused as invalid
 */
public record RiskSettings(
        FeatureCatalogue catalogue,
        Duration featureTimeout,
        Duration cleanupInterval,
        CurrencyRates currencyRates) {

    public static final RiskSettings DEFAULTS =
            new RiskSettings(
                    FeatureCatalogue.standard(),
                    Duration.ofSeconds(1),
                    Duration.ofMinutes(10),
                    CurrencyRates.packaged());

    public RiskSettings {
        Objects.requireNonNull(catalogue, "catalogue");
        Objects.requireNonNull(featureTimeout, "featureTimeout");
        Objects.requireNonNull(cleanupInterval, "cleanupInterval");
        Objects.requireNonNull(currencyRates, "currencyRates");
        if (featureTimeout.isZero() || featureTimeout.isNegative()) {
            throw new IllegalArgumentException("featureTimeout must be positive");
        }
        if (cleanupInterval.isZero() || cleanupInterval.isNegative()) {
            throw new IllegalArgumentException("cleanupInterval must be positive");
        }
    }

    /** These settings converting amounts with another rate table. */
    public RiskSettings withCurrencyRates(CurrencyRates rates) {
        return new RiskSettings(catalogue, featureTimeout, cleanupInterval, rates);
    }

    /** How often overdue payments are looked for: a quarter of the timeout, at least 10 ms. */
    public Duration timeoutCheckInterval() {
        Duration quarter = featureTimeout.dividedBy(4);
        return quarter.compareTo(Duration.ofMillis(10)) < 0 ? Duration.ofMillis(10) : quarter;
    }
}
