package org.fraudplatform.risk;

import java.util.List;
import java.util.Map;
import org.fraudplatform.rules.facts.Lists;
import org.fraudplatform.schemas.PaymentRequest;
import org.fraudplatform.schemas.ReasonCode;
import org.fraudplatform.schemas.RiskAction;

/**
 * Scores one payment with its features: rules today, rules and models later. Implementations are
 * called from several stream threads at once and must be thread-safe and free of I/O.
 */
public interface RiskScorer {

    /**
     * @param lists the block and allow lists as they stand at the payment's time
     */
    Verdict score(PaymentRequest request, Map<String, Double> features, Lists lists);

    /** Version of the ruleset that currently decides. */
    String rulesetVersion();

    /**
     * The scorer's answer.
     *
     * @param action approve, review or decline
     * @param score risk in [0, 1]
     * @param reasons why, most severe first
     * @param rulesetVersion the ruleset that decided
     * @param modelVersion the model that scored, or null when none did
     * @param shadowAction the action had the shadow rules decided too, or null when none fired
     * @param shadowReasons what the shadow rules found; they decide nothing
     * @param models the models' scores, or null when no model scored
     */
    record Verdict(
            RiskAction action,
            double score,
            List<ReasonCode> reasons,
            String rulesetVersion,
            String modelVersion,
            RiskAction shadowAction,
            List<ReasonCode> shadowReasons,
            ModelScores models) {
        public Verdict {
            reasons = List.copyOf(reasons);
            shadowReasons = List.copyOf(shadowReasons);
        }

        /** A verdict of the rules alone. */
        public Verdict(
                RiskAction action,
                double score,
                List<ReasonCode> reasons,
                String rulesetVersion,
                String modelVersion,
                RiskAction shadowAction,
                List<ReasonCode> shadowReasons) {
            this(
                    action,
                    score,
                    reasons,
                    rulesetVersion,
                    modelVersion,
                    shadowAction,
                    shadowReasons,
                    null);
        }

        /** A verdict without shadow rules. */
        public Verdict(
                RiskAction action,
                double score,
                List<ReasonCode> reasons,
                String rulesetVersion,
                String modelVersion) {
            this(action, score, reasons, rulesetVersion, modelVersion, null, List.of());
        }
    }

    /**
     * What the models said.
     *
     * @param champion the champion's fraud probability, or null without a champion
     * @param shadowVersion the shadow model, or null
     * @param shadow its probability: recorded, deciding nothing
     */
    record ModelScores(Double champion, String shadowVersion, Double shadow) {}
}
