package org.fraudplatform.rules.engine;

import org.fraudplatform.schemas.RiskAction;

/** What one rule result asks for; declared most severe first, so natural order is severity. */
enum Outcome {
    /** An allow-list match: approves whatever else matched (the others stay as reasons). */
    ALLOW(RiskAction.APPROVE),
    DECLINE(RiskAction.DECLINE),
    REVIEW(RiskAction.REVIEW),
    FLAG(RiskAction.APPROVE);

    private final RiskAction action;

    Outcome(RiskAction action) {
        this.action = action;
    }

    RiskAction action() {
        return action;
    }
}
