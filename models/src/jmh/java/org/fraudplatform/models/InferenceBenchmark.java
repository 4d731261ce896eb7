package org.fraudplatform.models;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.fraudplatform.models.runtime.Contribution;
import org.fraudplatform.models.runtime.ScoringModel;
import org.fraudplatform.models.training.AutoencoderParams;
import org.fraudplatform.models.training.GbtParams;
import org.fraudplatform.models.training.MlpParams;
import org.fraudplatform.models.training.SyntheticFraud;
import org.fraudplatform.models.training.Trained;
import org.fraudplatform.models.training.Trainers;
import org.fraudplatform.models.training.TrainingData;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One row through a fraud model, as the decision path scores it: the portable model's score, its
 * score plus the top-3 explanation, and for comparison the training library's own one-row
 * prediction (Tribuo for logistic regression, an xgboost4j booster, a Deeplearning4j network), the
 * path the portable models exist to avoid. Models are trained in the setup on generated data with
 * the default parameters (30 000 rows, 10 features, about 2 % frauds, 300 trees of depth 5, a 32-16
 * network); rows cycle through 4 096 unseen ones.
 *
 * <p>Run: {@code bin/jmh models InferenceBenchmark} (a short run: add {@code -f 1 -wi 2 -i 3}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class InferenceBenchmark {

    @Param({"logistic_regression", "gradient_boosted_trees", "mlp", "autoencoder"})
    String kind;

    /** Depth of the boosted trees (300 of them): 9 is what {@code fraud models train} trains. */
    @Param({"9"})
    int treeDepth;

    private static final int ROWS = 4096;

    private ScoringModel model;
    private ToDoubleFunction<double[]> library;
    private double[][] rows;
    private int next;

    @Setup(Level.Trial)
    public void train() {
        TrainingData data = SyntheticFraud.generate(30_000, 1);
        long seed = 7;
        Trained trained;
        switch (kind) {
            case "logistic_regression":
                trained = Trainers.logisticRegression(data, seed, line -> {});
                break;
            case "gradient_boosted_trees":
                trained =
                        Trainers.gradientBoostedTrees(
                                data,
                                GbtParams.defaults().withMaxDepth(treeDepth),
                                seed,
                                line -> {});
                break;
            case "mlp":
                trained = Trainers.mlp(data, MlpParams.defaults(), seed, line -> {});
                break;
            case "autoencoder":
                trained =
                        Trainers.autoencoder(data, AutoencoderParams.defaults(), seed, line -> {});
                break;
            default:
                throw new IllegalArgumentException("unknown kind " + kind);
        }
        System.out.printf("%n%s trained in %.1f s%n", kind, trained.trainingSeconds());
        model = trained.model();
        library = trained.library();
        rows = SyntheticFraud.generate(ROWS, 2).x();
    }

    private double[] nextRow() {
        next = (next + 1) & (ROWS - 1);
        return rows[next];
    }

    /** The portable model's score of one row. */
    @Benchmark
    public double score() {
        return model.score(nextRow());
    }

    /** The portable model's score and its three largest contributions. */
    @Benchmark
    public List<Contribution> scoreAndExplain() {
        double[] row = nextRow();
        double score = model.score(row);
        List<Contribution> top = model.explain(row, 3);
        return score >= 0 ? top : List.of();
    }

    /** The training library's own prediction of one row. */
    @Benchmark
    public double libraryPredict() {
        return library.applyAsDouble(nextRow());
    }
}
