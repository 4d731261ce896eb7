package org.fraudplatform.models.training;

import java.util.List;

/**
 * Labelled rows to train a fraud model on. The arrays are not copied; do not modify them.
 *
 * @param featureNames the model inputs, in column order
 * @param x one array per row, one value per feature, NaN when missing
 * @param y one label per row: 1 fraud, 0 genuine
 */
public record TrainingData(List<String> featureNames, double[][] x, int[] y) {

    /** Checks shapes and labels. */
    public TrainingData {
        if (featureNames == null || featureNames.isEmpty()) {
            throw new IllegalArgumentException("training data needs at least one feature");
        }
        featureNames = List.copyOf(featureNames);
        if (featureNames.stream().distinct().count() != featureNames.size()) {
            throw new IllegalArgumentException("feature names repeat: " + featureNames);
        }
        if (x == null || y == null || x.length != y.length) {
            throw new IllegalArgumentException(
                    "rows and labels differ in number: "
                            + (x == null ? "null" : x.length)
                            + " vs "
                            + (y == null ? "null" : y.length));
        }
        for (int i = 0; i < x.length; i++) {
            if (x[i] == null || x[i].length != featureNames.size()) {
                throw new IllegalArgumentException(
                        "row " + i + " does not hold " + featureNames.size() + " values");
            }
            if (y[i] != 0 && y[i] != 1) {
                throw new IllegalArgumentException("label of row " + i + " is " + y[i]);
            }
        }
    }

    /**
     * Training data from columns, one array of values per feature.
     *
     * @param featureNames the columns' names, in order
     * @param columns one per name, each with one value per row (NaN when missing)
     * @param y one label per row: 1 fraud, 0 genuine
     */
    public static TrainingData fromColumns(
            List<String> featureNames, List<double[]> columns, int[] y) {
        if (featureNames.size() != columns.size()) {
            throw new IllegalArgumentException(
                    featureNames.size() + " feature names but " + columns.size() + " columns");
        }
        double[][] x = new double[y.length][featureNames.size()];
        for (int j = 0; j < columns.size(); j++) {
            double[] column = columns.get(j);
            if (column.length != y.length) {
                throw new IllegalArgumentException(
                        "column "
                                + featureNames.get(j)
                                + " has "
                                + column.length
                                + " values for "
                                + y.length
                                + " labels");
            }
            for (int i = 0; i < y.length; i++) {
                x[i][j] = column[i];
            }
        }
        return new TrainingData(featureNames, x, y);
    }

    /** Rows. */
    public int size() {
        return y.length;
    }

    /** Features per row. */
    public int features() {
        return featureNames.size();
    }

    /** Rows labelled fraud. */
    public int frauds() {
        int n = 0;
        for (int label : y) {
            n += label;
        }
        return n;
    }

    /** The genuine rows only (what an anomaly detector learns from). */
    public TrainingData genuineOnly() {
        int n = size() - frauds();
        double[][] rows = new double[n][];
        int at = 0;
        for (int i = 0; i < y.length; i++) {
            if (y[i] == 0) {
                rows[at++] = x[i];
            }
        }
        return new TrainingData(featureNames, rows, new int[n]);
    }

    /**
     * The weight that gives the frauds as much total weight as the genuine rows: genuine rows per
     * fraud. Every supervised trainer here uses it against the class imbalance.
     *
     * @throws IllegalArgumentException without at least one row of each class
     */
    public double balancedFraudWeight() {
        int frauds = frauds();
        if (frauds == 0 || frauds == size()) {
            throw new IllegalArgumentException(
                    "a classifier needs both classes: "
                            + frauds
                            + " frauds in "
                            + size()
                            + " rows");
        }
        return (size() - frauds) / (double) frauds;
    }
}
