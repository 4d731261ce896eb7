package org.fraudplatform.models.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.fraudplatform.models.runtime.ModelCodec;
import org.fraudplatform.models.runtime.ScoringModel;
import org.fraudplatform.models.runtime.TreeEnsemble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Gradient-boosted trees trained with XGBoost and scored by the portable {@link TreeEnsemble}: the
 * same margins to the bit, on ordinary rows and on rows placed exactly at the split thresholds.
 */
class GradientBoostedTreesTrainingTest {

    private static final long SEED = 42;
    private static final GbtParams PARAMS = GbtParams.defaults().withTrees(200);
    private static final TrainingData TRAIN = SyntheticFraud.generate(20_000, 11);
    private static final TrainingData TEST = SyntheticFraud.generate(10_000, 12);
    private static final List<String> PROGRESS = new CopyOnWriteArrayList<>();

    private static Trained trained;
    private static TreeEnsemble model;
    private static Booster booster;

    @BeforeAll
    static void train() {
        trained = Trainers.gradientBoostedTrees(TRAIN, PARAMS, SEED, PROGRESS::add);
        model = (TreeEnsemble) trained.model();
        // the same training again, keeping XGBoost's booster for margins and contributions
        booster = GradientBoostedTreesTraining.boost(TRAIN, PARAMS, SEED, line -> {});
    }

    @AfterAll
    static void release() {
        booster.dispose();
    }

    @Test
    void thePortableModelShouldScoreEveryRowAsXgboostDoes() {
        for (double[] row : TEST.x()) {
            assertThat(model.score(row))
                    .isCloseTo(trained.library().applyAsDouble(row), within(1e-6));
        }
    }

    @Test
    void theMarginShouldEqualXgboostsToTheBit() throws XGBoostError {
        float[] margins = margins(TEST.x());

        for (int i = 0; i < TEST.size(); i++) {
            assertThat(model.margin(TEST.x()[i])).isEqualTo(margins[i]);
        }
    }

    @Test
    void valuesAtAndJustBelowEverySplitThresholdShouldGoWhereXgboostSendsThem()
            throws XGBoostError {
        // for each split of the first trees: the threshold itself, the double just below it
        // (which rounds up to the same float: right) and the float just below it (left)
        List<double[]> rows = new ArrayList<>();
        double[] base = TEST.x()[0];
        for (TreeEnsemble.Tree tree : model.trees().subList(0, 40)) {
            int[] feature = tree.feature();
            float[] threshold = tree.threshold();
            for (int node = 0; node < tree.size(); node++) {
                if (feature[node] < 0) {
                    continue;
                }
                for (double value :
                        new double[] {
                            threshold[node],
                            Math.nextDown((double) threshold[node]),
                            Math.nextDown(threshold[node])
                        }) {
                    double[] row = base.clone();
                    row[feature[node]] = value;
                    rows.add(row);
                }
            }
        }
        float[] margins = margins(rows.toArray(double[][]::new));

        assertThat(rows).hasSizeGreaterThan(500);
        for (int i = 0; i < rows.size(); i++) {
            assertThat(model.margin(rows.get(i))).isEqualTo(margins[i]);
        }
    }

    @Test
    void itShouldRankFraudAboveGenuineOnUnseenRows() {
        assertThat(RocAuc.of(Scores.of(model, TEST), TEST.y())).isGreaterThan(0.85);
    }

    @Test
    void scalePosWeightShouldMakeFraudsWeighAsMuchAsGenuineRows() {
        assertThat(Scores.fraudWeightedMean(model, TRAIN)).isCloseTo(0.5, within(0.1));
    }

    @Test
    void theContributionsPlusTheBiasShouldSumToTheMargin() {
        for (double[] row : TEST.x()) {
            double sum = model.bias();
            for (double c : model.contributions(row)) {
                sum += c;
            }
            assertThat(sum).isCloseTo(model.margin(row), within(1e-4));
        }
    }

    @Test
    void theBiasShouldBeXgboostsExpectedMargin() throws XGBoostError {
        float[][] contributions = contributions(booster, new double[][] {TEST.x()[0]});

        assertThat(model.bias()).isCloseTo(contributions[0][TEST.features()], within(1e-4));
    }

    @Test
    void onStumpsTheContributionsShouldEqualXgboostsOwn() throws XGBoostError {
        // with one split per tree Saabas and SHAP values coincide: XGBoost's predictContrib is
        // then an exact reference for every feature
        GbtParams stumps = PARAMS.withTrees(30).withMaxDepth(1);
        Booster stumpBooster = GradientBoostedTreesTraining.boost(TRAIN, stumps, SEED, line -> {});
        try {
            TreeEnsemble stumpModel = XgboostJson.export(stumpBooster, TRAIN.featureNames());
            double[][] rows = Arrays.copyOf(TEST.x(), 500);
            float[][] reference = contributions(stumpBooster, rows);
            for (int i = 0; i < rows.length; i++) {
                double[] mine = stumpModel.contributions(rows[i]);
                for (int j = 0; j < mine.length; j++) {
                    assertThat(mine[j]).isCloseTo(reference[i][j], within(1e-5));
                }
            }
        } finally {
            stumpBooster.dispose();
        }
    }

    @Test
    void theSameDataParametersAndSeedShouldGiveTheSameModelBytesAndAnotherSeedOthers() {
        byte[] bytes = ModelCodec.write(model);

        byte[] again = ModelCodec.write(XgboostJson.export(booster, TRAIN.featureNames()));
        byte[] other =
                ModelCodec.write(
                        Trainers.gradientBoostedTrees(
                                        TRAIN, PARAMS.withTrees(20), SEED + 1, line -> {})
                                .model());
        byte[] sameSeedFewerTrees =
                ModelCodec.write(
                        Trainers.gradientBoostedTrees(TRAIN, PARAMS.withTrees(20), SEED, line -> {})
                                .model());

        assertThat(again).isEqualTo(bytes);
        assertThat(other).isNotEqualTo(sameSeedFewerTrees);
    }

    @Test
    void theModelShouldScoreAndExplainTheSameAfterTheCodec() {
        ScoringModel read = ModelCodec.read(ModelCodec.write(model));

        assertThat(Scores.of(read, TEST)).containsExactly(Scores.of(model, TEST));
        assertThat(read.explain(TEST.x()[3], 5)).isEqualTo(model.explain(TEST.x()[3], 5));
    }

    @Test
    void progressShouldReportTheTrainingLossEveryFiftyTrees() {
        assertThat(PROGRESS)
                .filteredOn(line -> line.contains("train-logloss"))
                .extracting(line -> line.substring(0, line.indexOf(',')))
                .containsExactly(
                        "gradient boosted trees: tree 50/200",
                        "gradient boosted trees: tree 100/200",
                        "gradient boosted trees: tree 150/200",
                        "gradient boosted trees: tree 200/200");
    }

    private static float[] margins(double[][] rows) throws XGBoostError {
        DMatrix matrix = GradientBoostedTreesTraining.matrix(rows, TEST.features());
        try {
            float[][] margins = booster.predict(matrix, true);
            float[] flat = new float[rows.length];
            for (int i = 0; i < flat.length; i++) {
                flat[i] = margins[i][0];
            }
            return flat;
        } finally {
            matrix.dispose();
        }
    }

    private static float[][] contributions(Booster from, double[][] rows) throws XGBoostError {
        DMatrix matrix = GradientBoostedTreesTraining.matrix(rows, TEST.features());
        try {
            return from.predictContrib(matrix, 0);
        } finally {
            matrix.dispose();
        }
    }
}
