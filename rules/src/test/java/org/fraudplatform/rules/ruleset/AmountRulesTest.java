package org.fraudplatform.rules.ruleset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fraudplatform.rules.testing.PackagedRuleset.RULESET;
import static org.fraudplatform.rules.testing.RuleTestData.DAY_SECONDS;
import static org.fraudplatform.rules.testing.RuleTestData.aBankTransfer;
import static org.fraudplatform.rules.testing.RuleTestData.aCardPayment;
import static org.fraudplatform.rules.testing.RuleTestData.anEstablishedCard;

import org.fraudplatform.rules.engine.RuleDecision;
import org.fraudplatform.rules.facts.Features;
import org.fraudplatform.schemas.RiskAction;
import org.junit.jupiter.api.Test;

/** amount.drl */
class AmountRulesTest {

    @Test
    void shouldReviewAThousandOnACardFirstSeenLessThanADayAgo() {
        RuleDecision decision =
                RULESET.evaluate(
                        aCardPayment().amount(1000_00).build(), newCard(DAY_SECONDS - 1, 1000_00));

        assertThat(decision.action()).isEqualTo(RiskAction.REVIEW);
        assertThat(decision.codes()).containsExactly("NEW_CARD_LARGE_AMOUNT");
    }

    @Test
    void shouldApproveJustUnderAThousandOnACardFirstSeenLessThanADayAgo() {
        RuleDecision decision =
                RULESET.evaluate(
                        aCardPayment().amount(999_99).build(), newCard(DAY_SECONDS - 1, 999_99));

        assertThat(decision).isEqualTo(RuleDecision.NO_MATCH);
    }

    @Test
    void shouldApproveAThousandOnACardFirstSeenExactlyADayAgo() {
        RuleDecision decision =
                RULESET.evaluate(
                        aCardPayment().amount(1000_00).build(), newCard(DAY_SECONDS, 1000_00));

        assertThat(decision).isEqualTo(RuleDecision.NO_MATCH);
    }

    @Test
    void shouldReviewASinglePaymentOfTenThousand() {
        RuleDecision decision =
                RULESET.evaluate(aBankTransfer().amount(10_000_00).build(), Features.empty());

        assertThat(decision.action()).isEqualTo(RiskAction.REVIEW);
        assertThat(decision.codes()).containsExactly("AMOUNT_VERY_LARGE");
    }

    @Test
    void shouldApproveASinglePaymentJustUnderTenThousand() {
        RuleDecision decision =
                RULESET.evaluate(aBankTransfer().amount(9_999_99).build(), Features.empty());

        assertThat(decision).isEqualTo(RuleDecision.NO_MATCH);
    }

    /** A card first seen {@code secondsAgo} ago whose only payment today is this one. */
    private static Features newCard(long secondsAgo, long amount) {
        return anEstablishedCard()
                .put("card_seconds_since_first_seen", secondsAgo)
                .put("card_sum_amount_10m", amount)
                .put("card_sum_amount_1d", amount)
                .put("card_avg_amount_1d", amount)
                .build();
    }
}
