package org.fraudplatform.platform.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fraudplatform.models.evaluation.EvaluationReport;
import org.fraudplatform.models.evaluation.FeatureFile;
import org.fraudplatform.models.evaluation.Metrics;
import org.fraudplatform.models.evaluation.ModelResult;
import org.fraudplatform.models.evaluation.Protocol;
import org.fraudplatform.models.evaluation.Split;
import org.fraudplatform.models.model.ModelCodec;
import org.fraudplatform.models.model.ScoringModel;
import org.fraudplatform.models.training.GbtParams;
import org.fraudplatform.models.training.MlpParams;
import org.fraudplatform.models.training.Trainers;
import org.fraudplatform.models.training.TrainingData;
import org.fraudplatform.platform.models.ModelArtifact;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fraud models train}: trains every model kind on a backfill with the handbook protocol. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Trains fraud models on a feature backfill with an explicit time split: a training"
                    + " window, a gap for the label delay, a test window (on each test day the"
                    + " cards already known to be compromised are left out). Writes"
                    + " <out>/report.html and report.md (every model's ROC AUC, average precision,"
                    + " card precision@100, recall at 1% FPR, curves, score distributions),"
                    + " <out>/metrics.json, <out>/test-scores.csv (the best model's score of every"
                    + " test transaction) and <out>/models/<name>.model.json for 'models register'.",
            "The same data and seed give the same models."
        })
final class ModelsTrainCommand implements Callable<Integer> {

    @Option(
            names = "--features",
            required = true,
            description =
                    "A feature backfill: its folder (with features.csv and catalogue-hash.txt) or"
                            + " its features.csv.")
    Path features;

    @Option(
            names = "--train",
            defaultValue = "2018-07-25..2018-07-31",
            description = "Training days, FROM..TO inclusive (UTC). Default: ${DEFAULT-VALUE}")
    String train;

    @Option(
            names = "--test",
            defaultValue = "2018-08-08..2018-08-14",
            description =
                    "Test days, FROM..TO inclusive; the days between the windows are the label"
                            + " delay gap. Default: ${DEFAULT-VALUE}")
    String test;

    @Option(names = "--out", required = true, description = "Output folder (created).")
    Path out;

    @Option(
            names = "--models",
            defaultValue = "logistic_regression,gradient_boosted_trees,mlp",
            split = ",",
            description =
                    "Which models to train: logistic_regression, gradient_boosted_trees, mlp."
                            + " Default: ${DEFAULT-VALUE}")
    List<String> kinds;

    @Option(names = "--seed", defaultValue = "42", description = "Default: ${DEFAULT-VALUE}")
    long seed;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter log = spec.commandLine().getOut();
        Path csv = Files.isDirectory(features) ? features.resolve("features.csv") : features;
        Path hashFile = csv.resolveSibling("catalogue-hash.txt");
        if (!Files.isReadable(hashFile)) {
            throw new IllegalArgumentException(
                    hashFile
                            + " is missing: train on the output folder of 'fraud features backfill'");
        }
        String catalogueHash = Files.readString(hashFile).trim();
        LocalDate[] trainDays = days(train, "--train");
        LocalDate[] testDays = days(test, "--test");
        int gap = (int) ChronoUnit.DAYS.between(trainDays[1], testDays[0]) - 1;
        Protocol protocol = new Protocol(trainDays[0], trainDays[1], gap, testDays[0], testDays[1]);
        log.printf("Protocol: %s%n", protocol.describe());
        long started = System.nanoTime();
        FeatureFile data = FeatureFile.read(csv, protocol.dataFrom(), protocol.dataTo());
        Split split = protocol.split(data);
        log.printf(
                "Read %,d rows of %,d lines in %.1f s: training %,d rows (%,d fraud), test %,d"
                        + " rows over %d days%n",
                data.size(),
                data.linesRead(),
                (System.nanoTime() - started) / 1e9,
                split.training().size(),
                split.training().frauds(),
                split.testSize(),
                split.testDays().size());
        log.flush();
        TrainingData training =
                new TrainingData(
                        data.featureNames(),
                        split.training().features(),
                        split.training().labels());
        double[][] testX = split.testFeatures();
        List<ModelResult> results = new ArrayList<>();
        Map<String, ScoringModel> trained = new LinkedHashMap<>();
        for (String kind : kinds) {
            log.printf("Training %s (seed %d) …%n", kind, seed);
            log.flush();
            long t0 = System.nanoTime();
            ScoringModel model = train(kind, training, log);
            double seconds = (System.nanoTime() - t0) / 1e9;
            double[] scores = new double[testX.length];
            for (int i = 0; i < testX.length; i++) {
                scores[i] = model.score(testX[i]);
            }
            ModelResult r =
                    ModelResult.evaluate(
                            kind,
                            kind,
                            seconds,
                            Map.of("seed", Long.toString(seed)),
                            split,
                            scores);
            results.add(r);
            trained.put(kind, model);
            log.printf(
                    Locale.ROOT,
                    "  %s: trained in %.1f s; AUC %.3f  AP %.3f  CP@100 %.3f  recall@1%%FPR %.3f%n",
                    kind,
                    seconds,
                    r.metric(Metrics.ROC_AUC),
                    r.metric(Metrics.AVERAGE_PRECISION),
                    r.metric(Metrics.CARD_PRECISION_AT_100),
                    r.metric(Metrics.RECALL_AT_1PCT_FPR));
            log.flush();
        }
        EvaluationReport.Written written = EvaluationReport.write(out, split, results);
        for (ModelResult r : results) {
            ModelArtifact artifact =
                    new ModelArtifact(
                            r.name() + "-" + trainDays[0],
                            r.kind(),
                            data.featureNames(),
                            catalogueHash,
                            trainDays[0].atStartOfDay().toInstant(ZoneOffset.UTC),
                            trainDays[1].plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC),
                            testDays[0].atStartOfDay().toInstant(ZoneOffset.UTC),
                            testDays[1].plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC),
                            r.metrics(),
                            seed,
                            Libraries.versions(),
                            ModelCodec.write(trained.get(r.name())));
            Path file = out.resolve("models").resolve(artifact.name() + ".model.json");
            artifact.write(file);
            log.printf("  %s → %s (version %s)%n", r.name(), file, artifact.version());
        }
        log.printf("Best average precision: %s. Report: %s%n", written.champion(), written.html());
        log.flush();
        return 0;
    }

    private ScoringModel train(String kind, TrainingData data, PrintWriter log) {
        java.util.function.Consumer<String> progress =
                line -> {
                    log.println("    " + line);
                    log.flush();
                };
        switch (kind) {
            case "logistic_regression" -> {
                return Trainers.logisticRegression(data, seed, progress).model();
            }
            case "gradient_boosted_trees" -> {
                return Trainers.gradientBoostedTrees(data, GbtParams.defaults(), seed, progress)
                        .model();
            }
            case "mlp" -> {
                return Trainers.mlp(data, MlpParams.defaults(), seed, progress).model();
            }
            default ->
                    throw new IllegalArgumentException(
                            "unknown model kind '"
                                    + kind
                                    + "' (logistic_regression, gradient_boosted_trees, mlp)");
        }
    }

    private static LocalDate[] days(String range, String option) {
        String[] parts = range.split("\\.\\.");
        if (parts.length != 2) {
            throw new IllegalArgumentException(option + " must be FROM..TO, was " + range);
        }
        try {
            return new LocalDate[] {
                LocalDate.parse(parts[0].trim()), LocalDate.parse(parts[1].trim())
            };
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage());
        }
    }

    /** Versions of the libraries that trained the models, recorded with each. */
    static final class Libraries {
        static Map<String, String> versions() {
            Map<String, String> v = new LinkedHashMap<>();
            v.put("java", System.getProperty("java.version"));
            v.put("tribuo", pkg(org.tribuo.Model.class));
            v.put("deeplearning4j", pkg(org.deeplearning4j.nn.multilayer.MultiLayerNetwork.class));
            return v;
        }

        private static String pkg(Class<?> c) {
            String v = c.getPackage() == null ? null : c.getPackage().getImplementationVersion();
            return v == null ? "unknown" : v;
        }
    }
}
