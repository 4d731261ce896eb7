package org.fraudplatform.models.evaluation;

import java.util.List;

/**
 * Rows split into a training set and test days (or periods), by a {@link Protocol} or a {@link
 * Holdout}; {@link #design()} says how. The test set is the test days' rows concatenated in day
 * order; a model's test scores are aligned with {@link #testRows()}.
 */
public record Split(
        SplitDesign design, FeatureFile data, TrainingSet training, List<TestDay> testDays) {

    /** Test rows over all days. */
    public int testSize() {
        int n = 0;
        for (TestDay day : testDays) {
            n += day.size();
        }
        return n;
    }

    /** Row indices into {@link #data()} of every test row, day after day. */
    public int[] testRows() {
        int[] rows = new int[testSize()];
        int at = 0;
        for (TestDay day : testDays) {
            System.arraycopy(day.rows(), 0, rows, at, day.size());
            at += day.size();
        }
        return rows;
    }

    /** The true labels of {@link #testRows()}. */
    public int[] testLabels() {
        int[] labels = new int[testSize()];
        int at = 0;
        for (TestDay day : testDays) {
            System.arraycopy(day.labels(), 0, labels, at, day.size());
            at += day.size();
        }
        return labels;
    }

    /** The model inputs of {@link #testRows()}. */
    public double[][] testFeatures() {
        return data.features(testRows());
    }

    /** The transaction ids of {@link #testRows()}. */
    public String[] testTransactionIds() {
        int[] rows = testRows();
        String[] ids = new String[rows.length];
        for (int i = 0; i < rows.length; i++) {
            ids[i] = data.transactionId(rows[i]);
        }
        return ids;
    }
}
