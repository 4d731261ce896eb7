package org.fraudplatform.models.runtime;

import java.util.Locale;

/** The activation functions a {@link DenseLayer} may apply. */
public enum Activation {
    IDENTITY,
    RELU,
    TANH,
    SIGMOID,
    /** Over the whole layer; only an output layer uses it. */
    SOFTMAX;

    /** The name in model files: the constant in lower case. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The activation a model file names.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static Activation fromJsonName(String name) {
        for (Activation activation : values()) {
            if (activation.jsonName().equals(name)) {
                return activation;
            }
        }
        throw new IllegalArgumentException("unknown activation '" + name + "'");
    }

    /** Applies this activation in place (softmax over the whole array). */
    void applyInPlace(double[] v) {
        switch (this) {
            case IDENTITY:
                return;
            case RELU:
                for (int i = 0; i < v.length; i++) {
                    v[i] = Math.max(0, v[i]);
                }
                return;
            case TANH:
                for (int i = 0; i < v.length; i++) {
                    v[i] = Math.tanh(v[i]);
                }
                return;
            case SIGMOID:
                for (int i = 0; i < v.length; i++) {
                    v[i] = Explanations.sigmoid(v[i]);
                }
                return;
            case SOFTMAX:
                double max = Double.NEGATIVE_INFINITY;
                for (double value : v) {
                    max = Math.max(max, value);
                }
                double sum = 0;
                for (int i = 0; i < v.length; i++) {
                    v[i] = Math.exp(v[i] - max);
                    sum += v[i];
                }
                for (int i = 0; i < v.length; i++) {
                    v[i] /= sum;
                }
                return;
            default:
                throw new IllegalStateException("unhandled activation " + this);
        }
    }
}
