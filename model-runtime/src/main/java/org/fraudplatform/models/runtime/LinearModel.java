package org.fraudplatform.models.runtime;

import java.util.List;

/**
 * Logistic regression on standardized features: {@code P(fraud) = sigmoid(intercept + Σ w_j z_j)}
 * with {@code z_j} the {@link Standardization standardized} value (0 when missing).
 *
 * <p>{@link #explain} attributes the logit to the features: feature {@code j} contributes {@code
 * w_j z_j}, log-odds relative to a row at the training means. These contributions plus the
 * intercept sum to the {@link #logit}.
 */
public final class LinearModel implements ScoringModel {

    /** The registry's name of this kind. */
    public static final String KIND = "logistic_regression";

    private final List<String> featureNames;
    private final Standardization standardization;
    private final double[] weights;
    private final double intercept;

    /**
     * @param featureNames the inputs in order
     * @param standardization learned on the training data, one entry per feature
     * @param weights one per feature, on the standardized scale
     * @param intercept the logit of a row at the training means
     */
    public LinearModel(
            List<String> featureNames,
            Standardization standardization,
            double[] weights,
            double intercept) {
        this.featureNames = Explanations.featureNames(featureNames);
        int n = this.featureNames.size();
        if (standardization.size() != n) {
            throw new IllegalArgumentException(
                    "standardization has " + standardization.size() + " features, expected " + n);
        }
        if (weights.length != n) {
            throw new IllegalArgumentException(
                    "weights has " + weights.length + " values, expected " + n);
        }
        Explanations.checkFinite("weights", weights);
        Explanations.checkFinite("intercept", new double[] {intercept});
        this.standardization = standardization;
        this.weights = weights.clone();
        this.intercept = intercept;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public List<String> featureNames() {
        return featureNames;
    }

    /** The standardization the weights apply to. */
    public Standardization standardization() {
        return standardization;
    }

    /** A copy of the weights, one per feature. */
    public double[] weights() {
        return weights.clone();
    }

    /** The logit of a row at the training means (every z = 0). */
    public double intercept() {
        return intercept;
    }

    /** The log-odds of fraud. */
    public double logit(double[] x) {
        Explanations.checkRow(x, featureNames);
        double logit = intercept;
        for (int j = 0; j < weights.length; j++) {
            logit += weights[j] * standardization.apply(j, x[j]);
        }
        return logit;
    }

    @Override
    public double score(double[] x) {
        return Explanations.sigmoid(logit(x));
    }

    /** Each feature's {@code w_j z_j}; with the intercept they sum to the {@link #logit}. */
    public double[] contributions(double[] x) {
        Explanations.checkRow(x, featureNames);
        double[] contributions = new double[weights.length];
        for (int j = 0; j < weights.length; j++) {
            contributions[j] = weights[j] * standardization.apply(j, x[j]);
        }
        return contributions;
    }

    @Override
    public List<Contribution> explain(double[] x, int top) {
        return Explanations.top(featureNames, x, contributions(x), top);
    }
}
