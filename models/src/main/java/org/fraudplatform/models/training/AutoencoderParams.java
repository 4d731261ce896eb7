package org.fraudplatform.models.training;

import java.util.List;
import org.fraudplatform.models.runtime.Activation;

/**
 * Autoencoder settings.
 *
 * @param hidden units per hidden layer, encoder and decoder, e.g. 16, 6, 16 (the narrowest is the
 *     code)
 * @param activation of the hidden layers
 * @param epochs passes over the genuine rows
 * @param batchSize rows per minibatch
 * @param learningRate Adam's step size
 * @param referenceQuantile the quantile of the training rows' reconstruction errors that scores 0.5
 */
public record AutoencoderParams(
        List<Integer> hidden,
        Activation activation,
        int epochs,
        int batchSize,
        double learningRate,
        double referenceQuantile) {

    /** Checks ranges. */
    public AutoencoderParams {
        hidden = List.copyOf(hidden);
        if (hidden.isEmpty() || hidden.stream().anyMatch(units -> units < 1)) {
            throw new IllegalArgumentException("an autoencoder needs hidden layers: " + hidden);
        }
        if (activation == null || activation == Activation.SOFTMAX) {
            throw new IllegalArgumentException("hidden activation must not be " + activation);
        }
        if (epochs < 1 || batchSize < 1 || !(learningRate > 0)) {
            throw new IllegalArgumentException(
                    "epochs, batch size and learning rate must be positive");
        }
        if (!(referenceQuantile > 0 && referenceQuantile < 1)) {
            throw new IllegalArgumentException("reference quantile must be in (0, 1)");
        }
    }

    /** Tanh layers of 16, 6 and 16 units, 8 epochs of 256 rows, Adam at 0.003, 99th percentile. */
    public static AutoencoderParams defaults() {
        return new AutoencoderParams(List.of(16, 6, 16), Activation.TANH, 8, 256, 0.003, 0.99);
    }
}
