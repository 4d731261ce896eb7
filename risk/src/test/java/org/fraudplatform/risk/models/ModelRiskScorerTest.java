package org.fraudplatform.risk.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.fraudplatform.schemas.testing.PaymentRequests.aCardPayment;

import java.time.Instant;
import java.util.Map;
import org.fraudplatform.risk.RiskScorer;
import org.fraudplatform.risk.RiskScorer.Verdict;
import org.fraudplatform.risk.RulesRiskScorer;
import org.fraudplatform.rules.facts.Lists;
import org.fraudplatform.schemas.ModelStage;
import org.fraudplatform.schemas.ReasonCode;
import org.fraudplatform.schemas.RiskAction;
import org.fraudplatform.schemas.money.CurrencyRates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The champion scores first and the packaged rules read its probability as {@code model_score}
 * (their bands in {@code model.drl} decide); the shadow is recorded and decides nothing.
 */
class ModelRiskScorerTest {

    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");
    static RiskScorer rules;
    static Lists noLists;

    private final LiveModels live = new LiveModels();
    private final ModelRiskScorer scorer =
            new ModelRiskScorer(rules, live, CurrencyRates.packaged());

    @BeforeAll
    static void compileThePackagedRules() {
        rules = RulesRiskScorer.packagedRuleset();
        noLists = Lists.none();
    }

    private static LoadedModel model(String version, double amountWeight) {
        return LoadedModel.load(
                Releases.release(version, ModelStage.CHAMPION, T, amountWeight),
                Releases.CATALOGUE);
    }

    @Test
    void withoutModelsTheRulesDecideAlone() {
        var request = aCardPayment().amount(20_000).build();

        Verdict alone = rules.score(request, Map.of(), noLists);
        Verdict verdict = scorer.score(request, Map.of(), noLists);

        assertThat(verdict).isEqualTo(alone);
        assertThat(verdict.models()).isNull();
    }

    @Test
    void aHighChampionScoreFallsInTheDeclineBandAndComesWithItsReasons() {
        live.set(model("champ", 2.0), null);

        Verdict verdict = scorer.score(aCardPayment().amount(20_000).build(), Map.of(), noLists);

        assertThat(verdict.action()).isEqualTo(RiskAction.DECLINE);
        assertThat(verdict.modelVersion()).isEqualTo("champ");
        assertThat(verdict.models().champion()).isGreaterThan(0.97);
        assertThat(verdict.reasons())
                .extracting(ReasonCode::getCode)
                .contains("MODEL_SCORE_DECLINE", "ML_AMOUNT_MINOR");
        assertThat(verdict.score()).isGreaterThanOrEqualTo(verdict.models().champion());
    }

    @Test
    void aMiddleScoreGoesToReviewAndALowOneIsApprovedWithoutModelReasons() {
        live.set(model("champ", 2.0), null);
        // z = -2 + 2 * (amount - 5000) / 2000: 0.85 at amount 8735, 0.12 at amount 5000
        Verdict review = scorer.score(aCardPayment().amount(8_735).build(), Map.of(), noLists);
        Verdict approve = scorer.score(aCardPayment().amount(5_000).build(), Map.of(), noLists);

        assertThat(review.models().champion()).isBetween(0.8, 0.97);
        assertThat(review.action()).isEqualTo(RiskAction.REVIEW);
        assertThat(review.reasons())
                .extracting(ReasonCode::getCode)
                .contains("MODEL_SCORE_REVIEW", "ML_AMOUNT_MINOR");
        assertThat(approve.models().champion()).isCloseTo(0.1192, within(1e-4));
        assertThat(approve.action()).isEqualTo(RiskAction.APPROVE);
        assertThat(approve.reasons())
                .extracting(ReasonCode::getCode)
                .noneMatch(c -> c.startsWith("ML_"));
    }

    @Test
    void theModelReadsTheAmountInEuroCentsWhateverTheCurrency() {
        live.set(model("champ", 2.0), null);
        // 1456000 VND at 0.000036 EUR is 52.42 EUR: the model sees 5242, not 1456000
        var dong = aCardPayment().amount(1_456_000).build();
        dong.setCurrency("VND");

        Verdict verdict = scorer.score(dong, Map.of(), noLists);

        // z = -2 + 2 * (5242 - 5000) / 2000 = -1.758
        assertThat(verdict.models().champion()).isCloseTo(0.1470, within(1e-4));
    }

    @Test
    void theShadowIsScoredAndRecordedButDecidesNothing() {
        live.set(model("champ", 0.1), model("shadow", 2.0));

        Verdict verdict = scorer.score(aCardPayment().amount(20_000).build(), Map.of(), noLists);

        assertThat(verdict.models().shadowVersion()).isEqualTo("shadow");
        assertThat(verdict.models().shadow()).isGreaterThan(0.97);
        assertThat(verdict.models().champion()).isLessThan(0.5);
        assertThat(verdict.action()).isEqualTo(RiskAction.APPROVE);
        assertThat(verdict.reasons())
                .extracting(ReasonCode::getCode)
                .noneMatch(c -> c.startsWith("ML_"));
    }

    @Test
    void aShadowAloneLeavesTheRulesDecisionAsItIs() {
        live.set(null, model("shadow", 2.0));
        var request = aCardPayment().amount(20_000).build();

        Verdict verdict = scorer.score(request, Map.of(), noLists);

        Verdict alone = rules.score(request, Map.of(), noLists);
        assertThat(verdict.action()).isEqualTo(alone.action());
        assertThat(verdict.reasons()).isEqualTo(alone.reasons());
        assertThat(verdict.modelVersion()).isNull();
        assertThat(verdict.models().champion()).isNull();
        assertThat(verdict.models().shadow()).isGreaterThan(0.97);
    }
}
