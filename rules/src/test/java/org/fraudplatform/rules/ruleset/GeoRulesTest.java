package org.fraudplatform.rules.ruleset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fraudplatform.rules.testing.PackagedRuleset.RULESET;
import static org.fraudplatform.rules.testing.RuleTestData.aCardPayment;
import static org.fraudplatform.rules.testing.RuleTestData.anEstablishedCard;

import org.fraudplatform.rules.engine.RuleDecision;
import org.fraudplatform.schemas.RiskAction;
import org.junit.jupiter.api.Test;

/** geo.drl */
class GeoRulesTest {

    @Test
    void shouldReviewWhenCardIssuingCountryDiffersFromCustomerCountry() {
        RuleDecision decision =
                RULESET.evaluate(
                        aCardPayment().cardCountry("BR").customerCountry("DE").build(),
                        anEstablishedCard().build());

        assertThat(decision.action()).isEqualTo(RiskAction.REVIEW);
        assertThat(decision.codes()).containsExactly("GEO_COUNTRY_MISMATCH");
    }

    @Test
    void shouldApproveWhenCardAndCustomerAreFromTheSameCountry() {
        RuleDecision decision =
                RULESET.evaluate(
                        aCardPayment().cardCountry("DE").customerCountry("DE").build(),
                        anEstablishedCard().build());

        assertThat(decision).isEqualTo(RuleDecision.NO_MATCH);
    }

    @Test
    void shouldApproveWhenTheCustomerCountryIsUnknown() {
        RuleDecision decision =
                RULESET.evaluate(
                        aCardPayment().cardCountry("BR").customerCountry(null).build(),
                        anEstablishedCard().build());

        assertThat(decision).isEqualTo(RuleDecision.NO_MATCH);
    }
}
