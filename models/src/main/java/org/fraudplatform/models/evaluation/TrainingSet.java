package org.fraudplatform.models.evaluation;

/**
 * The training rows of a {@link Split}: indices into the {@link FeatureFile}, in file order, with
 * the labels as known at the start of the test ({@link Protocol#labelCutoff()}). The arrays are not
 * copied; do not modify them.
 *
 * @param rows row indices into {@code data}
 * @param labels 1 for a fraud whose label was known by the start of the test, else 0
 * @param fraudsNotYetKnown training frauds whose label came only later, held as 0
 */
public record TrainingSet(FeatureFile data, int[] rows, int[] labels, int fraudsNotYetKnown) {

    /** Rows. */
    public int size() {
        return rows.length;
    }

    /** Rows labelled fraud. */
    public int frauds() {
        int n = 0;
        for (int label : labels) {
            n += label;
        }
        return n;
    }

    /** The model inputs, one array per row, in {@link FeatureFile#featureNames()} order. */
    public double[][] features() {
        return data.features(rows);
    }
}
