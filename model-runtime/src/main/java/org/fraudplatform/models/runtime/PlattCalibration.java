package org.fraudplatform.models.runtime;

/**
 * Platt scaling: turns a model's score into a fraud probability, {@code p = 1 / (1 + exp(-(a ·
 * logit(s) + b)))}, fitted on labelled scores of a validation period the model was not trained on.
 *
 * <p>The score enters through its logit (clipped to [{@value #MIN_SCORE}, 1 − {@value
 * #MIN_SCORE}]), so a model whose scores are already probabilities fits with {@code a = 1, b = 0},
 * and one that is over-confident (trees trained with class weights, whose scores sit too close to 0
 * and 1) with {@code a < 1}. {@code a} must be positive: the calibration then keeps the model's
 * ranking, and ROC AUC, average precision and card precision are unchanged; only the scale changes.
 *
 * <p>The fit is Platt's (1999): maximum likelihood with his smoothed targets, {@code (N₊ + 1) / (N₊
 * + 2)} for a fraud and {@code 1 / (N₋ + 2)} for a genuine row, which keep {@code a} finite when
 * the validation scores separate the classes perfectly; solved by Newton's method with step
 * halving. Immutable.
 *
 * @param a the slope on the score's logit, positive and finite
 * @param b the intercept, finite
 */
public record PlattCalibration(double a, double b) {

    /** The kind written to the model file. */
    public static final String METHOD = "platt";

    /** Scores are clipped to [MIN_SCORE, 1 − MIN_SCORE] before their logit is taken. */
    public static final double MIN_SCORE = 1e-9;

    private static final int MAX_ITERATIONS = 100;

    public PlattCalibration {
        if (!Double.isFinite(a) || a <= 0) {
            throw new IllegalArgumentException(
                    "the calibration's slope a must be positive and finite, was " + a);
        }
        if (!Double.isFinite(b)) {
            throw new IllegalArgumentException("the calibration's intercept b must be finite");
        }
    }

    /** The fraud probability of a score. */
    public double apply(double score) {
        return sigmoid(a * logit(score) + b);
    }

    /**
     * Fits the calibration on labelled scores.
     *
     * @param scores a model's scores of a validation period
     * @param labels 1 for fraud, 0 for genuine, aligned with {@code scores}
     * @throws IllegalArgumentException without fraud or without genuine rows, or when the fitted
     *     slope is not positive (the scores rank frauds below genuine rows on this period)
     */
    public static PlattCalibration fit(double[] scores, int[] labels) {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException(
                    scores.length + " scores for " + labels.length + " labels");
        }
        int n = scores.length;
        int positives = 0;
        for (int i = 0; i < n; i++) {
            if (labels[i] != 0 && labels[i] != 1) {
                throw new IllegalArgumentException("label " + labels[i] + " is not 0 or 1");
            }
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException("score " + i + " is NaN");
            }
            positives += labels[i];
        }
        int negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            throw new IllegalArgumentException(
                    "a calibration needs frauds and genuine rows; the validation period has "
                            + positives
                            + " frauds and "
                            + negatives
                            + " genuine rows");
        }
        double high = (positives + 1.0) / (positives + 2.0);
        double low = 1.0 / (negatives + 2.0);
        double[] x = new double[n];
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = logit(scores[i]);
            t[i] = labels[i] == 1 ? high : low;
        }
        double a = 1;
        double b = 0;
        double loss = loss(x, t, a, b);
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            // gradient and Hessian of the cross-entropy in (a, b)
            double ga = 0;
            double gb = 0;
            double haa = 0;
            double hab = 0;
            double hbb = 0;
            for (int i = 0; i < n; i++) {
                double p = sigmoid(a * x[i] + b);
                double d = p - t[i];
                double w = Math.max(p * (1 - p), 1e-12);
                ga += d * x[i];
                gb += d;
                haa += w * x[i] * x[i];
                hab += w * x[i];
                hbb += w;
            }
            double det = haa * hbb - hab * hab;
            if (Math.abs(ga) < 1e-12 * n && Math.abs(gb) < 1e-12 * n) {
                break;
            }
            double da;
            double db;
            if (det > 1e-300) {
                da = -(hbb * ga - hab * gb) / det;
                db = -(haa * gb - hab * ga) / det;
            } else {
                da = 0;
                db = -gb / Math.max(hbb, 1e-12);
            }
            double step = 1;
            double next = loss(x, t, a + da, b + db);
            while (next > loss && step > 1e-10) {
                step /= 2;
                next = loss(x, t, a + step * da, b + step * db);
            }
            if (next > loss) {
                break;
            }
            a += step * da;
            b += step * db;
            boolean converged = loss - next < 1e-15 * Math.max(1, Math.abs(loss));
            loss = next;
            if (converged) {
                break;
            }
        }
        if (!(a > 0)) {
            throw new IllegalArgumentException(
                    "the fitted calibration slope is "
                            + a
                            + ": on the validation period the scores do not rank frauds above"
                            + " genuine rows");
        }
        return new PlattCalibration(a, b);
    }

    private static double loss(double[] x, double[] t, double a, double b) {
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            double z = a * x[i] + b;
            // -[t log p + (1 - t) log(1 - p)] = log(1 + e^z) - t z, computed stably
            sum += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - t[i] * z;
        }
        return sum;
    }

    static double logit(double score) {
        double s = Math.min(Math.max(score, MIN_SCORE), 1 - MIN_SCORE);
        return Math.log(s / (1 - s));
    }

    private static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }
}
