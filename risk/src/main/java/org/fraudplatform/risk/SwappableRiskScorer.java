package org.fraudplatform.risk;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.fraudplatform.rules.engine.CompiledRuleset;
import org.fraudplatform.rules.facts.Lists;
import org.fraudplatform.schemas.PaymentRequest;
import org.fraudplatform.schemas.money.CurrencyRates;

/**
 * The live ruleset, replaceable while the topology runs: each payment is scored by whichever
 * ruleset is live when its scoring starts, so a swap lands between two payments, never inside one.
 */
public final class SwappableRiskScorer implements RiskScorer {

    private final AtomicReference<RulesRiskScorer> live;
    private final CurrencyRates rates;

    /**
     * @param rates converts each payment's amount into the reference currency, for every ruleset
     */
    public SwappableRiskScorer(CompiledRuleset initial, CurrencyRates rates) {
        this.rates = Objects.requireNonNull(rates);
        this.live = new AtomicReference<>(new RulesRiskScorer(initial, rates));
    }

    /** Makes {@code ruleset} live; returns the version it replaced. */
    public String swap(CompiledRuleset ruleset) {
        return live.getAndSet(new RulesRiskScorer(Objects.requireNonNull(ruleset), rates))
                .rulesetVersion();
    }

    @Override
    public Verdict score(PaymentRequest request, Map<String, Double> features, Lists lists) {
        return live.get().score(request, features, lists);
    }

    @Override
    public String rulesetVersion() {
        return live.get().rulesetVersion();
    }
}
