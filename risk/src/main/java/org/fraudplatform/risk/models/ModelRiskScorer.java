package org.fraudplatform.risk.models;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fraudplatform.risk.RiskScorer;
import org.fraudplatform.risk.RiskScorer.ModelScores;
import org.fraudplatform.rules.facts.Lists;
import org.fraudplatform.schemas.PaymentRequest;
import org.fraudplatform.schemas.ReasonCode;
import org.fraudplatform.schemas.RiskAction;
import org.fraudplatform.schemas.money.CurrencyRates;

/**
 * Rules and models together: the champion model scores the payment first and the rules read its
 * probability as the feature {@code model_score} (so analysts set the score bands in rules); when
 * the payment is not simply approved, or the score is in the upper band, the model's top
 * contributing features are added as reason codes {@code ML_<FEATURE>}. The shadow model is scored
 * and recorded, deciding nothing. Without a champion the rules decide alone.
 */
public final class ModelRiskScorer implements RiskScorer {

    /** The rules' name for the champion's probability. */
    public static final String MODEL_SCORE = "model_score";

    /** Scores from here up are explained even when the payment is approved. */
    static final double EXPLAIN_FROM = 0.5;

    private static final int TOP_REASONS = 3;

    private final RiskScorer rules;
    private final LiveModels models;
    private final CurrencyRates rates;

    /**
     * @param rates converts the payment's amount into the reference currency, the unit of the
     *     models' {@code amount_minor} input as of the backfill they were trained on
     */
    public ModelRiskScorer(RiskScorer rules, LiveModels models, CurrencyRates rates) {
        this.rules = rules;
        this.models = models;
        this.rates = java.util.Objects.requireNonNull(rates);
    }

    @Override
    public Verdict score(PaymentRequest request, Map<String, Double> features, Lists lists) {
        LiveModels.Pair live = models.get();
        LoadedModel champion = live.champion();
        Double championScore = null;
        double[] x = null;
        Map<String, Double> seen = features;
        long referenceAmount = rates.toReference(request.getAmount(), request.getCurrency());
        if (champion != null) {
            x = champion.vector(referenceAmount, features);
            championScore = champion.score(x);
            seen = new HashMap<>(features);
            seen.put(MODEL_SCORE, championScore);
        }
        Double shadowScore = null;
        LoadedModel shadow = live.shadow();
        if (shadow != null) {
            shadowScore = shadow.score(shadow.vector(referenceAmount, features));
        }
        Verdict verdict = rules.score(request, seen, lists);
        if (champion == null && shadow == null) {
            return verdict;
        }
        List<ReasonCode> reasons = verdict.reasons();
        if (champion != null
                && (verdict.action() != RiskAction.APPROVE || championScore >= EXPLAIN_FROM)) {
            reasons = new ArrayList<>(reasons);
            reasons.addAll(champion.reasons(x, championScore, TOP_REASONS));
        }
        return new Verdict(
                verdict.action(),
                championScore == null ? verdict.score() : Math.max(verdict.score(), championScore),
                reasons,
                verdict.rulesetVersion(),
                champion == null ? null : champion.version(),
                verdict.shadowAction(),
                verdict.shadowReasons(),
                new ModelScores(
                        championScore, shadow == null ? null : shadow.version(), shadowScore));
    }

    @Override
    public String rulesetVersion() {
        return rules.rulesetVersion();
    }
}
