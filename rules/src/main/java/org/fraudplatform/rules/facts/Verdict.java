package org.fraudplatform.rules.facts;

/**
 * What a rule's consequence may do: add one result. Every ruleset file declares it as the global
 * {@code verdict}:
 *
 * <pre>{@code
 * global org.fraudplatform.rules.facts.Verdict verdict;
 * ...
 * then
 *     verdict.review("AMOUNT_VERY_LARGE", "Single payment worth 10 000.00 EUR or more", 0.3);
 * }</pre>
 *
 * <p>Contract: {@code code} is a stable upper-snake-case reason code ({@code [A-Z][A-Z0-9_]*}),
 * {@code message} a non-blank sentence for an analyst, {@code weight} the risk the rule adds, in
 * [0, 1]. The engine records which rule called, with its salience, and combines all results once
 * every rule has fired (see the module README): the most severe action wins, the score is the
 * noisy-or of the weights. A call is only valid while a rule fires; an invalid argument fails the
 * evaluation with the rule's name. Implementations are confined to one evaluation.
 */
public interface Verdict {

    /** Refuse the payment. */
    void decline(String code, String message, double weight);

    /** Hold the payment for an analyst (unless another rule declines it). */
    void review(String code, String message, double weight);

    /** Add a reason and risk without changing the action. */
    void flag(String code, String message, double weight);

    /**
     * Approve whatever else matched: for allow-lists. It takes precedence over every decline and
     * review; the other rules' results stay on the decision as reasons.
     */
    void allow(String code, String message);
}
