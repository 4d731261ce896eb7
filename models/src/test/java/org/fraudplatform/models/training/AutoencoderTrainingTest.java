package org.fraudplatform.models.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import org.fraudplatform.models.runtime.Autoencoder;
import org.fraudplatform.models.runtime.Contribution;
import org.fraudplatform.models.runtime.ModelCodec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An autoencoder trained with Deeplearning4j on genuine rows, scored by the portable model. */
class AutoencoderTrainingTest {

    private static final long SEED = 42;
    private static final AutoencoderParams PARAMS = AutoencoderParams.defaults();
    private static final TrainingData TRAIN = SyntheticFraud.generate(20_000, 11);
    private static final TrainingData TEST = SyntheticFraud.generate(5_000, 12);

    private static Trained trained;
    private static Autoencoder model;

    @BeforeAll
    static void train() {
        trained = Trainers.autoencoder(TRAIN, PARAMS, SEED, line -> {});
        model = (Autoencoder) trained.model();
    }

    @Test
    void thePortableModelShouldScoreEveryRowAsDeeplearning4jDoes() {
        for (double[] row : Arrays.copyOf(TEST.x(), 2_000)) {
            assertThat(model.score(row))
                    .isCloseTo(trained.library().applyAsDouble(row), within(1e-4));
        }
    }

    @Test
    void aboutOnePercentOfTheGenuineTrainingRowsShouldScoreAboveAHalf() {
        // the reference error is the training rows' 99th percentile
        TrainingData genuine = TRAIN.genuineOnly();
        long above = 0;
        for (double score : Scores.of(model, genuine)) {
            above += score > 0.5 ? 1 : 0;
        }

        assertThat(above / (double) genuine.size()).isCloseTo(0.01, within(0.002));
    }

    @Test
    void aRowUnlikeAnyGenuineOneShouldScoreHighAndBeExplainedByWhatIsUnusual() {
        double[] row = TEST.genuineOnly().x()[0].clone();
        row[0] = 12; // amount_log: about e^12
        row[3] = 15; // card_payments_1h

        List<Contribution> explained = model.explain(row, 2);

        assertThat(model.score(row)).isGreaterThan(0.9);
        assertThat(explained)
                .extracting(Contribution::feature)
                .containsExactlyInAnyOrder("amount_log", "card_payments_1h");
    }

    @Test
    void fraudsShouldLookMoreUnusualThanGenuineRowsOnAverage() {
        assertThat(RocAuc.of(Scores.of(model, TEST), TEST.y())).isGreaterThan(0.55);
    }

    @Test
    void theModelShouldScoreTheSameAfterTheCodec() {
        assertThat(Scores.of(ModelCodec.read(ModelCodec.write(model)), TEST))
                .containsExactly(Scores.of(model, TEST));
    }
}
