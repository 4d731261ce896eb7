package org.fraudplatform.models.runtime;

import java.util.Arrays;

/**
 * One fully connected layer: {@code out = activation(W in + b)}.
 *
 * @param weights {@code out × in} values, row-major: {@code weights[o * in + i]} connects input
 *     {@code i} to output {@code o}
 * @param bias one per output
 * @param activation applied to the outputs
 */
public record DenseLayer(double[] weights, double[] bias, Activation activation) {

    /** Checks shapes and values; copies the arrays. */
    public DenseLayer {
        if (bias == null || bias.length == 0) {
            throw new IllegalArgumentException("a layer needs at least one output");
        }
        if (weights == null || weights.length == 0 || weights.length % bias.length != 0) {
            throw new IllegalArgumentException(
                    "a layer with "
                            + bias.length
                            + " outputs needs a multiple of "
                            + bias.length
                            + " weights, got "
                            + (weights == null ? 0 : weights.length));
        }
        if (activation == null) {
            throw new IllegalArgumentException("a layer needs an activation");
        }
        Explanations.checkFinite("weights", weights);
        Explanations.checkFinite("bias", bias);
        weights = weights.clone();
        bias = bias.clone();
    }

    /** Inputs. */
    public int in() {
        return weights.length / bias.length;
    }

    /** Outputs. */
    public int out() {
        return bias.length;
    }

    /** A copy of the weights. */
    @Override
    public double[] weights() {
        return weights.clone();
    }

    /** A copy of the biases. */
    @Override
    public double[] bias() {
        return bias.clone();
    }

    /** {@code W in + b}, before the activation. */
    double[] preActivation(double[] input) {
        int in = in();
        double[] out = new double[bias.length];
        for (int o = 0; o < out.length; o++) {
            double sum = bias[o];
            int row = o * in;
            for (int i = 0; i < in; i++) {
                sum += weights[row + i] * input[i];
            }
            out[o] = sum;
        }
        return out;
    }

    /** {@code activation(W in + b)}. */
    double[] apply(double[] input) {
        double[] out = preActivation(input);
        activation.applyInPlace(out);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DenseLayer other
                && Arrays.equals(weights, other.weights)
                && Arrays.equals(bias, other.bias)
                && activation == other.activation;
    }

    @Override
    public int hashCode() {
        return (31 * Arrays.hashCode(weights) + Arrays.hashCode(bias)) * 31 + activation.hashCode();
    }

    @Override
    public String toString() {
        return "DenseLayer[" + in() + " -> " + out() + ", " + activation.jsonName() + "]";
    }
}
