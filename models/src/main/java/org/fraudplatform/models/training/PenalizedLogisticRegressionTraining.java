package org.fraudplatform.models.training;

import java.util.Arrays;
import java.util.function.Consumer;
import org.fraudplatform.models.runtime.LinearModel;
import org.fraudplatform.models.runtime.Standardization;

/**
 * The fraud handbook's baseline logistic regression, as scikit-learn's {@code LogisticRegression()}
 * fits it with its defaults on standardized inputs: no class weights, an L2 penalty on the weights
 * (not the intercept) with {@code C = 1}, solved to the optimum. It minimizes
 *
 * <pre>
 *   ½ ‖w‖² + C Σ_i [ log(1 + exp(w·z_i + b)) − y_i (w·z_i + b) ]
 * </pre>
 *
 * a strictly convex function with one minimum, so any solver that reaches it gives the same model;
 * this one uses Newton's method on the whole batch (the Hessian is (features + 1)² numbers) with a
 * backtracking line search, until the gradient is below {@link #TOLERANCE} relative to its start.
 * Deterministic: no seed, no sampling, the same data give the same bytes.
 *
 * <p>The inputs are standardized as scikit-learn's {@code StandardScaler} does (population standard
 * deviation, a constant column to 0); a missing value becomes the training mean.
 */
final class PenalizedLogisticRegressionTraining {

    /** Relative gradient norm at which Newton's method stops. */
    static final double TOLERANCE = 1e-10;

    static final int MAX_ITERATIONS = 100;

    private PenalizedLogisticRegressionTraining() {}

    static Trained train(TrainingData data, double c, Consumer<String> progress) {
        if (!(c > 0) || Double.isInfinite(c)) {
            throw new IllegalArgumentException("C must be positive and finite, not " + c);
        }
        long start = System.nanoTime();
        Standardization standardization = Standardization.fit(data.x(), data.features());
        int d = data.features();
        double[][] z = new double[data.size()][];
        for (int i = 0; i < z.length; i++) {
            z[i] = standardization.apply(data.x()[i]);
        }
        int[] y = data.y();
        // theta = weights, then the intercept
        double[] theta = new double[d + 1];
        double objective = objective(theta, z, y, c);
        double[] gradient = new double[d + 1];
        double[][] hessian = new double[d + 1][d + 1];
        derivatives(theta, z, y, c, gradient, hessian);
        double initialNorm = norm(gradient);
        int iteration = 0;
        while (norm(gradient) > TOLERANCE * Math.max(1, initialNorm)) {
            if (++iteration > MAX_ITERATIONS) {
                throw new IllegalStateException(
                        "Newton's method did not converge in " + MAX_ITERATIONS + " iterations");
            }
            double[] step = solve(hessian, gradient);
            double slope = 0;
            for (int j = 0; j <= d; j++) {
                slope -= gradient[j] * step[j];
            }
            double t = 1;
            double[] next = new double[d + 1];
            while (true) {
                for (int j = 0; j <= d; j++) {
                    next[j] = theta[j] - t * step[j];
                }
                double candidate = objective(next, z, y, c);
                if (candidate <= objective + 1e-4 * t * slope || t < 1e-12) {
                    objective = candidate;
                    break;
                }
                t /= 2;
            }
            theta = next;
            derivatives(theta, z, y, c, gradient, hessian);
            progress.accept(
                    String.format(
                            "penalized logistic regression: Newton step %d, objective %.6f,"
                                    + " gradient %.2e",
                            iteration, objective, norm(gradient)));
        }
        double[] weights = Arrays.copyOf(theta, d);
        double intercept = theta[d];
        LinearModel model =
                new LinearModel(data.featureNames(), standardization, weights, intercept);
        double seconds = (System.nanoTime() - start) / 1e9;
        progress.accept(
                String.format(
                        "penalized logistic regression: %d rows, %d frauds, %d features, C = %s:"
                                + " %d Newton steps, %.1f s",
                        data.size(), data.frauds(), d, c, iteration, seconds));
        double[] solution = theta;
        return new Trained(model, x -> sigmoid(logit(solution, standardization.apply(x))), seconds);
    }

    private static double objective(double[] theta, double[][] z, int[] y, double c) {
        int d = theta.length - 1;
        double penalty = 0;
        for (int j = 0; j < d; j++) {
            penalty += theta[j] * theta[j];
        }
        double loss = 0;
        for (int i = 0; i < z.length; i++) {
            double m = logit(theta, z[i]);
            // log(1 + e^m) - y m, stable for large |m|
            loss += (m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m))) - y[i] * m;
        }
        return 0.5 * penalty + c * loss;
    }

    private static void derivatives(
            double[] theta, double[][] z, int[] y, double c, double[] gradient, double[][] h) {
        int d = theta.length - 1;
        Arrays.fill(gradient, 0);
        for (double[] row : h) {
            Arrays.fill(row, 0);
        }
        double[] v = new double[d + 1];
        v[d] = 1;
        for (int i = 0; i < z.length; i++) {
            System.arraycopy(z[i], 0, v, 0, d);
            double p = sigmoid(logit(theta, z[i]));
            double r = p - y[i];
            double s = p * (1 - p);
            for (int a = 0; a <= d; a++) {
                gradient[a] += r * v[a];
                double sa = s * v[a];
                for (int b = 0; b <= a; b++) {
                    h[a][b] += sa * v[b];
                }
            }
        }
        for (int a = 0; a <= d; a++) {
            gradient[a] *= c;
            for (int b = 0; b <= a; b++) {
                h[a][b] *= c;
                h[b][a] = h[a][b];
            }
        }
        for (int j = 0; j < d; j++) {
            gradient[j] += theta[j];
            h[j][j] += 1;
        }
    }

    private static double logit(double[] theta, double[] z) {
        int d = theta.length - 1;
        double m = theta[d];
        for (int j = 0; j < d; j++) {
            m += theta[j] * z[j];
        }
        return m;
    }

    private static double sigmoid(double m) {
        return m >= 0 ? 1 / (1 + Math.exp(-m)) : Math.exp(m) / (1 + Math.exp(m));
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    /**
     * Solves {@code h x = g} for a symmetric positive-definite {@code h} by Cholesky decomposition.
     */
    static double[] solve(double[][] h, double[] g) {
        int n = g.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = h[i][j];
                for (int k = 0; k < j; k++) {
                    sum -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    if (!(sum > 0)) {
                        throw new IllegalStateException("the Hessian is not positive definite");
                    }
                    l[i][i] = Math.sqrt(sum);
                } else {
                    l[i][j] = sum / l[j][j];
                }
            }
        }
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            double sum = g[i];
            for (int k = 0; k < i; k++) {
                sum -= l[i][k] * w[k];
            }
            w[i] = sum / l[i][i];
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double sum = w[i];
            for (int k = i + 1; k < n; k++) {
                sum -= l[k][i] * x[k];
            }
            x[i] = sum / l[i][i];
        }
        return x;
    }
}
