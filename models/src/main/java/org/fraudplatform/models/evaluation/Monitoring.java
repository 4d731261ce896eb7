package org.fraudplatform.models.evaluation;

import java.util.Arrays;

/**
 * The numbers that watch a model in production: drift of a value's distribution (Population
 * Stability Index against a reference period) and precision and recall at the decision threshold on
 * the labels known so far. Plain arrays in, plain numbers out; undefined values are NaN ("n/a" in
 * reports), never 0.
 */
public final class Monitoring {

    /** Bins of the PSI: the reference's deciles. */
    public static final int PSI_BINS = 10;

    /** The share an empty bin counts as, so the logarithm stays finite. */
    public static final double EMPTY_SHARE = 1e-4;

    /** A PSI from here on is read as a moderate shift (the usual rule of thumb). */
    public static final double PSI_MODERATE = 0.1;

    /** A PSI from here on is read as a major shift: retrain or look for a broken feature. */
    public static final double PSI_MAJOR = 0.25;

    private Monitoring() {}

    /**
     * Population Stability Index of {@code current} against {@code reference}, {@code sum (c_i -
     * r_i) ln(c_i / r_i)} over bins fixed by the reference's quantiles: the interior edges are the
     * distinct values {@code sorted[ceil(n k / bins) - 1]}, k = 1..bins-1, a value goes to the
     * first bin whose upper edge is at least the value, and a share of 0 counts as {@link
     * #EMPTY_SHARE}. A constant reference {@code c} has three bins: below c, c, above c. NaN when
     * either side has no value.
     */
    public static double psi(double[] reference, double[] current, int bins) {
        if (bins < 2) {
            throw new IllegalArgumentException("a PSI needs at least 2 bins, not " + bins);
        }
        if (reference.length == 0 || current.length == 0) {
            return Double.NaN;
        }
        double[] sorted = reference.clone();
        Arrays.sort(sorted);
        double[] ref;
        double[] cur;
        if (sorted[0] == sorted[sorted.length - 1]) {
            double c = sorted[0];
            ref = new double[] {0, 1, 0};
            cur = new double[3];
            for (double v : current) {
                cur[v < c ? 0 : v == c ? 1 : 2]++;
            }
        } else {
            double[] edges = edges(sorted, bins);
            ref = shares(edges, reference);
            cur = shares(edges, current);
        }
        double refTotal = total(ref);
        double curTotal = total(cur);
        double sum = 0;
        for (int i = 0; i < ref.length; i++) {
            double r = Math.max(ref[i] / refTotal, EMPTY_SHARE);
            double c = Math.max(cur[i] / curTotal, EMPTY_SHARE);
            sum += (c - r) * Math.log(c / r);
        }
        return sum;
    }

    private static double total(double[] counts) {
        double t = 0;
        for (double c : counts) {
            t += c;
        }
        return t;
    }

    private static double[] edges(double[] sorted, int bins) {
        int n = sorted.length;
        double[] edges = new double[bins - 1];
        int size = 0;
        for (int k = 1; k < bins; k++) {
            int index = (int) Math.ceil((double) n * k / bins) - 1;
            double e = sorted[Math.max(0, index)];
            if (size == 0 || e > edges[size - 1]) {
                edges[size++] = e;
            }
        }
        return Arrays.copyOf(edges, size);
    }

    private static double[] shares(double[] edges, double[] values) {
        double[] counts = new double[edges.length + 1];
        for (double v : values) {
            int i = Arrays.binarySearch(edges, v);
            counts[i >= 0 ? i : -i - 1]++;
        }
        return counts;
    }

    /**
     * The share of fraud among the payments scored at or above {@code threshold}. NaN when no fraud
     * is known yet (the labels have not arrived, so 0 would mislead) or when nothing was flagged.
     */
    public static double precisionAt(double[] scores, int[] labels, double threshold) {
        long[] c = counts(scores, labels, threshold);
        return c[2] == 0 || c[0] + c[1] == 0 ? Double.NaN : (double) c[0] / (c[0] + c[1]);
    }

    /** The share of the known frauds scored at or above {@code threshold}; NaN without fraud. */
    public static double recallAt(double[] scores, int[] labels, double threshold) {
        long[] c = counts(scores, labels, threshold);
        return c[2] == 0 ? Double.NaN : (double) c[0] / c[2];
    }

    /** Flagged frauds, flagged genuine, all frauds. */
    private static long[] counts(double[] scores, int[] labels, double threshold) {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException(
                    scores.length + " scores but " + labels.length + " labels");
        }
        long[] c = new long[3];
        for (int i = 0; i < scores.length; i++) {
            boolean flagged = scores[i] >= threshold;
            if (labels[i] == 1) {
                c[2]++;
                c[0] += flagged ? 1 : 0;
            } else {
                c[1] += flagged ? 1 : 0;
            }
        }
        return c;
    }

    /** How a PSI reads: stable, moderate shift or major shift; n/a when undefined. */
    public static String verdict(double psi) {
        if (Double.isNaN(psi)) {
            return "n/a";
        }
        return psi >= PSI_MAJOR ? "major shift" : psi >= PSI_MODERATE ? "moderate shift" : "stable";
    }
}
