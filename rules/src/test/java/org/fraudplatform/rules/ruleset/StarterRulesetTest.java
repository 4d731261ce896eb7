package org.fraudplatform.rules.ruleset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.fraudplatform.rules.testing.PackagedRuleset.RULESET;
import static org.fraudplatform.rules.testing.RuleTestData.aCardPayment;
import static org.fraudplatform.rules.testing.RuleTestData.anEstablishedCard;

import org.fraudplatform.rules.engine.RuleDecision;
import org.fraudplatform.schemas.RiskAction;
import org.junit.jupiter.api.Test;

/** Several starter rules on one payment. */
class StarterRulesetTest {

    @Test
    void shouldDeclineAndGiveEveryReasonWhenANewCardIsUsedFastForLargeAmounts() {
        // given: a new foreign card, the 7th payment in 10 minutes, 12 000.00 now and today
        RuleDecision decision =
                RULESET.evaluate(
                        aCardPayment()
                                .amount(12_000_00)
                                .cardCountry("BR")
                                .customerCountry("DE")
                                .build(),
                        anEstablishedCard()
                                .put("card_count_10m", 7)
                                .put("card_count_1d", 7)
                                .put("card_sum_amount_10m", 12_000_00)
                                .put("card_sum_amount_1d", 12_000_00)
                                .put("card_seconds_since_first_seen", 600)
                                .put("card_seconds_since_last_payment", 30)
                                .build());

        // then: the decline first, then the reviews by salience
        assertThat(decision.action()).isEqualTo(RiskAction.DECLINE);
        assertThat(decision.codes())
                .containsExactly(
                        "VELOCITY_CARD_10M",
                        "NEW_CARD_LARGE_AMOUNT",
                        "VELOCITY_CARD_AMOUNT_1D",
                        "AMOUNT_VERY_LARGE",
                        "GEO_COUNTRY_MISMATCH");
        // 1 - (0.1)(0.5)(0.6)(0.7)(0.8)
        assertThat(decision.score()).isEqualTo(1 - 0.1 * 0.5 * 0.6 * 0.7 * 0.8, within(1e-12));
    }
}
