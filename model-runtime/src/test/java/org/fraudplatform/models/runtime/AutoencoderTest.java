package org.fraudplatform.models.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The anomaly score on hand-built reconstructions. */
class AutoencoderTest {

    private static final double EXACT = 1e-12;
    private static final List<String> FEATURES = List.of("amount", "velocity");
    private static final Standardization STANDARDIZATION =
            new Standardization(new double[] {100, 2}, new double[] {50, 1});

    /** Reconstructs every row as the training mean (all zeros). */
    private final Autoencoder meanOnly =
            new Autoencoder(
                    FEATURES,
                    STANDARDIZATION,
                    List.of(
                            new DenseLayer(new double[] {0, 0}, new double[] {0}, Activation.TANH),
                            new DenseLayer(
                                    new double[] {0, 0}, new double[] {0, 0}, Activation.IDENTITY)),
                    2);

    @Test
    void theErrorShouldBeTheMeanSquaredDifferenceOverThePresentFeatures() {
        // z = (2, 3), reconstruction (0, 0): (4 + 9) / 2
        assertThat(meanOnly.reconstructionError(new double[] {200, 5}))
                .isCloseTo(6.5, within(EXACT));
        // velocity missing: only amount counts
        assertThat(meanOnly.reconstructionError(new double[] {200, Double.NaN}))
                .isCloseTo(4, within(EXACT));
        assertThat(meanOnly.reconstructionError(new double[] {Double.NaN, Double.NaN})).isZero();
    }

    @Test
    void theScoreShouldBeAHalfAtTheReferenceErrorAndRiseWithTheError() {
        // reference 2: error 2 (z = (2, 0)) scores 0.5, error 6.5 scores 6.5 / 8.5
        assertThat(meanOnly.score(new double[] {200, 2})).isCloseTo(0.5, within(EXACT));
        assertThat(meanOnly.score(new double[] {200, 5})).isCloseTo(6.5 / 8.5, within(EXACT));
        assertThat(meanOnly.score(new double[] {100, 2})).isZero();
    }

    @Test
    void theContributionsShouldSumToTheErrorLargestFirst() {
        double[] row = {200, 5};

        List<Contribution> explained = meanOnly.explain(row, 2);

        assertThat(explained)
                .extracting(Contribution::feature)
                .containsExactly("velocity", "amount");
        assertThat(explained.get(0).contribution() + explained.get(1).contribution())
                .isCloseTo(meanOnly.reconstructionError(row), within(EXACT));
    }
}
