package org.fraudplatform.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.fraudplatform.rules.testing.RuleTestData.aCardPayment;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fraudplatform.rules.facts.Features;
import org.fraudplatform.rules.facts.Transaction;
import org.fraudplatform.schemas.RiskAction;
import org.junit.jupiter.api.Test;

/** How the results of several matched rules become one decision. */
class DecisionCombinationTest {

    private static final Transaction PAYMENT = aCardPayment().build();

    @Test
    void shouldApproveWithScoreZeroAndNoReasonsWhenNoRuleMatches() {
        CompiledRuleset ruleset =
                compile(
                        rule(
                                "Never",
                                0,
                                "Transaction( amount < 0 )",
                                "review(\"NEVER\", \"n\", 0.5)"));

        assertThat(ruleset.evaluate(PAYMENT, Features.empty()))
                .isEqualTo(new RuleDecision(RiskAction.APPROVE, 0.0, List.of()));
    }

    @Test
    void shouldDeclineWhenOneRuleDeclinesAndOthersReview() {
        CompiledRuleset ruleset =
                compile(
                        always("Review one", 90, "review(\"REVIEW_ONE\", \"r1\", 0.3)"),
                        always("Decline", 10, "decline(\"DECLINE_ONE\", \"d\", 0.6)"),
                        always("Review two", 50, "review(\"REVIEW_TWO\", \"r2\", 0.3)"));

        RuleDecision decision = ruleset.evaluate(PAYMENT, Features.empty());

        assertThat(decision.action()).isEqualTo(RiskAction.DECLINE);
        assertThat(decision.codes()).containsExactly("DECLINE_ONE", "REVIEW_ONE", "REVIEW_TWO");
    }

    @Test
    void shouldKeepApproveWhenRulesOnlyFlag() {
        CompiledRuleset ruleset = compile(always("Flag", 0, "flag(\"FLAGGED\", \"f\", 0.2)"));

        RuleDecision decision = ruleset.evaluate(PAYMENT, Features.empty());

        assertThat(decision.action()).isEqualTo(RiskAction.APPROVE);
        assertThat(decision.score()).isEqualTo(0.2, within(1e-12));
        assertThat(decision.reasons()).containsExactly(new RuleReason("FLAGGED", "f", "Flag"));
    }

    @Test
    void shouldReviewWhenOneRuleReviewsAndAnotherFlags() {
        CompiledRuleset ruleset =
                compile(
                        always("Flag", 100, "flag(\"FLAGGED\", \"f\", 0.2)"),
                        always("Review", 0, "review(\"REVIEWED\", \"r\", 0.2)"));

        RuleDecision decision = ruleset.evaluate(PAYMENT, Features.empty());

        assertThat(decision.action()).isEqualTo(RiskAction.REVIEW);
        assertThat(decision.codes()).containsExactly("REVIEWED", "FLAGGED");
    }

    @Test
    void shouldScoreTheNoisyOrOfTheMatchedWeights() {
        CompiledRuleset ruleset =
                compile(
                        always("Half", 0, "review(\"HALF\", \"h\", 0.5)"),
                        always("Fifth", 0, "flag(\"FIFTH\", \"f\", 0.2)"),
                        always("Nothing", 0, "flag(\"NOTHING\", \"n\", 0.0)"));

        // 1 - (1 - 0.5)(1 - 0.2)(1 - 0) = 0.6
        assertThat(ruleset.evaluate(PAYMENT, Features.empty()).score())
                .isEqualTo(0.6, within(1e-12));
    }

    @Test
    void shouldScoreOneWhenAnyMatchedWeightIsOne() {
        CompiledRuleset ruleset =
                compile(
                        always("Certain", 0, "decline(\"CERTAIN\", \"c\", 1.0)"),
                        always("Mild", 0, "flag(\"MILD\", \"m\", 0.1)"));

        assertThat(ruleset.evaluate(PAYMENT, Features.empty()).score()).isEqualTo(1.0);
    }

    @Test
    void shouldOrderReasonsBySeverityThenSalienceThenCode() {
        CompiledRuleset ruleset =
                compile(
                        always("Flag high", 100, "flag(\"A_FLAG\", \"f\", 0.1)"),
                        always("Review low b", 10, "review(\"B_REVIEW\", \"r\", 0.1)"),
                        always("Review low a", 10, "review(\"A_REVIEW\", \"r\", 0.1)"),
                        always("Review high", 20, "review(\"Z_REVIEW\", \"r\", 0.1)"),
                        always("Decline", 0, "decline(\"Z_DECLINE\", \"d\", 0.1)"));

        assertThat(ruleset.evaluate(PAYMENT, Features.empty()).codes())
                .containsExactly("Z_DECLINE", "Z_REVIEW", "A_REVIEW", "B_REVIEW", "A_FLAG");
    }

    @Test
    void shouldGiveTheSameDecisionWhateverOrderTheRulesFireIn() {
        // given: equal salience, so Drools fires in declaration order; these weights give a
        // different last bit of the score when multiplied forwards or backwards
        String small = always("Small", 0, "review(\"SMALL\", \"s\", 0.1)");
        String medium = always("Medium", 0, "review(\"MEDIUM\", \"m\", 0.2)");
        String large = always("Large", 0, "review(\"LARGE\", \"l\", 0.35)");
        CompiledRuleset forwards = compile(small, medium, large);
        CompiledRuleset backwards = compile(large, medium, small);

        // when
        RuleDecision one = forwards.evaluate(PAYMENT, Features.empty());
        RuleDecision other = backwards.evaluate(PAYMENT, Features.empty());

        // then: equal to the last bit, reasons in the same order
        assertThat(one).isEqualTo(other);
        assertThat(Double.doubleToLongBits(one.score()))
                .isEqualTo(Double.doubleToLongBits(other.score()));
    }

    @Test
    void shouldGiveTheSameDecisionWhateverOrderTheFilesAreGivenIn() {
        Map<String, byte[]> forwards = new LinkedHashMap<>();
        forwards.put("a.drl", file(always("In a", 0, "review(\"IN_A\", \"a\", 0.1)")));
        forwards.put("b.drl", file(always("In b", 0, "review(\"IN_B\", \"b\", 0.35)")));
        Map<String, byte[]> backwards = new LinkedHashMap<>();
        backwards.put("b.drl", forwards.get("b.drl"));
        backwards.put("a.drl", forwards.get("a.drl"));

        CompiledRuleset one = RuleEngine.compile(RulesetSource.of(forwards));
        CompiledRuleset other = RuleEngine.compile(RulesetSource.of(backwards));

        assertThat(one.version()).isEqualTo(other.version());
        assertThat(one.evaluate(PAYMENT, Features.empty()))
                .isEqualTo(other.evaluate(PAYMENT, Features.empty()));
    }

    @Test
    void shouldFailTheEvaluationNamingTheRuleWhenAWeightIsAboveOne() {
        CompiledRuleset ruleset =
                compile(always("Too sure", 0, "review(\"TOO_SURE\", \"t\", 1.5)"));

        assertThatThrownBy(() -> ruleset.evaluate(PAYMENT, Features.empty()))
                .isInstanceOf(RuleEvaluationException.class)
                .hasMessageContaining("Too sure")
                .hasMessageContaining("weight of TOO_SURE must be in [0, 1], was 1.5");
    }

    @Test
    void shouldFailTheEvaluationWhenAReasonCodeIsNotUpperSnakeCase() {
        CompiledRuleset ruleset = compile(always("Lower", 0, "review(\"lower-case\", \"l\", 0.1)"));

        assertThatThrownBy(() -> ruleset.evaluate(PAYMENT, Features.empty()))
                .isInstanceOf(RuleEvaluationException.class)
                .hasMessageContaining("reason code must be UPPER_SNAKE_CASE, was 'lower-case'");
    }

    @Test
    void shouldFailTheEvaluationNamingTheFeatureWhenARuleReadsAnAbsentOne() {
        CompiledRuleset ruleset =
                compile(
                        rule(
                                "Reads a feature unguarded",
                                0,
                                "Features( get(\"card_count_10m\") > 5 )",
                                "review(\"UNGUARDED\", \"u\", 0.1)"));

        assertThatThrownBy(
                        () -> ruleset.evaluate(PAYMENT, Features.builder().put("other", 1).build()))
                .isInstanceOf(RuleEvaluationException.class)
                .hasMessageContaining("Reads a feature unguarded")
                .hasMessageContaining("Feature 'card_count_10m' is absent")
                .hasMessageContaining("pay-1");
    }

    private static String always(String name, int salience, String verdictCall) {
        return rule(name, salience, "Transaction()", verdictCall);
    }

    private static String rule(String name, int salience, String when, String verdictCall) {
        return "rule \""
                + name
                + "\"\n    salience "
                + salience
                + "\nwhen\n    "
                + when
                + "\nthen\n    verdict."
                + verdictCall
                + ";\nend\n";
    }

    private static byte[] file(String... rules) {
        return ("package test;\n"
                        + "import org.fraudplatform.rules.facts.Transaction;\n"
                        + "import org.fraudplatform.rules.facts.Features;\n"
                        + "global org.fraudplatform.rules.facts.Verdict verdict;\n"
                        + String.join("", rules))
                .getBytes(StandardCharsets.UTF_8);
    }

    private static CompiledRuleset compile(String... rules) {
        return RuleEngine.compile(RulesetSource.of(Map.of("test.drl", file(rules))));
    }
}
