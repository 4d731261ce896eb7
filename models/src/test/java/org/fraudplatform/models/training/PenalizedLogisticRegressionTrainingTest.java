package org.fraudplatform.models.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.fraudplatform.models.runtime.LinearModel;
import org.fraudplatform.models.runtime.Standardization;
import org.junit.jupiter.api.Test;

/**
 * The handbook's logistic regression: the minimum of scikit-learn's objective {@code ½‖w‖² + C Σ
 * log-loss} on standardized inputs, the intercept not penalized.
 */
class PenalizedLogisticRegressionTrainingTest {

    @Test
    void shouldFindTheMinimumOnAnExampleSolvedByHand() {
        // a genuine row at x = 0 and a fraud at x = 10 standardize to z = -1 and +1. By symmetry
        // the intercept is 0, and the gradient w - C [(1 - σ(w)) + σ(-w)] = w - 2 σ(-w) vanishes
        // at w = 0.674831614342…, the root of w (1 + e^w) = 2.
        TrainingData data =
                new TrainingData(List.of("x"), new double[][] {{0}, {10}}, new int[] {0, 1});

        LinearModel model =
                (LinearModel) Trainers.penalizedLogisticRegression(data, 1.0, line -> {}).model();

        assertThat(model.standardization().mean()).containsExactly(5.0);
        assertThat(model.standardization().std()).containsExactly(5.0);
        assertThat(model.weights()[0]).isCloseTo(0.6748316143423994, within(1e-12));
        assertThat(model.intercept()).isCloseTo(0.0, within(1e-12));
        assertThat(model.score(new double[] {10}))
                .isCloseTo(1 / (1 + Math.exp(-0.6748316143423994)), within(1e-12));
    }

    @Test
    void weakerRegularizationShouldLetTheWeightGrow() {
        TrainingData data =
                new TrainingData(List.of("x"), new double[][] {{0}, {10}}, new int[] {0, 1});

        double w1 = weights(Trainers.penalizedLogisticRegression(data, 1.0, line -> {}))[0];
        double w100 = weights(Trainers.penalizedLogisticRegression(data, 100.0, line -> {}))[0];

        // w = 2 C σ(-w): for C = 100, w e^w ≈ 200 - w gives w = 4.0856…
        assertThat(w100).isGreaterThan(w1);
        assertThat(w100 - 200 / (1 + Math.exp(w100))).isCloseTo(0.0, within(1e-9));
    }

    @Test
    void theGradientOfScikitLearnsObjectiveShouldVanishAtTheModel() {
        // given imbalanced rows with missing values, as the backfill writes them
        TrainingData data = SyntheticFraud.generate(5_000, 7);
        double c = 1.0;

        // when
        LinearModel model =
                (LinearModel) Trainers.penalizedLogisticRegression(data, c, line -> {}).model();

        // then, recomputed here: C Σ (p - y) z + w for the weights, C Σ (p - y) for the intercept
        Standardization s = model.standardization();
        double[] w = model.weights();
        double[] gradient = w.clone();
        double interceptGradient = 0;
        for (int i = 0; i < data.size(); i++) {
            double[] z = s.apply(data.x()[i]);
            double margin = model.intercept();
            for (int j = 0; j < w.length; j++) {
                margin += w[j] * z[j];
            }
            double residual = 1 / (1 + Math.exp(-margin)) - data.y()[i];
            for (int j = 0; j < w.length; j++) {
                gradient[j] += c * residual * z[j];
            }
            interceptGradient += c * residual;
        }
        for (double g : gradient) {
            assertThat(g).isCloseTo(0.0, within(1e-6));
        }
        assertThat(interceptGradient).isCloseTo(0.0, within(1e-6));
        assertThat(data.frauds()).isPositive();
    }

    @Test
    void shouldRefuseARegularizationThatIsNotPositive() {
        TrainingData data =
                new TrainingData(List.of("x"), new double[][] {{0}, {10}}, new int[] {0, 1});

        assertThatThrownBy(() -> Trainers.penalizedLogisticRegression(data, 0, line -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("C must be positive");
    }

    private static double[] weights(Trained trained) {
        return ((LinearModel) trained.model()).weights();
    }
}
