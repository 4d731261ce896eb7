package org.fraudplatform.models.runtime;

import java.util.Arrays;

/**
 * Per-feature standardization learned on training data: {@code z = (x - mean) / std}. A missing
 * value (NaN, or an infinity, which no feature should produce) becomes 0, the training mean, so a
 * model that multiplies standardized values ignores it.
 *
 * <p>Linear models and networks are trained on these z values and keep the same standardization, so
 * the portable model computes exactly what the library saw.
 */
public final class Standardization {

    private final double[] mean;
    private final double[] std;

    /**
     * @param mean per-feature mean, finite
     * @param std per-feature standard deviation, finite and positive
     */
    public Standardization(double[] mean, double[] std) {
        if (mean.length != std.length) {
            throw new IllegalArgumentException(
                    "standardization has " + mean.length + " means but " + std.length + " stds");
        }
        for (int j = 0; j < mean.length; j++) {
            if (!Double.isFinite(mean[j])) {
                throw new IllegalArgumentException("mean of feature " + j + " is " + mean[j]);
            }
            if (!Double.isFinite(std[j]) || std[j] <= 0) {
                throw new IllegalArgumentException(
                        "std of feature " + j + " is " + std[j] + ", must be positive");
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /**
     * Learns mean and (population) standard deviation of each column over its present values. A
     * column without values gets mean 0; one without spread gets std 1, so it standardizes to 0.
     *
     * @param rows training rows, NaN when missing
     * @param features values per row
     */
    public static Standardization fit(double[][] rows, int features) {
        double[] mean = new double[features];
        double[] std = new double[features];
        for (int j = 0; j < features; j++) {
            long n = 0;
            double sum = 0;
            for (double[] row : rows) {
                if (Double.isFinite(row[j])) {
                    n++;
                    sum += row[j];
                }
            }
            double m = n == 0 ? 0 : sum / n;
            double squares = 0;
            for (double[] row : rows) {
                if (Double.isFinite(row[j])) {
                    squares += (row[j] - m) * (row[j] - m);
                }
            }
            double s = n == 0 ? 0 : Math.sqrt(squares / n);
            mean[j] = m;
            std[j] = s > 0 && Double.isFinite(s) ? s : 1;
        }
        return new Standardization(mean, std);
    }

    /** Features. */
    public int size() {
        return mean.length;
    }

    /** The standardized value of feature {@code j}; 0 when missing. */
    public double apply(int j, double value) {
        return Double.isFinite(value) ? (value - mean[j]) / std[j] : 0.0;
    }

    /** The standardized row, a new array. */
    public double[] apply(double[] x) {
        double[] z = new double[mean.length];
        for (int j = 0; j < z.length; j++) {
            z[j] = apply(j, x[j]);
        }
        return z;
    }

    /** A copy of the means. */
    public double[] mean() {
        return mean.clone();
    }

    /** A copy of the standard deviations. */
    public double[] std() {
        return std.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Standardization other
                && Arrays.equals(mean, other.mean)
                && Arrays.equals(std, other.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }
}
