package org.fraudplatform.models.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.fraudplatform.models.runtime.ModelCodec;
import org.fraudplatform.models.runtime.TreeEnsemble;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A bag of gradient-boosted tree models: boosters trained alike with consecutive seeds, scored as
 * the mean of their log-odds by one portable ensemble.
 */
class BaggedGradientBoostedTreesTest {

    private static final long SEED = 42;
    private static final GbtParams PARAMS = GbtParams.defaults().withTrees(30).withMaxDepth(3);
    private static final TrainingData TRAIN = SyntheticFraud.generate(4_000, 11);
    private static final TrainingData TEST = SyntheticFraud.generate(1_000, 12);
    private static final List<String> PROGRESS = new CopyOnWriteArrayList<>();

    private static Trained bag;
    private static List<TreeEnsemble> members;

    @BeforeAll
    static void train() {
        bag = Trainers.baggedGradientBoostedTrees(TRAIN, PARAMS, 3, SEED, PROGRESS::add);
        members = List.of(member(SEED), member(SEED + 1), member(SEED + 2));
    }

    private static TreeEnsemble member(long seed) {
        return (TreeEnsemble) Trainers.gradientBoostedTrees(TRAIN, PARAMS, seed, l -> {}).model();
    }

    @Test
    void aBagShouldScoreTheMeanLogOddsOfBoostersTrainedWithConsecutiveSeeds() {
        TreeEnsemble model = (TreeEnsemble) bag.model();

        for (double[] row : TEST.x()) {
            double mean = 0;
            for (TreeEnsemble m : members) {
                mean += m.margin(row);
            }
            mean /= members.size();
            assertThat((double) model.margin(row)).isCloseTo(mean, within(1e-5));
        }
        assertThat(model.trees()).hasSize(3 * PARAMS.trees());
    }

    @Test
    void thePortableBagShouldScoreAsTheBoostersDo() {
        for (double[] row : TEST.x()) {
            assertThat(bag.model().score(row))
                    .isCloseTo(bag.library().applyAsDouble(row), within(1e-6));
        }
    }

    @Test
    void theMembersShouldDifferSoThatTheBagAveragesSomething() {
        double[] row = TEST.x()[0];
        assertThat(members.get(0).margin(row)).isNotEqualTo(members.get(1).margin(row));
    }

    @Test
    void theSameSeedShouldGiveTheSameBagAndABagOfOneThePlainModel() {
        Trained again = Trainers.baggedGradientBoostedTrees(TRAIN, PARAMS, 3, SEED, l -> {});
        Trained one = Trainers.baggedGradientBoostedTrees(TRAIN, PARAMS, 1, SEED, l -> {});

        assertThat(ModelCodec.write(again.model())).isEqualTo(ModelCodec.write(bag.model()));
        assertThat(ModelCodec.write(one.model())).isEqualTo(ModelCodec.write(members.get(0)));
    }

    @Test
    void progressShouldNameEachMemberAndItsSeed() {
        assertThat(PROGRESS)
                .anyMatch(line -> line.startsWith("bag 1/3 (seed 42): gradient boosted trees:"))
                .anyMatch(line -> line.startsWith("bag 3/3 (seed 44): gradient boosted trees:"))
                .anyMatch(line -> line.contains("a bag of 3 trained in"));
    }

    @Test
    void aBagNeedsAtLeastOneBoosterAndEnsemblesOnTheSameInputs() {
        TreeEnsemble other =
                new TreeEnsemble(
                        List.of("x"),
                        0f,
                        List.of(
                                new TreeEnsemble.Tree(
                                        new int[] {-1},
                                        new float[] {0},
                                        new int[] {-1},
                                        new int[] {-1},
                                        new boolean[] {false},
                                        new float[] {0.5f},
                                        new float[] {1})));

        assertThatThrownBy(
                        () -> Trainers.baggedGradientBoostedTrees(TRAIN, PARAMS, 0, SEED, l -> {}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TreeEnsemble.average(List.of(members.get(0), other)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must share their inputs");
    }
}
