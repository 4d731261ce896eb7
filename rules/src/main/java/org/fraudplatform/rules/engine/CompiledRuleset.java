package org.fraudplatform.rules.engine;

import java.util.List;
import java.util.Objects;
import org.fraudplatform.rules.facts.Features;
import org.fraudplatform.rules.facts.Lists;
import org.fraudplatform.rules.facts.Transaction;
import org.kie.api.KieBase;
import org.kie.api.runtime.StatelessKieSession;

/**
 * A compiled ruleset, ready to judge payments.
 *
 * <p>{@link #evaluate} inserts the {@link Transaction} and its {@link Features} into a fresh
 * stateless session over the shared, immutable rule base, fires every matching rule once, and
 * combines the results the rules gave through the global {@code verdict}:
 *
 * <ul>
 *   <li>action: DECLINE if any rule declined, else REVIEW if any rule asked for review, else
 *       APPROVE (flags do not change the action; no match → APPROVE with score 0);
 *   <li>score: noisy-or of the weights, 1 − Π(1 − wᵢ), in [0, 1];
 *   <li>reasons: by severity (decline, review, flag), then salience (high first), then code, then
 *       rule name.
 * </ul>
 *
 * The decision depends only on the inputs, never on the order Drools fires rules in. Thread-safe:
 * any number of threads may evaluate at once; nothing is kept between evaluations.
 */
public final class CompiledRuleset {

    /** The name rules use for the {@link org.fraudplatform.rules.facts.Verdict} global. */
    public static final String VERDICT_GLOBAL = "verdict";

    private final String version;
    private final KieBase kieBase;
    private final List<String> ruleNames;
    private final List<String> warnings;
    private final boolean usesVerdict;

    CompiledRuleset(
            String version,
            KieBase kieBase,
            List<String> ruleNames,
            List<String> warnings,
            boolean usesVerdict) {
        this.version = version;
        this.kieBase = kieBase;
        this.ruleNames = List.copyOf(ruleNames);
        this.warnings = List.copyOf(warnings);
        this.usesVerdict = usesVerdict;
    }

    /** The source's content hash ({@link RulesetSource#version()}). */
    public String version() {
        return version;
    }

    /** Every rule's name, sorted. */
    public List<String> ruleNames() {
        return ruleNames;
    }

    /** The compiler's warnings, as {@code file:line: message}. */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * Judges one payment.
     *
     * @throws RuleEvaluationException if a rule's constraint or consequence throws
     */
    public RuleDecision evaluate(Transaction transaction, Features features) {
        return evaluate(transaction, features, Lists.none());
    }

    /**
     * Judges one payment against the block and allow lists as they stand at its time.
     *
     * @throws RuleEvaluationException if a rule's constraint or consequence throws
     */
    public RuleDecision evaluate(Transaction transaction, Features features, Lists lists) {
        Objects.requireNonNull(transaction, "transaction");
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(lists, "lists");
        VerdictCollector verdict = new VerdictCollector();
        StatelessKieSession session = kieBase.newStatelessKieSession();
        if (usesVerdict) {
            session.setGlobal(VERDICT_GLOBAL, verdict);
        }
        session.addEventListener(verdict.listener());
        try {
            session.execute(List.of(transaction, features, lists));
        } catch (RuntimeException e) {
            throw new RuleEvaluationException(
                    "Ruleset "
                            + version
                            + " failed on payment "
                            + transaction.getPaymentId()
                            + ": "
                            + describe(e),
                    e);
        }
        return verdict.decide();
    }

    /** The engine's message (it names the rule) and, if another, the root cause's. */
    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = e.getMessage();
        return root == e || root.getMessage() == null || message.contains(root.getMessage())
                ? message
                : message + ": " + root.getMessage();
    }

    @Override
    public String toString() {
        return "CompiledRuleset{version=" + version + ", rules=" + ruleNames.size() + "}";
    }
}
