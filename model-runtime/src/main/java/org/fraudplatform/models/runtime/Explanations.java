package org.fraudplatform.models.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** What the models share: input checks, the logistic function, the top-k of contributions. */
final class Explanations {

    private Explanations() {}

    /** Rejects a row that does not hold one value per feature. */
    static void checkRow(double[] x, List<String> featureNames) {
        if (x == null || x.length != featureNames.size()) {
            throw new IllegalArgumentException(
                    "expected "
                            + featureNames.size()
                            + " feature values, got "
                            + (x == null ? "null" : String.valueOf(x.length)));
        }
    }

    /** Checks feature names: at least one, none blank, no duplicates; an unmodifiable copy. */
    static List<String> featureNames(List<String> names) {
        if (names == null || names.isEmpty()) {
            throw new IllegalArgumentException("a model needs at least one feature");
        }
        List<String> copy = List.copyOf(names);
        if (copy.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("a feature name is blank: " + copy);
        }
        if (copy.stream().distinct().count() != copy.size()) {
            throw new IllegalArgumentException("feature names repeat: " + copy);
        }
        return copy;
    }

    /** The logistic function, without overflow for large |z|. */
    static double sigmoid(double z) {
        if (z >= 0) {
            return 1 / (1 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1 + e);
    }

    /** Rejects a non-finite parameter. */
    static void checkFinite(String what, double[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(what + "[" + i + "] is " + values[i]);
            }
        }
    }

    /**
     * The {@code top} largest contributions, largest first (ties in feature order).
     *
     * @param contributions one per feature
     */
    static List<Contribution> top(
            List<String> featureNames, double[] x, double[] contributions, int top) {
        if (top < 0) {
            throw new IllegalArgumentException("top must not be negative: " + top);
        }
        Integer[] order = new Integer[contributions.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -contributions[i]));
        int n = Math.min(top, order.length);
        List<Contribution> result = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            int j = order[k];
            result.add(new Contribution(featureNames.get(j), x[j], contributions[j]));
        }
        return List.copyOf(result);
    }
}
