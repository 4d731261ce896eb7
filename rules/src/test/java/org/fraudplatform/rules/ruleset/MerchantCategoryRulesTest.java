package org.fraudplatform.rules.ruleset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.fraudplatform.rules.testing.PackagedRuleset.RULESET;
import static org.fraudplatform.rules.testing.RuleTestData.aCardPayment;
import static org.fraudplatform.rules.testing.RuleTestData.anEstablishedCard;

import org.fraudplatform.rules.engine.RuleDecision;
import org.fraudplatform.rules.engine.RuleReason;
import org.fraudplatform.schemas.RiskAction;
import org.junit.jupiter.api.Test;

/** merchant-category.drl.csv, a decision table. */
class MerchantCategoryRulesTest {

    @Test
    void shouldFlagAGamblingMerchantWithoutChangingTheAction() {
        RuleDecision decision =
                RULESET.evaluate(
                        aCardPayment().merchantCategoryCode("7995").build(),
                        anEstablishedCard().build());

        assertThat(decision.action()).isEqualTo(RiskAction.APPROVE);
        assertThat(decision.score()).isEqualTo(0.2, within(1e-12));
        assertThat(decision.reasons())
                .containsExactly(
                        new RuleReason(
                                "MCC_GAMBLING",
                                "Gambling merchant (MCC 7995)",
                                "Merchant is a gambling business"));
    }

    @Test
    void shouldAddTheFlagAfterTheReviewOfAnotherRule() {
        RuleDecision decision =
                RULESET.evaluate(
                        aCardPayment()
                                .merchantCategoryCode("6051")
                                .cardCountry("BR")
                                .customerCountry("DE")
                                .build(),
                        anEstablishedCard().build());

        assertThat(decision.action()).isEqualTo(RiskAction.REVIEW);
        assertThat(decision.codes()).containsExactly("GEO_COUNTRY_MISMATCH", "MCC_QUASI_CASH");
        // 1 - (1 - 0.2)(1 - 0.25)
        assertThat(decision.score()).isEqualTo(0.4, within(1e-12));
    }

    @Test
    void shouldNotFlagAGroceryStore() {
        RuleDecision decision =
                RULESET.evaluate(
                        aCardPayment().merchantCategoryCode("5411").build(),
                        anEstablishedCard().build());

        assertThat(decision).isEqualTo(RuleDecision.NO_MATCH);
    }
}
