package org.fraudplatform.models.training;

import java.util.function.Consumer;

/**
 * Trains fraud models with Tribuo, XGBoost and Deeplearning4j and exports each to a portable {@link
 * org.fraudplatform.models.runtime.ScoringModel}.
 *
 * <p>Every trainer takes an explicit seed (the same data, parameters and seed give the same
 * portable model bytes), handles the class imbalance deliberately (frauds weigh as much as the
 * genuine rows in total: {@link TrainingData#balancedFraudWeight()}), and reports progress lines
 * (epochs or trees, with the training loss) to a consumer. The scores of the supervised models are
 * probabilities of that balanced problem: they rank rows, they are not calibrated fraud rates.
 */
public final class Trainers {

    private Trainers() {}

    /**
     * Logistic regression (Tribuo {@code LinearSGDTrainer}, log loss, AdaGrad, 5 epochs) on
     * standardized features; fraud example weight = genuine rows per fraud.
     */
    public static Trained logisticRegression(
            TrainingData data, long seed, Consumer<String> progress) {
        return LogisticRegressionTraining.train(data, seed, progress);
    }

    /**
     * The fraud handbook's baseline: logistic regression as scikit-learn's {@code
     * LogisticRegression()} fits it by default on standardized inputs (L2 penalty on the weights
     * with strength {@code 1 / c}, no class weights), solved exactly by Newton's method.
     * Deterministic: no seed.
     */
    public static Trained penalizedLogisticRegression(
            TrainingData data, double c, Consumer<String> progress) {
        return PenalizedLogisticRegressionTraining.train(data, c, progress);
    }

    /**
     * Gradient-boosted trees (XGBoost {@code binary:logistic}, histogram splits, NaN as missing);
     * {@code scale_pos_weight} from the settings' {@link ClassWeight} (balanced by default).
     */
    public static Trained gradientBoostedTrees(
            TrainingData data, GbtParams params, long seed, Consumer<String> progress) {
        return GradientBoostedTreesTraining.train(data, params, seed, progress);
    }

    /**
     * A bag of {@code bag} gradient-boosted tree models trained alike with the seeds {@code seed}
     * to {@code seed + bag - 1}, scored as the mean of their log-odds: one portable ensemble that
     * holds every member's trees. A bag of one is {@link #gradientBoostedTrees}.
     */
    public static Trained baggedGradientBoostedTrees(
            TrainingData data, GbtParams params, int bag, long seed, Consumer<String> progress) {
        return GradientBoostedTreesTraining.trainBag(data, params, bag, seed, progress);
    }

    /**
     * A multilayer perceptron (Deeplearning4j, Adam, softmax over genuine/fraud) on standardized
     * features; cross-entropy with the fraud class weighted genuine rows per fraud.
     */
    public static Trained mlp(
            TrainingData data, MlpParams params, long seed, Consumer<String> progress) {
        return MlpTraining.train(data, params, seed, progress);
    }

    /**
     * An autoencoder (Deeplearning4j) trained on the genuine rows only; scores the normalized
     * reconstruction error.
     */
    public static Trained autoencoder(
            TrainingData data, AutoencoderParams params, long seed, Consumer<String> progress) {
        return AutoencoderTraining.train(data, params, seed, progress);
    }
}
