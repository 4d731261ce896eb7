package org.fraudplatform.rules.cases;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.fraudplatform.rules.facts.Features;
import org.fraudplatform.rules.facts.Transaction;
import org.fraudplatform.schemas.RiskAction;

/**
 * One example an analyst wrote next to the rules: a payment and its feature values, and the
 * decision the ruleset must give.
 *
 * @param file the case file, relative to the ruleset folder
 * @param line the case's line in that file (from 1)
 * @param name what the case shows
 * @param transaction the payment
 * @param features its feature values by catalogue name
 * @param lists the block and allow lists as the case sets them (empty lists when it does not)
 * @param action the expected action
 * @param reasons the expected reason codes, all of them (order does not matter)
 * @param shadow the expected reason codes of shadow rules, or null when the case does not say
 */
public record RuleCase(
        String file,
        int line,
        String name,
        Transaction transaction,
        Features features,
        Map<String, Set<String>> lists,
        RiskAction action,
        Set<String> reasons,
        Set<String> shadow) {

    public RuleCase {
        Objects.requireNonNull(file);
        Objects.requireNonNull(name);
        Objects.requireNonNull(transaction);
        Objects.requireNonNull(features);
        lists = Map.copyOf(lists);
        Objects.requireNonNull(action);
        reasons = Set.copyOf(reasons);
        shadow = shadow == null ? null : Set.copyOf(shadow);
    }

    /** {@code file:line} of the case, as editors and CI logs link it. */
    public String location() {
        return file + ":" + line;
    }

    /** The expected reason codes, sorted, for messages. */
    public List<String> sortedReasons() {
        return reasons.stream().sorted().toList();
    }
}
