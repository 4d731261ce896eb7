package org.fraudplatform.models.evaluation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One evaluated model, as an {@link EvaluationReport} shows it.
 *
 * @param name unique within a report, e.g. {@code "logistic-regression"}
 * @param kind the algorithm, e.g. {@code "Tribuo SGD logistic regression"}
 * @param trainingSeconds wall-clock time to train
 * @param testScores one score per test row, aligned with {@link Split#testRows()} (higher = more
 *     suspicious); copied in and out
 * @param metrics the model's metrics by {@link Metrics} key, usually {@link Metrics#summary}
 * @param parameters the hyper-parameters worth showing next to the numbers (may be empty)
 */
public record ModelResult(
        String name,
        String kind,
        double trainingSeconds,
        double[] testScores,
        Map<String, Double> metrics,
        Map<String, String> parameters) {

    public ModelResult {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a model needs a name");
        }
        kind = kind == null ? "" : kind;
        testScores = testScores.clone();
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** Scores a model's test predictions with {@link Metrics#summary}. */
    public static ModelResult evaluate(
            String name,
            String kind,
            double trainingSeconds,
            Map<String, String> parameters,
            Split split,
            double[] testScores) {
        if (testScores.length != split.testSize()) {
            throw new IllegalArgumentException(
                    name
                            + " has "
                            + testScores.length
                            + " scores for "
                            + split.testSize()
                            + " test rows");
        }
        return new ModelResult(
                name,
                kind,
                trainingSeconds,
                testScores,
                Metrics.summary(split, testScores),
                parameters);
    }

    @Override
    public double[] testScores() {
        return testScores.clone();
    }

    /** The metric under {@code key}, NaN when absent. */
    public double metric(String key) {
        Double value = metrics.get(key);
        return value == null ? Double.NaN : value;
    }
}
