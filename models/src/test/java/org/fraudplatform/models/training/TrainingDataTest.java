package org.fraudplatform.models.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Training data: shape checks, the column factory, the class balance. */
class TrainingDataTest {

    @Test
    void columnsShouldBecomeRowsInFeatureOrder() {
        TrainingData data =
                TrainingData.fromColumns(
                        List.of("amount", "velocity"),
                        List.of(new double[] {10, 20, 30}, new double[] {1, Double.NaN, 3}),
                        new int[] {0, 1, 0});

        assertThat(data.x()[1]).containsExactly(20, Double.NaN);
        assertThat(data.size()).isEqualTo(3);
        assertThat(data.features()).isEqualTo(2);
        assertThat(data.frauds()).isEqualTo(1);
    }

    @Test
    void aColumnShouldHoldOneValuePerLabel() {
        assertThatThrownBy(
                        () ->
                                TrainingData.fromColumns(
                                        List.of("amount"),
                                        List.of(new double[] {10, 20}),
                                        new int[] {0, 1, 0}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("column amount has 2 values for 3 labels");
    }

    @Test
    void aLabelShouldBeZeroOrOne() {
        assertThatThrownBy(
                        () ->
                                new TrainingData(
                                        List.of("amount"),
                                        new double[][] {{1}, {2}},
                                        new int[] {0, 2}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("label of row 1 is 2");
    }

    @Test
    void eachFraudShouldWeighAsMuchAsAllGenuineRowsPerFraud() {
        TrainingData data =
                new TrainingData(
                        List.of("amount"),
                        new double[][] {{1}, {2}, {3}, {4}},
                        new int[] {0, 1, 0, 0});

        assertThat(data.balancedFraudWeight()).isEqualTo(3);
        assertThat(data.genuineOnly().x()).isDeepEqualTo(new double[][] {{1}, {3}, {4}});
    }

    @Test
    void aClassifierShouldNeedBothClasses() {
        TrainingData data =
                new TrainingData(List.of("amount"), new double[][] {{1}, {2}}, new int[] {0, 0});

        assertThatThrownBy(data::balancedFraudWeight)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a classifier needs both classes: 0 frauds in 2 rows");
    }
}
