package org.fraudplatform.models.training;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.fraudplatform.models.runtime.TreeEnsemble;

/**
 * Gradient-boosted trees with XGBoost ({@code binary:logistic}, histogram splits, NaN as missing),
 * through xgboost4j directly rather than Tribuo's wrapper: boosting one round at a time gives the
 * progress lines, and the booster's own per-row prediction is the reference for the portable {@link
 * TreeEnsemble}. (Tribuo's per-example path costs about a millisecond per row anyway.)
 *
 * <p>Imbalance: {@code scale_pos_weight} = the settings' {@link ClassWeight} (by default {@link
 * TrainingData#balancedFraudWeight()}, the usual XGBoost remedy, which weighs every fraud's
 * gradient and hessian by genuine rows per fraud; or its square root, or 1).
 *
 * <p>Reproducibility: XGBoost's {@code seed} drives row and column sampling, and with the same
 * thread count the histogram sums run in the same order, so the same data, parameters and seed give
 * the same trees, bit for bit.
 */
final class GradientBoostedTreesTraining {

    private GradientBoostedTreesTraining() {}

    static Trained train(
            TrainingData data, GbtParams params, long seed, Consumer<String> progress) {
        long start = System.nanoTime();
        Booster booster = boost(data, params, seed, progress);
        TreeEnsemble model = XgboostJson.export(booster, data.featureNames());
        int features = data.features();
        ToDoubleFunction<double[]> library = x -> predict(booster, x, features);
        double seconds = (System.nanoTime() - start) / 1e9;
        progress.accept(String.format("gradient boosted trees: trained in %.1f s", seconds));
        return new Trained(model, library, seconds);
    }

    /**
     * A bag of {@code bag} boosters trained alike on the same rows with the seeds {@code seed},
     * {@code seed + 1}, …: row and column sampling differ, and the bag scores the mean of their
     * margins ({@link TreeEnsemble#average}), which varies less from seed to seed than one booster.
     * A bag of one is {@link #train}.
     */
    static Trained trainBag(
            TrainingData data, GbtParams params, int bag, long seed, Consumer<String> progress) {
        if (bag < 1) {
            throw new IllegalArgumentException("a bag holds at least one booster, not " + bag);
        }
        if (bag == 1) {
            return train(data, params, seed, progress);
        }
        long start = System.nanoTime();
        List<TreeEnsemble> members = new ArrayList<>();
        List<Booster> boosters = new ArrayList<>();
        for (int k = 0; k < bag; k++) {
            int member = k + 1;
            long memberSeed = seed + k;
            Consumer<String> memberProgress =
                    line ->
                            progress.accept(
                                    String.format(
                                            "bag %d/%d (seed %d): %s",
                                            member, bag, memberSeed, line));
            Booster booster = boost(data, params, memberSeed, memberProgress);
            boosters.add(booster);
            members.add(XgboostJson.export(booster, data.featureNames()));
        }
        TreeEnsemble model = TreeEnsemble.average(members);
        int features = data.features();
        ToDoubleFunction<double[]> library =
                x -> {
                    double margin = 0;
                    for (Booster b : boosters) {
                        margin += margin(b, x, features);
                    }
                    return 1 / (1 + Math.exp(-margin / boosters.size()));
                };
        double seconds = (System.nanoTime() - start) / 1e9;
        progress.accept(
                String.format(
                        "gradient boosted trees: a bag of %d trained in %.1f s", bag, seconds));
        return new Trained(model, library, seconds);
    }

    /** Trains the booster, one tree per round, reporting the training log loss now and then. */
    static Booster boost(
            TrainingData data, GbtParams params, long seed, Consumer<String> progress) {
        double fraudWeight = params.classWeight().fraudWeight(data);
        Map<String, Object> xgb = new HashMap<>();
        xgb.put("objective", "binary:logistic");
        xgb.put("eval_metric", "logloss");
        xgb.put("base_score", 0.5);
        xgb.put("tree_method", "hist");
        xgb.put("max_depth", params.maxDepth());
        xgb.put("eta", params.eta());
        xgb.put("subsample", params.subsample());
        xgb.put("colsample_bytree", params.columnSample());
        xgb.put("min_child_weight", params.minChildWeight());
        xgb.put("lambda", params.lambda());
        xgb.put("scale_pos_weight", fraudWeight);
        xgb.put("nthread", params.threads());
        xgb.put("seed", seed);
        xgb.put("verbosity", 0);
        progress.accept(
                String.format(
                        "gradient boosted trees: %d rows, %d frauds (scale_pos_weight %.1f), %d"
                                + " trees of depth %d, eta %s",
                        data.size(),
                        data.frauds(),
                        fraudWeight,
                        params.trees(),
                        params.maxDepth(),
                        params.eta()));
        DMatrix train = matrix(data.x(), data.features());
        try {
            float[] labels = new float[data.size()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = data.y()[i];
            }
            train.setLabel(labels);
            Booster booster = XGBoost.train(train, xgb, 0, Map.of(), null, null);
            for (int round = 0; round < params.trees(); round++) {
                booster.update(train, round);
                if ((round + 1) % params.progressEvery() == 0 || round + 1 == params.trees()) {
                    String eval =
                            booster.evalSet(new DMatrix[] {train}, new String[] {"train"}, round);
                    progress.accept(
                            "gradient boosted trees: tree "
                                    + (round + 1)
                                    + "/"
                                    + params.trees()
                                    + ", "
                                    + eval.substring(eval.indexOf(']') + 1).trim());
                }
            }
            return booster;
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost training failed: " + e.getMessage(), e);
        } finally {
            train.dispose();
        }
    }

    /** The booster's fraud probability of one row. */
    static double predict(Booster booster, double[] x, int features) {
        DMatrix row = matrix(new double[][] {x}, features);
        try {
            return booster.predict(row)[0][0];
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost prediction failed: " + e.getMessage(), e);
        } finally {
            row.dispose();
        }
    }

    /** The booster's margin (log-odds) of one row. */
    static double margin(Booster booster, double[] x, int features) {
        DMatrix row = matrix(new double[][] {x}, features);
        try {
            return booster.predict(row, true, 0)[0][0];
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost prediction failed: " + e.getMessage(), e);
        } finally {
            row.dispose();
        }
    }

    /** Rows as XGBoost's dense float matrix, NaN as missing. */
    static DMatrix matrix(double[][] rows, int features) {
        float[] values = new float[rows.length * features];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < features; j++) {
                values[i * features + j] = (float) rows[i][j];
            }
        }
        try {
            return new DMatrix(values, rows.length, features, Float.NaN);
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost matrix failed: " + e.getMessage(), e);
        }
    }
}
