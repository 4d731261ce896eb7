package org.fraudplatform.models.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Platt scaling, pinned by hand. Eight validation rows: four scored 0.2 of which one is fraud, four
 * scored 0.8 of which three are. With Platt's targets (N₊ = 4, N₋ = 4: a fraud counts as 5/6, a
 * genuine row as 1/6) the mean target is 1/3 at 0.2 and 2/3 at 0.8; two distinct scores are fitted
 * exactly, so {@code a·logit(0.8) + b = ln 2} and {@code a·logit(0.2) + b = −ln 2}; with {@code
 * logit(0.8) = ln 4 = −logit(0.2)} that gives {@code b = 0} and {@code a = ln 2 / ln 4 = 1/2}.
 */
class PlattCalibrationTest {

    private static final double[] SCORES = {0.2, 0.2, 0.2, 0.2, 0.8, 0.8, 0.8, 0.8};
    private static final int[] LABELS = {1, 0, 0, 0, 1, 1, 1, 0};

    @Test
    void shouldFitTheHandComputedSlopeAndIntercept() {
        PlattCalibration c = PlattCalibration.fit(SCORES, LABELS);

        assertThat(c.a()).isCloseTo(0.5, within(1e-9));
        assertThat(c.b()).isCloseTo(0.0, within(1e-9));
    }

    @Test
    void shouldTurnAnOverConfidentScoreIntoTheShareOfFraudBehindIt() {
        PlattCalibration c = PlattCalibration.fit(SCORES, LABELS);

        // sigmoid(ln 4 / 2) = sigmoid(ln 2) = 2/3; sigmoid(-ln 2) = 1/3; logit(0.5) = 0
        assertThat(c.apply(0.8)).isCloseTo(2.0 / 3, within(1e-9));
        assertThat(c.apply(0.2)).isCloseTo(1.0 / 3, within(1e-9));
        assertThat(c.apply(0.5)).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void shouldKeepTheOrderOfScores() {
        PlattCalibration c = new PlattCalibration(0.37, -4.2);
        double previous = -1;
        for (double s = 0; s <= 1.0; s += 0.001) {
            double p = c.apply(s);
            assertThat(p).isGreaterThan(previous).isBetween(0.0, 1.0);
            previous = p;
        }
    }

    @Test
    void shouldScoreTheEndsOfTheScaleWithoutInfinities() {
        PlattCalibration c = new PlattCalibration(1, 0);

        assertThat(c.apply(0)).isCloseTo(PlattCalibration.MIN_SCORE, within(1e-15));
        assertThat(c.apply(1)).isCloseTo(1 - PlattCalibration.MIN_SCORE, within(1e-15));
    }

    @Test
    void shouldStayFiniteWhenTheValidationScoresSeparateTheClasses() {
        PlattCalibration c =
                PlattCalibration.fit(new double[] {0.1, 0.2, 0.9, 0.95}, new int[] {0, 0, 1, 1});

        assertThat(c.a()).isPositive().isFinite();
        assertThat(c.apply(0.95)).isLessThan(1.0);
    }

    @Test
    void shouldRefuseAPeriodWithoutFraud() {
        assertThatThrownBy(() -> PlattCalibration.fit(new double[] {0.1, 0.2}, new int[] {0, 0}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 frauds");
    }

    @Test
    void shouldRefuseScoresThatRankFraudsBelowGenuineRows() {
        assertThatThrownBy(
                        () ->
                                PlattCalibration.fit(
                                        new double[] {0.9, 0.8, 0.7, 0.2, 0.1, 0.05},
                                        new int[] {0, 0, 0, 1, 1, 1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("do not rank frauds above");
    }

    @Test
    void shouldRefuseASlopeThatIsNotPositive() {
        assertThatThrownBy(() -> new PlattCalibration(0, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PlattCalibration(Double.NaN, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
