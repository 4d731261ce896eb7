package org.fraudplatform.models.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The network evaluator on hand-built networks. */
class DenseNetworkTest {

    private static final double EXACT = 1e-12;
    private static final List<String> FEATURES = List.of("amount", "velocity");
    private static final Standardization STANDARDIZATION =
            new Standardization(new double[] {100, 2}, new double[] {50, 1});

    @Test
    void aNetworkWithoutHiddenLayersShouldScoreAndExplainAsALogisticRegression() {
        DenseNetwork network =
                new DenseNetwork(
                        FEATURES,
                        STANDARDIZATION,
                        List.of(
                                new DenseLayer(
                                        new double[] {0.8, 1.5},
                                        new double[] {-3},
                                        Activation.SIGMOID)));
        LinearModel linear =
                new LinearModel(FEATURES, STANDARDIZATION, new double[] {0.8, 1.5}, -3);
        Random random = new Random(1);
        for (int i = 0; i < 100; i++) {
            double[] row = {100 + 50 * random.nextGaussian(), random.nextInt(6)};

            assertThat(network.score(row)).isCloseTo(linear.score(row), within(EXACT));
            assertThat(network.contributions(row))
                    .containsExactly(linear.contributions(row), within(EXACT));
        }
    }

    @Test
    void hiddenLayersShouldApplyTheirActivationsAndASoftmaxPairGiveTheFraudShare() {
        // z = (1, -1); relu(W z + b) with W = [[1, 1], [1, -1]], b = (0.5, 0) gives (0.5, 2);
        // output [[1, 0], [0, 1]] + (0, 0.25): softmax over (0.5, 2.25)
        DenseNetwork network =
                new DenseNetwork(
                        FEATURES,
                        STANDARDIZATION,
                        List.of(
                                new DenseLayer(
                                        new double[] {1, 1, 1, -1},
                                        new double[] {0.5, 0},
                                        Activation.RELU),
                                new DenseLayer(
                                        new double[] {1, 0, 0, 1},
                                        new double[] {0, 0.25},
                                        Activation.SOFTMAX)));
        double[] row = {150, 1};

        assertThat(network.logit(row)).isCloseTo(1.75, within(EXACT));
        assertThat(network.score(row))
                .isCloseTo(Math.exp(2.25) / (Math.exp(0.5) + Math.exp(2.25)), within(EXACT));
    }

    @Test
    void occlusionShouldGiveAMissingFeatureNoContribution() {
        DenseNetwork network =
                new DenseNetwork(
                        FEATURES,
                        STANDARDIZATION,
                        List.of(
                                new DenseLayer(
                                        new double[] {1, 2, -1, 1},
                                        new double[] {0, 0},
                                        Activation.TANH),
                                new DenseLayer(
                                        new double[] {2, -1},
                                        new double[] {0},
                                        Activation.SIGMOID)));

        double[] contributions = network.contributions(new double[] {Double.NaN, 5});

        assertThat(contributions[0]).isZero();
        assertThat(contributions[1])
                .isCloseTo(
                        network.logit(new double[] {Double.NaN, 5})
                                - network.logit(new double[] {Double.NaN, 2}),
                        within(EXACT));
    }

    @Test
    void theOutputShouldBeOneSigmoidUnitOrTwoSoftmaxUnits() {
        assertThatThrownBy(
                        () ->
                                new DenseNetwork(
                                        FEATURES,
                                        STANDARDIZATION,
                                        List.of(
                                                new DenseLayer(
                                                        new double[] {1, 1},
                                                        new double[] {0},
                                                        Activation.RELU))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 sigmoid unit or 2 softmax units");
    }

    @Test
    void eachLayerShouldTakeThePreviousLayersOutputs() {
        assertThatThrownBy(
                        () ->
                                new DenseNetwork(
                                        FEATURES,
                                        STANDARDIZATION,
                                        List.of(
                                                new DenseLayer(
                                                        new double[] {1, 1, 1},
                                                        new double[] {0},
                                                        Activation.SIGMOID))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("layer 0 takes 3 inputs, expected 2");
    }
}
