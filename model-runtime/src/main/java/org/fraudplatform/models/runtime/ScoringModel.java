package org.fraudplatform.models.runtime;

import java.util.List;

/**
 * A fraud model as the decision path scores it: plain Java over a {@code double[]} of feature
 * values, no training library involved. Training exports each learner's model into one of the
 * implementations of this package, and {@link ModelCodec} stores it.
 *
 * <p>Inputs are in {@link #featureNames()} order; a missing value is {@link Double#NaN}.
 * Implementations are immutable and safe to share between threads.
 */
public interface ScoringModel {

    /**
     * What kind of model this is, as the registry records it: {@code logistic_regression}, {@code
     * gradient_boosted_trees}, {@code mlp} or {@code autoencoder}.
     */
    String kind();

    /** The model inputs, in the order {@link #score} and {@link #explain} expect them. */
    List<String> featureNames();

    /**
     * The fraud probability of one row, in [0, 1] (an autoencoder gives a normalized anomaly score
     * in [0, 1] instead).
     *
     * @param x one value per feature, NaN when missing
     * @throws IllegalArgumentException when {@code x} does not hold one value per feature
     */
    double score(double[] x);

    /**
     * The features that pushed this row's score up most, largest contribution first. What a
     * contribution measures depends on the model (see each implementation); within one model they
     * are comparable with each other.
     *
     * @param x one value per feature, NaN when missing
     * @param top at most this many contributions
     * @throws IllegalArgumentException when {@code x} does not hold one value per feature or {@code
     *     top} is negative
     */
    List<Contribution> explain(double[] x, int top);
}
