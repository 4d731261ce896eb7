package org.fraudplatform.risk;

import java.util.Map;
import java.util.Objects;
import org.fraudplatform.rules.engine.CompiledRuleset;
import org.fraudplatform.rules.engine.RuleDecision;
import org.fraudplatform.rules.engine.RuleEngine;
import org.fraudplatform.rules.engine.RuleReason;
import org.fraudplatform.rules.engine.RulesetSource;
import org.fraudplatform.rules.facts.Features;
import org.fraudplatform.rules.facts.Lists;
import org.fraudplatform.rules.facts.Transaction;
import org.fraudplatform.schemas.PaymentRequest;
import org.fraudplatform.schemas.money.CurrencyRates;

/** Scores a payment with a compiled Drools ruleset. Thread-safe: the ruleset is. */
public final class RulesRiskScorer implements RiskScorer {

    private final CompiledRuleset ruleset;
    private final CurrencyRates rates;

    /**
     * @param rates converts each payment's amount into the reference currency the rules compare
     */
    public RulesRiskScorer(CompiledRuleset ruleset, CurrencyRates rates) {
        this.ruleset = Objects.requireNonNull(ruleset);
        this.rates = Objects.requireNonNull(rates);
    }

    /**
     * The ruleset packaged with the rules module ({@code rules/ruleset}), with the packaged rate
     * table.
     */
    public static RulesRiskScorer packagedRuleset() {
        return new RulesRiskScorer(
                RuleEngine.compile(RulesetSource.packaged()), CurrencyRates.packaged());
    }

    @Override
    public Verdict score(PaymentRequest request, Map<String, Double> features, Lists lists) {
        RuleDecision decision =
                ruleset.evaluate(
                        Transaction.fromRequest(request, rates), Features.of(features), lists);
        return new Verdict(
                decision.action(),
                decision.score(),
                decision.reasons().stream().map(RuleReason::toReasonCode).toList(),
                ruleset.version(),
                null,
                decision.shadowReasons().isEmpty() ? null : decision.shadowAction(),
                decision.shadowReasons().stream().map(RuleReason::toReasonCode).toList());
    }

    @Override
    public String rulesetVersion() {
        return ruleset.version();
    }
}
