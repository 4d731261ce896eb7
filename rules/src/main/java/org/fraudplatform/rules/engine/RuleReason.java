package org.fraudplatform.rules.engine;

import java.util.Objects;
import org.fraudplatform.schemas.ReasonCode;

/**
 * One reason behind a {@link RuleDecision}: the stable code, the analyst-readable message and the
 * name of the rule that gave it.
 */
public record RuleReason(String code, String message, String ruleName) {

    public RuleReason {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(ruleName, "ruleName");
    }

    /** The reason as the decision contract carries it, with source {@code rule:<rule name>}. */
    public ReasonCode toReasonCode() {
        return ReasonCode.newBuilder()
                .setCode(code)
                .setMessage(message)
                .setSource("rule:" + ruleName)
                .build();
    }
}
