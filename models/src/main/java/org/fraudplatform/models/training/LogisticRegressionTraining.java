package org.fraudplatform.models.training;

import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.fraudplatform.models.runtime.LinearModel;
import org.fraudplatform.models.runtime.Standardization;
import org.tribuo.Example;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.common.sgd.AbstractSGDTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Logistic regression with Tribuo's {@link LinearSGDTrainer} (log loss over the two labels,
 * AdaGrad, one example per step) on features standardized here, so the exported {@link LinearModel}
 * applies the very same standardization.
 *
 * <p>Imbalance: each fraud carries the example weight {@link TrainingData#balancedFraudWeight()}
 * (genuine rows per fraud), each genuine row 1. One example per step is deliberate: Tribuo applies
 * example weights per example only then (a minibatch step uses the batch's mean weight). The
 * weighting shifts the probabilities up (the model sees a balanced problem); the ranking is what
 * the weighting buys.
 *
 * <p>Reproducibility: Tribuo shuffles with a {@code SplittableRandom} from the seed, and a new
 * trainer is built per call, so the same data and seed give the same weights.
 */
final class LogisticRegressionTraining {

    static final String FRAUD = "fraud";
    static final String GENUINE = "genuine";

    static final int EPOCHS = 5;
    static final double LEARNING_RATE = 1.0;
    static final double ADAGRAD_EPSILON = 0.1;

    private static final LabelFactory LABELS = new LabelFactory();

    private LogisticRegressionTraining() {}

    static Trained train(TrainingData data, long seed, Consumer<String> progress) {
        long start = System.nanoTime();
        double fraudWeight = data.balancedFraudWeight();
        Standardization standardization = Standardization.fit(data.x(), data.features());
        String[] names = data.featureNames().toArray(String[]::new);
        Label fraud = LABELS.generateOutput(FRAUD);
        Label genuine = LABELS.generateOutput(GENUINE);

        MutableDataset<Label> dataset =
                new MutableDataset<>(
                        new SimpleDataSourceProvenance("fraud training rows", LABELS), LABELS);
        for (int i = 0; i < data.size(); i++) {
            boolean isFraud = data.y()[i] == 1;
            ArrayExample<Label> example =
                    new ArrayExample<>(
                            isFraud ? fraud : genuine, names, standardization.apply(data.x()[i]));
            example.setWeight(isFraud ? (float) fraudWeight : 1f);
            dataset.add(example);
        }
        progress.accept(
                String.format(
                        "logistic regression: %d rows, %d frauds (weight %.1f each), %d features",
                        data.size(), data.frauds(), fraudWeight, data.features()));

        LinearSGDTrainer trainer =
                new LinearSGDTrainer(
                        new LogMulticlass(),
                        new AdaGrad(LEARNING_RATE, ADAGRAD_EPSILON),
                        EPOCHS,
                        data.size(),
                        1,
                        seed);
        LinearSGDModel tribuo = withTribuoProgress(progress, () -> trainer.train(dataset));

        LinearModel model = export(tribuo, data, standardization);
        ToDoubleFunction<double[]> library =
                x -> {
                    Example<Label> example =
                            new ArrayExample<>(
                                    LabelFactory.UNKNOWN_LABEL, names, standardization.apply(x));
                    return tribuo.predict(example).getOutputScores().get(FRAUD).getScore();
                };
        double seconds = (System.nanoTime() - start) / 1e9;
        progress.accept(String.format("logistic regression: trained in %.1f s", seconds));
        return new Trained(model, library, seconds);
    }

    /**
     * The portable form: with two labels, softmax gives {@code P(fraud) = sigmoid((w_fraud -
     * w_genuine) · z + (b_fraud - b_genuine))}. Tribuo keeps one weight row per label, a column per
     * feature id and the bias in the last column.
     */
    static LinearModel export(
            LinearSGDModel tribuo, TrainingData data, Standardization standardization) {
        DenseMatrix w = tribuo.getWeightsCopy();
        ImmutableFeatureMap features = tribuo.getFeatureIDMap();
        ImmutableOutputInfo<Label> labels = tribuo.getOutputIDInfo();
        int fraud = labels.getID(LABELS.generateOutput(FRAUD));
        int genuine = labels.getID(LABELS.generateOutput(GENUINE));
        if (fraud < 0 || genuine < 0 || w.getDimension2Size() != features.size() + 1) {
            throw new IllegalStateException(
                    "unexpected Tribuo model layout: "
                            + w.getDimension1Size()
                            + " x "
                            + w.getDimension2Size()
                            + " weights, "
                            + features.size()
                            + " features, labels "
                            + labels.toReadableString());
        }
        double[] weights = new double[data.features()];
        for (int j = 0; j < weights.length; j++) {
            int id = features.getID(data.featureNames().get(j));
            // a feature Tribuo never saw (always missing) has no column: weight 0
            weights[j] = id < 0 ? 0 : w.get(fraud, id) - w.get(genuine, id);
        }
        int bias = features.size();
        double intercept = w.get(fraud, bias) - w.get(genuine, bias);
        return new LinearModel(data.featureNames(), standardization, weights, intercept);
    }

    /**
     * Runs Tribuo's training with its SGD log lines ("At iteration …, average loss = …", once per
     * epoch here) forwarded to {@code progress}. Tribuo logs through java.util.logging; the
     * forwarding handler replaces the console on its trainer logger for the duration of the call.
     */
    private static <T> T withTribuoProgress(Consumer<String> progress, Supplier<T> training) {
        Logger logger = Logger.getLogger(AbstractSGDTrainer.class.getName());
        SimpleFormatter formatter = new SimpleFormatter();
        Handler handler =
                new Handler() {
                    @Override
                    public void publish(LogRecord record) {
                        if (record.getLevel().intValue() >= Level.INFO.intValue()) {
                            progress.accept(
                                    "logistic regression: " + formatter.formatMessage(record));
                        }
                    }

                    @Override
                    public void flush() {}

                    @Override
                    public void close() {}
                };
        boolean parents = logger.getUseParentHandlers();
        logger.addHandler(handler);
        logger.setUseParentHandlers(false); // the lines go to progress, not twice to the console
        try {
            return training.get();
        } finally {
            logger.removeHandler(handler);
            logger.setUseParentHandlers(parents);
        }
    }
}
