package org.fraudplatform.models.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Logistic regression on standardized features, checked by hand. */
class LinearModelTest {

    private static final double EXACT = 1e-12;

    // amount: mean 100, std 50; velocity: mean 2, std 1
    private final LinearModel model =
            new LinearModel(
                    List.of("amount", "velocity", "night"),
                    new Standardization(new double[] {100, 2, 0.5}, new double[] {50, 1, 0.5}),
                    new double[] {0.8, 1.5, -0.4},
                    -3);

    @Test
    void scoreShouldBeTheLogisticOfInterceptPlusWeightedStandardizedValues() {
        // z = (2, 3, 1): logit = -3 + 1.6 + 4.5 - 0.4 = 2.7
        double[] row = {200, 5, 1};

        assertThat(model.logit(row)).isCloseTo(2.7, within(EXACT));
        assertThat(model.score(row)).isCloseTo(1 / (1 + Math.exp(-2.7)), within(EXACT));
    }

    @Test
    void aMissingValueShouldScoreAsTheTrainingMean() {
        assertThat(model.score(new double[] {Double.NaN, 5, 1}))
                .isEqualTo(model.score(new double[] {100, 5, 1}));
    }

    @Test
    void contributionsPlusTheInterceptShouldSumToTheLogit() {
        double[] row = {37, Double.NaN, 0};

        double sum = model.intercept();
        for (double c : model.contributions(row)) {
            sum += c;
        }

        assertThat(sum).isCloseTo(model.logit(row), within(EXACT));
    }

    @Test
    void explainShouldListTheFeaturesThatRaisedTheScoreMostFirst() {
        double[] row = {200, 5, 1};

        List<Contribution> top = model.explain(row, 2);

        assertThat(top).extracting(Contribution::feature).containsExactly("velocity", "amount");
        assertThat(top.get(0).value()).isEqualTo(5);
        assertThat(top.get(0).contribution()).isCloseTo(4.5, within(EXACT));
        assertThat(model.explain(row, 10)).hasSize(3);
        assertThat(model.explain(row, 0)).isEmpty();
    }

    @Test
    void aRowShouldHoldOneValuePerFeature() {
        assertThatThrownBy(() -> model.score(new double[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected 3 feature values, got 2");
    }

    @Test
    void theWeightsShouldMatchTheFeatures() {
        assertThatThrownBy(
                        () ->
                                new LinearModel(
                                        List.of("a", "b"),
                                        new Standardization(new double[2], new double[] {1, 1}),
                                        new double[] {1},
                                        0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("weights has 1 values, expected 2");
    }
}
