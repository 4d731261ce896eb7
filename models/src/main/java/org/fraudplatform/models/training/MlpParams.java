package org.fraudplatform.models.training;

import java.util.List;
import org.fraudplatform.models.runtime.Activation;

/**
 * Multilayer perceptron settings.
 *
 * @param hidden units per hidden layer, input side first
 * @param activation of the hidden layers: relu, tanh, sigmoid or identity
 * @param epochs passes over the (shuffled) training rows
 * @param batchSize rows per minibatch
 * @param learningRate Adam's step size
 * @param l2 weight decay
 */
public record MlpParams(
        List<Integer> hidden,
        Activation activation,
        int epochs,
        int batchSize,
        double learningRate,
        double l2) {

    /** Checks ranges. */
    public MlpParams {
        hidden = List.copyOf(hidden);
        if (hidden.stream().anyMatch(units -> units < 1)) {
            throw new IllegalArgumentException("hidden layers need at least one unit: " + hidden);
        }
        if (activation == null || activation == Activation.SOFTMAX) {
            throw new IllegalArgumentException("hidden activation must not be " + activation);
        }
        if (epochs < 1 || batchSize < 1 || !(learningRate > 0) || !(l2 >= 0)) {
            throw new IllegalArgumentException(
                    "epochs, batch size and learning rate must be positive, l2 not negative");
        }
    }

    /** Two relu layers of 32 and 16 units, 8 epochs of 256-row batches, Adam at 0.003. */
    public static MlpParams defaults() {
        return new MlpParams(List.of(32, 16), Activation.RELU, 8, 256, 0.003, 1e-5);
    }

    /** These settings with another number of epochs. */
    public MlpParams withEpochs(int epochs) {
        return new MlpParams(hidden, activation, epochs, batchSize, learningRate, l2);
    }
}
