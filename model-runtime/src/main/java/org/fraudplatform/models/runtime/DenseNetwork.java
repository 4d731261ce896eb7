package org.fraudplatform.models.runtime;

import java.util.List;

/**
 * A multilayer perceptron on {@link Standardization standardized} features (0 when missing). Hidden
 * layers use any activation but softmax; the output layer is either one sigmoid unit (the fraud
 * probability) or two softmax units (genuine, fraud), whose fraud probability equals {@code
 * sigmoid(z_fraud - z_genuine)}. Either way the {@link #logit} is the log-odds of fraud.
 *
 * <p>{@link #explain} is by occlusion: feature {@code j} contributes {@code logit(x) - logit(x with
 * z_j = 0)}, how many log-odds of fraud the row would lose if that feature were at its training
 * mean (equivalently, missing). It costs one forward pass per feature, a few microseconds for a
 * small network, and needs no gradients; for a network without hidden layers it equals {@link
 * LinearModel}'s {@code w_j z_j}. Unlike the linear case the contributions need not sum to the
 * logit: features interact.
 */
public final class DenseNetwork implements ScoringModel {

    /** The registry's name of this kind. */
    public static final String KIND = "mlp";

    private final List<String> featureNames;
    private final Standardization standardization;
    private final List<DenseLayer> layers;

    /**
     * @param featureNames the inputs in order
     * @param standardization learned on the training data, one entry per feature
     * @param layers input to output; each takes the previous one's outputs
     */
    public DenseNetwork(
            List<String> featureNames, Standardization standardization, List<DenseLayer> layers) {
        this.featureNames = Explanations.featureNames(featureNames);
        this.standardization = standardization;
        this.layers = checkLayers(this.featureNames.size(), standardization, layers);
        DenseLayer output = this.layers.get(this.layers.size() - 1);
        boolean sigmoidUnit = output.activation() == Activation.SIGMOID && output.out() == 1;
        boolean softmaxPair = output.activation() == Activation.SOFTMAX && output.out() == 2;
        if (!sigmoidUnit && !softmaxPair) {
            throw new IllegalArgumentException(
                    "the output layer must be 1 sigmoid unit or 2 softmax units, got " + output);
        }
    }

    /** Checks that the layers chain from {@code features} inputs; softmax only at the end. */
    static List<DenseLayer> checkLayers(
            int features, Standardization standardization, List<DenseLayer> layers) {
        if (standardization.size() != features) {
            throw new IllegalArgumentException(
                    "standardization has "
                            + standardization.size()
                            + " features, expected "
                            + features);
        }
        if (layers == null || layers.isEmpty()) {
            throw new IllegalArgumentException("a network needs at least one layer");
        }
        int in = features;
        for (int l = 0; l < layers.size(); l++) {
            DenseLayer layer = layers.get(l);
            if (layer.in() != in) {
                throw new IllegalArgumentException(
                        "layer " + l + " takes " + layer.in() + " inputs, expected " + in);
            }
            if (layer.activation() == Activation.SOFTMAX && l < layers.size() - 1) {
                throw new IllegalArgumentException("softmax is only for the output layer");
            }
            in = layer.out();
        }
        return List.copyOf(layers);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public List<String> featureNames() {
        return featureNames;
    }

    /** The standardization of the inputs. */
    public Standardization standardization() {
        return standardization;
    }

    /** The layers, input to output. */
    public List<DenseLayer> layers() {
        return layers;
    }

    /** The log-odds of fraud. */
    public double logit(double[] x) {
        Explanations.checkRow(x, featureNames);
        return logitOfStandardized(standardization.apply(x));
    }

    private double logitOfStandardized(double[] z) {
        double[] a = z;
        int last = layers.size() - 1;
        for (int l = 0; l < last; l++) {
            a = layers.get(l).apply(a);
        }
        double[] out = layers.get(last).preActivation(a);
        return out.length == 1 ? out[0] : out[1] - out[0];
    }

    @Override
    public double score(double[] x) {
        return Explanations.sigmoid(logit(x));
    }

    /** Each feature's occlusion effect on the logit (see the class comment). */
    public double[] contributions(double[] x) {
        Explanations.checkRow(x, featureNames);
        double[] z = standardization.apply(x);
        double logit = logitOfStandardized(z);
        double[] contributions = new double[z.length];
        for (int j = 0; j < z.length; j++) {
            if (z[j] == 0) {
                continue;
            }
            double kept = z[j];
            z[j] = 0;
            contributions[j] = logit - logitOfStandardized(z);
            z[j] = kept;
        }
        return contributions;
    }

    @Override
    public List<Contribution> explain(double[] x, int top) {
        return Explanations.top(featureNames, x, contributions(x), top);
    }
}
