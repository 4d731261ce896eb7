package org.fraudplatform.streams.risk;

import java.util.List;
import java.util.Map;
import org.fraudplatform.schemas.PaymentRequest;
import org.fraudplatform.schemas.ReasonCode;
import org.fraudplatform.schemas.RiskAction;

/**
 * Scores one payment with its features: rules today, rules and models later. Implementations are
 * called from several stream threads at once and must be thread-safe and free of I/O.
 */
public interface RiskScorer {

    Verdict score(PaymentRequest request, Map<String, Double> features);

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
     */
    record Verdict(
            RiskAction action,
            double score,
            List<ReasonCode> reasons,
            String rulesetVersion,
            String modelVersion) {
        public Verdict {
            reasons = List.copyOf(reasons);
        }
    }
}
