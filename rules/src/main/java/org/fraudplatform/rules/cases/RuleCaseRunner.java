package org.fraudplatform.rules.cases;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fraudplatform.rules.engine.CompiledRuleset;
import org.fraudplatform.rules.engine.RuleDecision;
import org.fraudplatform.rules.engine.RuleEvaluationException;

/** Runs rule cases against a compiled ruleset. */
public final class RuleCaseRunner {

    private RuleCaseRunner() {}

    /**
     * The case's failure as {@code file:line: case 'name': expected …, got …}, or null when the
     * ruleset decides as the case expects.
     */
    public static String check(CompiledRuleset ruleset, RuleCase c) {
        RuleDecision decision;
        try {
            decision =
                    ruleset.evaluate(
                            c.transaction(),
                            c.features(),
                            org.fraudplatform.rules.facts.Lists.of(c.lists()));
        } catch (RuleEvaluationException e) {
            return c.location() + ": case '" + c.name() + "': a rule failed: " + e.getMessage();
        }
        Set<String> got = new HashSet<>(decision.codes());
        Set<String> shadow = new HashSet<>(decision.shadowCodes());
        boolean shadowAsExpected = c.shadow() == null || shadow.equals(c.shadow());
        if (decision.action() == c.action() && got.equals(c.reasons()) && shadowAsExpected) {
            return null;
        }
        if (!shadowAsExpected) {
            return c.location()
                    + ": case '"
                    + c.name()
                    + "': expected shadow "
                    + c.shadow().stream().sorted().toList()
                    + ", got shadow "
                    + decision.shadowCodes().stream().sorted().toList();
        }
        return c.location()
                + ": case '"
                + c.name()
                + "': expected "
                + c.action()
                + " "
                + c.sortedReasons()
                + ", got "
                + decision.action()
                + " "
                + decision.codes().stream().sorted().toList();
    }

    /** Every failure, in case order; empty when all pass. */
    public static List<String> run(CompiledRuleset ruleset, List<RuleCase> cases) {
        List<String> failures = new ArrayList<>();
        for (RuleCase c : cases) {
            String failure = check(ruleset, c);
            if (failure != null) {
                failures.add(failure);
            }
        }
        return failures;
    }
}
