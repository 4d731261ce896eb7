package org.fraudplatform.rules.engine;

import java.util.List;
import java.util.Objects;
import org.fraudplatform.schemas.RiskAction;

/**
 * What a ruleset concluded for one payment.
 *
 * <p>Invariants: {@code score} is in [0, 1]; no reasons means {@code APPROVE} with score 0; {@code
 * reasons} is unmodifiable, most severe first (see {@link CompiledRuleset#evaluate}).
 *
 * @param action the most severe action any matched rule asked for, {@code APPROVE} if none
 * @param score the noisy-or of the matched rules' weights, 1 − Π(1 − wᵢ)
 * @param reasons one per matched rule result, in the documented order
 * @param shadowAction what the action would have been had the shadow rules decided too
 * @param shadowReasons the results of matched shadow rules ({@code @shadow}), which decide nothing
 */
public record RuleDecision(
        RiskAction action,
        double score,
        List<RuleReason> reasons,
        RiskAction shadowAction,
        List<RuleReason> shadowReasons) {

    /** The decision when no rule matched. */
    public static final RuleDecision NO_MATCH =
            new RuleDecision(RiskAction.APPROVE, 0.0, List.of());

    /** A decision without shadow rules. */
    public RuleDecision(RiskAction action, double score, List<RuleReason> reasons) {
        this(action, score, reasons, action, List.of());
    }

    public RuleDecision {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(shadowAction, "shadowAction");
        shadowReasons = List.copyOf(shadowReasons);
        if (!(score >= 0.0 && score <= 1.0)) {
            throw new IllegalArgumentException("score outside [0, 1]: " + score);
        }
        reasons = List.copyOf(reasons);
    }

    /** The reason codes, in order. */
    public List<String> codes() {
        return reasons.stream().map(RuleReason::code).toList();
    }

    /** The shadow rules' reason codes, in order. */
    public List<String> shadowCodes() {
        return shadowReasons.stream().map(RuleReason::code).toList();
    }
}
