package org.fraudplatform.rules.engine;

/**
 * A rule failed while judging a payment: a constraint or consequence threw (for instance it read an
 * absent feature without {@code has(...)}, or gave a weight outside [0, 1]). The message names the
 * payment and the ruleset version; the cause, from the engine, names the rule.
 */
public final class RuleEvaluationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    RuleEvaluationException(String message, Throwable cause) {
        super(message, cause);
    }
}
