package org.fraudplatform.models.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** PSI, precision and recall of a model in production, pinned on cases computed by hand. */
class MonitoringTest {

    private static final double[] ONE_TO_EIGHT = {1, 2, 3, 4, 5, 6, 7, 8};

    @Test
    void shouldComputeThePsiOfAShiftedDistributionAsByHand() {
        // 4 bins: edges at sorted[ceil(8k/4)-1] = 2, 4, 6: (..2] (2..4] (4..6] (6..)
        // reference shares 2/8 each; current {1,3,4,5,6,7,8,9}: 1/8, 2/8, 2/8, 3/8
        // PSI = (1/8 - 2/8) ln(1/2) + 0 + 0 + (3/8 - 2/8) ln(3/2)
        //     = 0.125 * (ln 2 + ln 1.5) = 0.125 * 1.098612 = 0.1373265
        double[] current = {1, 3, 4, 5, 6, 7, 8, 9};

        assertThat(Monitoring.psi(ONE_TO_EIGHT, current, 4)).isCloseTo(0.1373265, within(1e-6));
    }

    @Test
    void shouldCountAnEmptyBinAsATinyShareSoThePsiStaysFinite() {
        // current {7,8,9,10} all in (6..): shares 0, 0, 0, 1, the zeros counted as 1e-4
        // PSI = 3 (1e-4 - 0.25) ln(1e-4 / 0.25) + (1 - 0.25) ln(1 / 0.25)
        //     = 3 * 0.2499 * 7.824046 + 0.75 * 1.386294 = 5.865687 + 1.039721 = 6.905408
        double[] current = {7, 8, 9, 10};

        assertThat(Monitoring.psi(ONE_TO_EIGHT, current, 4)).isCloseTo(6.905408, within(1e-5));
    }

    @Test
    void shouldFindNoDriftInTheSameDistribution() {
        assertThat(Monitoring.psi(ONE_TO_EIGHT, ONE_TO_EIGHT.clone(), 10)).isZero();
    }

    @Test
    void shouldSeeAConstantFeatureMoveAwayFromItsValue() {
        // bins: below 5, 5, above 5; reference 0, 1, 0; current {5,5,7,7}: 0, 1/2, 1/2
        // PSI = 0 + (0.5 - 1) ln(0.5) + (0.5 - 1e-4) ln(0.5 / 1e-4)
        //     = 0.346574 + 0.4999 * 8.517193 = 0.346574 + 4.257745 = 4.604319
        double[] constant = {5, 5, 5, 5};

        assertThat(Monitoring.psi(constant, new double[] {5, 5}, 10)).isZero();
        assertThat(Monitoring.psi(constant, new double[] {5, 5, 7, 7}, 10))
                .isCloseTo(4.604319, within(1e-5));
    }

    @Test
    void shouldReportNoPsiWithoutValuesOnEitherSide() {
        assertThat(Monitoring.psi(new double[0], ONE_TO_EIGHT, 10)).isNaN();
        assertThat(Monitoring.psi(ONE_TO_EIGHT, new double[0], 10)).isNaN();
        assertThat(Monitoring.verdict(Double.NaN)).isEqualTo("n/a");
        assertThatThrownBy(() -> Monitoring.psi(ONE_TO_EIGHT, ONE_TO_EIGHT, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldReadThePsiWithTheUsualThresholds() {
        assertThat(Monitoring.verdict(0.05)).isEqualTo("stable");
        assertThat(Monitoring.verdict(0.1)).isEqualTo("moderate shift");
        assertThat(Monitoring.verdict(0.25)).isEqualTo("major shift");
    }

    @Test
    void shouldComputePrecisionAndRecallAtTheDecisionThreshold() {
        // flagged at >= 0.8: 0.9 (fraud), 0.85 (genuine), 0.8 (fraud); missed: 0.3 (fraud)
        double[] scores = {0.9, 0.85, 0.8, 0.3, 0.1};
        int[] labels = {1, 0, 1, 1, 0};

        assertThat(Monitoring.precisionAt(scores, labels, 0.8)).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(Monitoring.recallAt(scores, labels, 0.8)).isCloseTo(2 / 3.0, within(1e-12));
    }

    @Test
    void shouldReportNoPrecisionOrRecallBeforeAnyFraudIsKnown() {
        double[] scores = {0.9, 0.2};
        int[] labels = {0, 0};

        assertThat(Monitoring.precisionAt(scores, labels, 0.8)).isNaN();
        assertThat(Monitoring.recallAt(scores, labels, 0.8)).isNaN();
        assertThat(Metrics.averagePrecision(scores, labels)).isNaN();
    }

    @Test
    void shouldReportNoPrecisionWhenNothingWasFlagged() {
        assertThat(Monitoring.precisionAt(new double[] {0.1, 0.2}, new int[] {1, 0}, 0.8)).isNaN();
        assertThat(Monitoring.recallAt(new double[] {0.1, 0.2}, new int[] {1, 0}, 0.8)).isZero();
    }
}
