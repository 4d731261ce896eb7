package org.fraudplatform.rules.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import org.fraudplatform.rules.facts.Verdict;
import org.fraudplatform.schemas.RiskAction;
import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.BeforeMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;

/**
 * The {@link Verdict} of one evaluation: records each result with the rule that gave it, then
 * combines them in {@link #decide()} independently of the order the rules fired in.
 *
 * <p>Confined to one evaluation (one thread); the agenda listener from {@link #listener()} tells it
 * which rule is firing.
 */
final class VerdictCollector implements Verdict {

    private static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9_]*");

    /** Severity, then salience (high first), then code, rule name, message, weight. */
    private static final Comparator<Result> ORDER =
            Comparator.comparing(Result::outcome)
                    .thenComparing(Comparator.comparingInt(Result::salience).reversed())
                    .thenComparing(Result::code)
                    .thenComparing(Result::ruleName)
                    .thenComparing(Result::message)
                    .thenComparingDouble(Result::weight);

    private final List<Result> results = new ArrayList<>(4);
    private final List<Result> shadowResults = new ArrayList<>(0);
    private String firingRule;
    private int firingSalience;
    private boolean firingShadow;

    @Override
    public void decline(String code, String message, double weight) {
        add(Outcome.DECLINE, code, message, weight);
    }

    @Override
    public void review(String code, String message, double weight) {
        add(Outcome.REVIEW, code, message, weight);
    }

    @Override
    public void flag(String code, String message, double weight) {
        add(Outcome.FLAG, code, message, weight);
    }

    @Override
    public void allow(String code, String message) {
        add(Outcome.ALLOW, code, message, 0.0);
    }

    private void add(Outcome outcome, String code, String message, double weight) {
        if (firingRule == null) {
            throw new IllegalStateException("A verdict can only be given by a firing rule");
        }
        if (code == null || !CODE.matcher(code).matches()) {
            throw new IllegalArgumentException(
                    "Rule \""
                            + firingRule
                            + "\": reason code must be UPPER_SNAKE_CASE, was "
                            + (code == null ? "null" : "'" + code + "'"));
        }
        if (message == null || message.isBlank()) {
            throw new IllegalArgumentException(
                    "Rule \"" + firingRule + "\": reason " + code + " has no message");
        }
        if (!(weight >= 0.0 && weight <= 1.0)) {
            throw new IllegalArgumentException(
                    "Rule \""
                            + firingRule
                            + "\": weight of "
                            + code
                            + " must be in [0, 1], was "
                            + weight);
        }
        Result result = new Result(outcome, firingSalience, code, message, firingRule, weight);
        (firingShadow ? shadowResults : results).add(result);
    }

    /** The combined decision; the same results in any order give an identical decision. */
    RuleDecision decide() {
        if (results.isEmpty() && shadowResults.isEmpty()) {
            return RuleDecision.NO_MATCH;
        }
        results.sort(ORDER);
        shadowResults.sort(ORDER);
        // the product is taken in the sorted order, so even its rounding is order-independent
        double approvalOdds = 1.0;
        for (Result r : results) {
            approvalOdds *= 1.0 - r.weight();
        }
        RiskAction action =
                results.isEmpty() ? RiskAction.APPROVE : results.get(0).outcome().action();
        RiskAction shadowAction = action;
        if (!shadowResults.isEmpty()) {
            RiskAction wouldBe = shadowResults.get(0).outcome().action();
            shadowAction = severity(wouldBe) > severity(action) ? wouldBe : action;
        }
        return new RuleDecision(
                action, 1.0 - approvalOdds, reasons(results), shadowAction, reasons(shadowResults));
    }

    private static List<RuleReason> reasons(List<Result> results) {
        List<RuleReason> reasons = new ArrayList<>(results.size());
        for (Result r : results) {
            reasons.add(new RuleReason(r.code(), r.message(), r.ruleName()));
        }
        return reasons;
    }

    private static int severity(RiskAction action) {
        return switch (action) {
            case DECLINE -> 2;
            case REVIEW -> 1;
            default -> 0;
        };
    }

    /** Tells this collector which rule fires; add it to the evaluation's session. */
    DefaultAgendaEventListener listener() {
        return new DefaultAgendaEventListener() {
            @Override
            public void beforeMatchFired(BeforeMatchFiredEvent event) {
                firingRule = event.getMatch().getRule().getName();
                firingSalience = event.getMatch().getSalience();
                firingShadow = event.getMatch().getRule().getMetaData().containsKey("shadow");
            }

            @Override
            public void afterMatchFired(AfterMatchFiredEvent event) {
                firingRule = null;
            }
        };
    }

    private record Result(
            Outcome outcome,
            int salience,
            String code,
            String message,
            String ruleName,
            double weight) {}
}
