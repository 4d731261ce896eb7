package org.fraudplatform.models.runtime;

import java.util.List;

/**
 * An anomaly detector: a network trained to reconstruct genuine rows, so rows unlike them
 * reconstruct badly. Inputs are {@link Standardization standardized} (0 when missing); the
 * reconstruction error is the mean squared difference over the present features (0 when none is
 * present), and the score maps it to [0, 1) as {@code error / (error + reference)}: 0.5 at the
 * reference error (the training rows' high quantile, chosen by the trainer), monotonic, so its
 * ranking is that of the error.
 *
 * <p>{@link #explain} gives each present feature's share of the error, {@code (z_j - r_j)^2 /
 * present}: they sum to the error.
 */
public final class Autoencoder implements ScoringModel {

    /** The registry's name of this kind. */
    public static final String KIND = "autoencoder";

    private final List<String> featureNames;
    private final Standardization standardization;
    private final List<DenseLayer> layers;
    private final double referenceError;

    /**
     * @param featureNames the inputs in order
     * @param standardization learned on the training data, one entry per feature
     * @param layers input to reconstruction; the last has one identity output per feature
     * @param referenceError the error that scores 0.5, positive
     */
    public Autoencoder(
            List<String> featureNames,
            Standardization standardization,
            List<DenseLayer> layers,
            double referenceError) {
        this.featureNames = Explanations.featureNames(featureNames);
        this.standardization = standardization;
        this.layers = DenseNetwork.checkLayers(this.featureNames.size(), standardization, layers);
        DenseLayer output = this.layers.get(this.layers.size() - 1);
        if (output.out() != this.featureNames.size()
                || output.activation() != Activation.IDENTITY) {
            throw new IllegalArgumentException(
                    "the output layer must reconstruct the "
                            + this.featureNames.size()
                            + " features with identity, got "
                            + output);
        }
        if (!Double.isFinite(referenceError) || referenceError <= 0) {
            throw new IllegalArgumentException(
                    "reference error must be positive, got " + referenceError);
        }
        this.referenceError = referenceError;
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

    /** The layers, input to reconstruction. */
    public List<DenseLayer> layers() {
        return layers;
    }

    /** The error that scores 0.5. */
    public double referenceError() {
        return referenceError;
    }

    /** The row's reconstruction on the standardized scale. */
    public double[] reconstruct(double[] x) {
        Explanations.checkRow(x, featureNames);
        double[] a = standardization.apply(x);
        for (DenseLayer layer : layers) {
            a = layer.apply(a);
        }
        return a;
    }

    /** Each present feature's share of the reconstruction error; 0 for missing ones. */
    public double[] contributions(double[] x) {
        double[] r = reconstruct(x);
        double[] shares = new double[r.length];
        int present = 0;
        for (int j = 0; j < r.length; j++) {
            if (Double.isFinite(x[j])) {
                double d = standardization.apply(j, x[j]) - r[j];
                shares[j] = d * d;
                present++;
            }
        }
        if (present > 0) {
            for (int j = 0; j < r.length; j++) {
                shares[j] /= present;
            }
        }
        return shares;
    }

    /** Mean squared reconstruction error over the present features. */
    public double reconstructionError(double[] x) {
        double error = 0;
        for (double share : contributions(x)) {
            error += share;
        }
        return error;
    }

    @Override
    public double score(double[] x) {
        double error = reconstructionError(x);
        return error / (error + referenceError);
    }

    @Override
    public List<Contribution> explain(double[] x, int top) {
        return Explanations.top(featureNames, x, contributions(x), top);
    }
}
