package org.fraudplatform.models.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.fraudplatform.models.runtime.DenseNetwork;
import org.fraudplatform.models.runtime.ModelCodec;
import org.fraudplatform.models.runtime.ScoringModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A multilayer perceptron trained with Deeplearning4j and scored by the portable network. */
class MlpTrainingTest {

    private static final long SEED = 42;
    private static final MlpParams PARAMS = MlpParams.defaults().withEpochs(4);
    private static final TrainingData TRAIN = SyntheticFraud.generate(20_000, 11);
    private static final TrainingData TEST = SyntheticFraud.generate(5_000, 12);
    private static final List<String> PROGRESS = new CopyOnWriteArrayList<>();

    private static Trained trained;
    private static DenseNetwork model;

    @BeforeAll
    static void train() {
        trained = Trainers.mlp(TRAIN, PARAMS, SEED, PROGRESS::add);
        model = (DenseNetwork) trained.model();
    }

    @Test
    void thePortableNetworkShouldScoreEveryRowAsDeeplearning4jDoes() {
        // DL4J computes in float32, the portable network in double from the same weights
        for (double[] row : Arrays.copyOf(TEST.x(), 2_000)) {
            assertThat(model.score(row))
                    .isCloseTo(trained.library().applyAsDouble(row), within(1e-4));
        }
    }

    @Test
    void itShouldHaveTheConfiguredLayers() {
        assertThat(model.layers())
                .extracting(layer -> layer.in() + "->" + layer.out() + " " + layer.activation())
                .containsExactly("10->32 RELU", "32->16 RELU", "16->2 SOFTMAX");
    }

    @Test
    void itShouldRankFraudAboveGenuineOnUnseenRows() {
        assertThat(RocAuc.of(Scores.of(model, TEST), TEST.y())).isGreaterThan(0.8);
    }

    @Test
    void theWeightedLossShouldMakeFraudsWeighAsMuchAsGenuineRows() {
        assertThat(Scores.fraudWeightedMean(model, TRAIN)).isCloseTo(0.5, within(0.15));
    }

    @Test
    void aMissingFeatureShouldContributeNothingToTheExplanation() {
        double[] row = TEST.x()[0].clone();
        row[2] = Double.NaN;

        assertThat(model.contributions(row)[2]).isZero();
        assertThat(model.explain(row, 3)).hasSize(3);
    }

    @Test
    void theSameDataAndSeedShouldGiveTheSameModelBytes() {
        byte[] again = ModelCodec.write(Trainers.mlp(TRAIN, PARAMS, SEED, line -> {}).model());

        assertThat(again).isEqualTo(ModelCodec.write(model));
    }

    @Test
    void theModelShouldScoreTheSameAfterTheCodec() {
        ScoringModel read = ModelCodec.read(ModelCodec.write(model));

        assertThat(Scores.of(read, TEST)).containsExactly(Scores.of(model, TEST));
    }

    @Test
    void progressShouldReportTheLossOncePerEpoch() {
        assertThat(PROGRESS)
                .filteredOn(line -> line.startsWith("mlp: epoch"))
                .extracting(line -> line.substring(0, line.indexOf(',')))
                .containsExactly(
                        "mlp: epoch 1/4", "mlp: epoch 2/4", "mlp: epoch 3/4", "mlp: epoch 4/4");
    }
}
