package org.fraudplatform.models.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.fraudplatform.models.runtime.Contribution;
import org.fraudplatform.models.runtime.LinearModel;
import org.fraudplatform.models.runtime.ModelCodec;
import org.fraudplatform.models.runtime.ScoringModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Logistic regression trained with Tribuo and scored by the portable {@link LinearModel}. */
class LogisticRegressionTrainingTest {

    private static final long SEED = 42;
    private static final TrainingData TRAIN = SyntheticFraud.generate(20_000, 11);
    private static final TrainingData TEST = SyntheticFraud.generate(10_000, 12);
    private static final List<String> PROGRESS = new CopyOnWriteArrayList<>();

    private static Trained trained;
    private static LinearModel model;

    @BeforeAll
    static void train() {
        trained = Trainers.logisticRegression(TRAIN, SEED, PROGRESS::add);
        model = (LinearModel) trained.model();
    }

    @Test
    void thePortableModelShouldScoreEveryRowAsTribuoDoes() {
        for (double[] row : TEST.x()) {
            assertThat(model.score(row))
                    .isCloseTo(trained.library().applyAsDouble(row), within(1e-9));
        }
    }

    @Test
    void itShouldRankFraudAboveGenuineOnUnseenRows() {
        assertThat(RocAuc.of(Scores.of(model, TEST), TEST.y())).isGreaterThan(0.8);
    }

    @Test
    void fraudsShouldWeighAsMuchAsGenuineRowsSoTheWeightedMeanScoreIsAboutAHalf() {
        assertThat(Scores.fraudWeightedMean(model, TRAIN)).isCloseTo(0.5, within(0.1));
    }

    @Test
    void theContributionsPlusTheInterceptShouldSumToTheLogit() {
        for (double[] row : TEST.x()) {
            double sum = model.intercept();
            for (Contribution c : model.explain(row, TEST.features())) {
                sum += c.contribution();
            }
            assertThat(sum).isCloseTo(model.logit(row), within(1e-9));
        }
    }

    @Test
    void theExplanationShouldStartWithTheLargestContribution() {
        List<Contribution> top = model.explain(TEST.x()[0], 3);

        assertThat(top).hasSize(3);
        assertThat(top.get(0).contribution()).isGreaterThanOrEqualTo(top.get(1).contribution());
        assertThat(top.get(1).contribution()).isGreaterThanOrEqualTo(top.get(2).contribution());
    }

    @Test
    void theSameDataAndSeedShouldGiveTheSameModelBytesAndAnotherSeedOthers() {
        byte[] bytes = ModelCodec.write(model);

        byte[] again =
                ModelCodec.write(Trainers.logisticRegression(TRAIN, SEED, line -> {}).model());
        byte[] other =
                ModelCodec.write(Trainers.logisticRegression(TRAIN, SEED + 1, line -> {}).model());

        assertThat(again).isEqualTo(bytes);
        assertThat(other).isNotEqualTo(bytes);
    }

    @Test
    void theModelShouldScoreTheSameAfterTheCodec() {
        ScoringModel read = ModelCodec.read(ModelCodec.write(model));

        assertThat(Scores.of(read, TEST)).containsExactly(Scores.of(model, TEST));
    }

    @Test
    void progressShouldReportTheLossOncePerEpoch() {
        assertThat(PROGRESS).anyMatch(line -> line.contains("frauds (weight"));
        assertThat(PROGRESS.stream().filter(line -> line.contains("average loss")))
                .hasSize(LogisticRegressionTraining.EPOCHS);
        assertThat(trained.trainingSeconds()).isPositive();
    }
}
