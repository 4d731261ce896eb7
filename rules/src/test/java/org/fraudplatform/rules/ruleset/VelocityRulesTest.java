package org.fraudplatform.rules.ruleset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fraudplatform.rules.testing.PackagedRuleset.RULESET;
import static org.fraudplatform.rules.testing.RuleTestData.aBankTransfer;
import static org.fraudplatform.rules.testing.RuleTestData.aCardPayment;
import static org.fraudplatform.rules.testing.RuleTestData.anEstablishedCard;

import org.fraudplatform.rules.engine.RuleDecision;
import org.fraudplatform.rules.facts.Features;
import org.fraudplatform.schemas.RiskAction;
import org.junit.jupiter.api.Test;

/** velocity.drl */
class VelocityRulesTest {

    @Test
    void shouldDeclineWhenCardIsUsedSixTimesInTenMinutes() {
        RuleDecision decision =
                RULESET.evaluate(
                        aCardPayment().build(),
                        anEstablishedCard()
                                .put("card_count_10m", 6)
                                .put("card_count_1d", 6)
                                .build());

        assertThat(decision.action()).isEqualTo(RiskAction.DECLINE);
        assertThat(decision.codes()).containsExactly("VELOCITY_CARD_10M");
    }

    @Test
    void shouldApproveWhenCardIsUsedFiveTimesInTenMinutes() {
        RuleDecision decision =
                RULESET.evaluate(
                        aCardPayment().build(),
                        anEstablishedCard()
                                .put("card_count_10m", 5)
                                .put("card_count_1d", 5)
                                .build());

        assertThat(decision).isEqualTo(RuleDecision.NO_MATCH);
    }

    @Test
    void shouldReviewWhenCardSpentMoreThanFiveThousandInADay() {
        RuleDecision decision =
                RULESET.evaluate(
                        aCardPayment().build(),
                        anEstablishedCard().put("card_sum_amount_1d", 5000_01).build());

        assertThat(decision.action()).isEqualTo(RiskAction.REVIEW);
        assertThat(decision.codes()).containsExactly("VELOCITY_CARD_AMOUNT_1D");
    }

    @Test
    void shouldApproveWhenCardSpentExactlyFiveThousandInADay() {
        RuleDecision decision =
                RULESET.evaluate(
                        aCardPayment().build(),
                        anEstablishedCard().put("card_sum_amount_1d", 5000_00).build());

        assertThat(decision).isEqualTo(RuleDecision.NO_MATCH);
    }

    @Test
    void shouldApproveABankTransferThatHasNoCardFeatures() {
        RuleDecision decision = RULESET.evaluate(aBankTransfer().build(), Features.empty());

        assertThat(decision).isEqualTo(RuleDecision.NO_MATCH);
    }
}
