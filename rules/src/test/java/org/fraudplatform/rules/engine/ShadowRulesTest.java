package org.fraudplatform.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.fraudplatform.rules.facts.Features;
import org.fraudplatform.rules.facts.Transaction;
import org.fraudplatform.schemas.PaymentMethodType;
import org.fraudplatform.schemas.RiskAction;
import org.junit.jupiter.api.Test;

/** A rule marked {@code @shadow} runs and is recorded, and decides nothing. */
class ShadowRulesTest {

    private static final CompiledRuleset RULESET =
            RuleEngine.compile(
                    RulesetSource.of(
                            Map.of(
                                    "trial.drl",
                                    """
                                    package org.fraudplatform.rules.ruleset;
                                    import org.fraudplatform.rules.facts.Features;
                                    global org.fraudplatform.rules.facts.Verdict verdict;
                                    rule "Live review"
                                    when
                                        Features( has("x") && get("x") >= 1 )
                                    then
                                        verdict.review("LIVE_REVIEW", "live", 0.5);
                                    end
                                    rule "Stricter, on trial"
                                        @shadow
                                    when
                                        Features( has("x") && get("x") >= 1 )
                                    then
                                        verdict.decline("TRIAL_DECLINE", "trial", 0.9);
                                    end
                                    """
                                            .getBytes(StandardCharsets.UTF_8))));

    private static RuleDecision judge(double x) {
        return RULESET.evaluate(
                Transaction.builder()
                        .paymentId("p")
                        .merchantId("m")
                        .amount(100)
                        .currency("EUR")
                        .paymentMethod(PaymentMethodType.CARD)
                        .build(),
                Features.builder().put("x", x).build());
    }

    @Test
    void shouldRecordTheShadowOutcomeWithoutLettingItDecide() {
        RuleDecision decision = judge(1);

        assertThat(decision.action()).isEqualTo(RiskAction.REVIEW);
        assertThat(decision.codes()).containsExactly("LIVE_REVIEW");
        assertThat(decision.score()).isEqualTo(0.5);
        assertThat(decision.shadowCodes()).containsExactly("TRIAL_DECLINE");
        assertThat(decision.shadowReasons().get(0).ruleName()).isEqualTo("Stricter, on trial");
        assertThat(decision.shadowAction()).isEqualTo(RiskAction.DECLINE);
    }

    @Test
    void shouldHaveNoShadowOutcomeWhenNoShadowRuleFires() {
        RuleDecision decision = judge(0);

        assertThat(decision.action()).isEqualTo(RiskAction.APPROVE);
        assertThat(decision.shadowAction()).isEqualTo(RiskAction.APPROVE);
        assertThat(decision.shadowReasons()).isEmpty();
    }
}
