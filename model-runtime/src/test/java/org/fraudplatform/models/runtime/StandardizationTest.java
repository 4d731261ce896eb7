package org.fraudplatform.models.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Standardization as the linear models and networks use it. */
class StandardizationTest {

    @Test
    void fitShouldLearnMeanAndStandardDeviationOverThePresentValuesOnly() {
        double[][] rows = {{1, 10}, {3, Double.NaN}, {5, 30}};

        Standardization s = Standardization.fit(rows, 2);

        assertThat(s.mean()).containsExactly(3, 20);
        assertThat(s.std()[0]).isCloseTo(Math.sqrt(8 / 3.0), within(1e-12));
        assertThat(s.std()[1]).isCloseTo(10, within(1e-12));
    }

    @Test
    void aMissingValueShouldStandardizeToZeroTheTrainingMean() {
        Standardization s = new Standardization(new double[] {3, 20}, new double[] {2, 10});

        assertThat(s.apply(new double[] {Double.NaN, 40})).containsExactly(0, 2);
        assertThat(s.apply(0, Double.POSITIVE_INFINITY)).isZero();
    }

    @Test
    void aColumnWithoutSpreadOrValuesShouldStandardizeToZero() {
        double[][] rows = {{7, Double.NaN}, {7, Double.NaN}};

        Standardization s = Standardization.fit(rows, 2);

        assertThat(s.apply(new double[] {7, 123})).containsExactly(0, 123);
        assertThat(s.std()).containsExactly(1, 1);
    }

    @Test
    void aStandardDeviationShouldBePositive() {
        assertThatThrownBy(() -> new Standardization(new double[] {0}, new double[] {0}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be positive");
    }
}
