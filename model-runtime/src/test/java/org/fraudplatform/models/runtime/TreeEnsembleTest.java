package org.fraudplatform.models.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.fraudplatform.models.runtime.TreeEnsemble.Tree;
import org.junit.jupiter.api.Test;

/**
 * The tree evaluator on a hand-built ensemble. The equality with XGBoost itself is in {@code
 * GradientBoostedTreesTrainingTest}.
 */
class TreeEnsembleTest {

    private static final double EXACT = 1e-9;

    // tree 0: f0 < 0.1f (missing right) ? -1.0 : (f1 < 2 (missing left) ? 0.5 : 2.0)
    private static final Tree FIRST =
            new Tree(
                    new int[] {0, -1, 1, -1, -1},
                    new float[] {0.1f, 0, 2f, 0, 0},
                    new int[] {1, -1, 3, -1, -1},
                    new int[] {2, -1, 4, -1, -1},
                    new boolean[] {false, false, true, false, false},
                    new float[] {0, -1f, 0, 0.5f, 2f},
                    new float[] {50, 30, 20, 10, 10});
    // tree 1: f1 < 1 (missing left) ? 0.25 : -0.25
    private static final Tree SECOND =
            new Tree(
                    new int[] {1, -1, -1},
                    new float[] {1f, 0, 0},
                    new int[] {1, -1, -1},
                    new int[] {2, -1, -1},
                    new boolean[] {true, false, false},
                    new float[] {0, 0.25f, -0.25f},
                    new float[] {50, 20, 30});

    private final TreeEnsemble model =
            new TreeEnsemble(List.of("ratio", "velocity", "unused"), 0.3f, List.of(FIRST, SECOND));

    @Test
    void scoreShouldBeTheLogisticOfBaseMarginPlusOneLeafPerTree() {
        double[] row = {0.7, 3, 0};

        assertThat(model.margin(row)).isEqualTo(0.3f + 2f - 0.25f);
        assertThat(model.score(row)).isCloseTo(1 / (1 + Math.exp(-2.05f)), within(EXACT));
    }

    @Test
    void aValueEqualToTheThresholdShouldGoRightAndOneBelowLeft() {
        assertThat(model.margin(new double[] {0.7, 2, 0})).isEqualTo(0.3f + 2f - 0.25f);
        assertThat(model.margin(new double[] {0.7, Math.nextDown(2.0f), 0}))
                .isEqualTo(0.3f + 0.5f - 0.25f);
    }

    @Test
    void theComparisonShouldBeInFloatAsXgboostMakesIt() {
        // 0.1 < (double) 0.1f in double, but (float) 0.1 == 0.1f: XGBoost sends it right
        assertThat(0.1 < (double) 0.1f).isTrue();

        assertThat(model.margin(new double[] {0.1, 0, 0})).isEqualTo(0.3f + 0.5f + 0.25f);
        assertThat(model.margin(new double[] {0.0999999, 0, 0})).isEqualTo(0.3f - 1f + 0.25f);
    }

    @Test
    void aMissingValueShouldFollowTheNodesDefaultDirection() {
        // f0 missing goes right, f1 missing goes left in both trees
        double[] row = {Double.NaN, Double.NaN, Double.NaN};

        assertThat(model.margin(row)).isEqualTo(0.3f + 0.5f + 0.25f);
    }

    @Test
    void saabasContributionsShouldCreditEachSplitWithTheChangeInNodeValue() {
        // node values are cover-weighted leaf means: tree 0 root -0.1, its right child 1.25;
        // tree 1 root -0.05
        double[] row = {0.7, 3, 0};

        double[] contributions = model.contributions(row);

        assertThat(model.bias()).isCloseTo(0.3f - 0.1 - 0.05, within(1e-7));
        assertThat(contributions[0]).isCloseTo(1.25 + 0.1, within(1e-7));
        assertThat(contributions[1]).isCloseTo((2 - 1.25) + (-0.25 + 0.05), within(1e-7));
        assertThat(contributions[2]).isZero();
        assertThat(model.bias() + contributions[0] + contributions[1])
                .isCloseTo(model.margin(row), within(1e-6));
        assertThat(model.explain(row, 1))
                .containsExactly(new Contribution("ratio", 0.7, contributions[0]));
    }

    @Test
    void aTreeWhoseChildPointsBackShouldBeRefused() {
        assertThatThrownBy(
                        () ->
                                new Tree(
                                        new int[] {0, 0, -1},
                                        new float[3],
                                        new int[] {1, 0, -1},
                                        new int[] {2, 2, -1},
                                        new boolean[3],
                                        new float[3],
                                        new float[3]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("node 1 has child 0");
    }

    @Test
    void aSplitOnAFeatureTheModelDoesNotHaveShouldBeRefused() {
        assertThatThrownBy(() -> new TreeEnsemble(List.of("ratio"), 0, List.of(FIRST)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("splits on feature 1 of 1");
    }
}
