package org.fraudplatform.platform.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.fraudplatform.models.evaluation.EvaluationReport;
import org.fraudplatform.models.evaluation.Metrics;
import org.fraudplatform.models.evaluation.ModelResult;
import org.fraudplatform.models.evaluation.PrequentialSearch;
import org.fraudplatform.models.evaluation.Split;
import org.fraudplatform.models.runtime.CalibratedModel;
import org.fraudplatform.models.runtime.ModelCodec;
import org.fraudplatform.models.runtime.PlattCalibration;
import org.fraudplatform.models.runtime.ScoringModel;
import org.fraudplatform.models.training.AutoencoderParams;
import org.fraudplatform.models.training.ClassWeight;
import org.fraudplatform.models.training.GbtParams;
import org.fraudplatform.models.training.MlpParams;
import org.fraudplatform.models.training.Trained;
import org.fraudplatform.models.training.Trainers;
import org.fraudplatform.models.training.TrainingData;
import org.fraudplatform.risk.models.ModelArtifact;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fraud models train}: trains the chosen model kinds on a backfill and evaluates them. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Trains fraud models on a feature backfill with an explicit time split: by default the"
                    + " handbook's protocol (a training window, a gap for the label delay, a test"
                    + " window; on each test day the cards already known to be compromised are"
                    + " left out), or a chronological --holdout for short histories.",
            "Writes <out>/report.html and report.md (every model's ROC AUC, average precision,"
                    + " card precision@100, recall at 1%% FPR, curves, score distributions),"
                    + " <out>/metrics.json, <out>/test-scores.csv (the scores of the model with"
                    + " the best average precision) and <out>/models/<name>.model.json for"
                    + " 'fraud models register'.",
            "Each model is calibrated (Platt scaling) on a validation period before the test"
                    + " window, never on it: the same model kind and settings trained one test"
                    + " window earlier and scored on the following one; its score is then a fraud"
                    + " probability, stored with the model, and the report shows the Brier score"
                    + " and a reliability plot. --no-calibration keeps the raw scores.",
            "--search chooses the gradient-boosted trees' depth, learning rate and class weight by"
                    + " prequential validation (the handbook's model selection): every setting of"
                    + " the grid is trained and validated on --search-folds train/validation folds"
                    + " rolling back in time from just before the test window, never on it; the"
                    + " highest mean validation average precision wins. The report lists every"
                    + " setting with its validation AP per fold. --search-bags adds bag sizes"
                    + " to the grid (see --bag).",
            "The same data, settings and seed give the same models."
        })
final class ModelsTrainCommand implements Callable<Integer> {

    static final List<String> KINDS =
            List.of("logistic_regression", "gradient_boosted_trees", "mlp", "autoencoder");

    @CommandLine.Mixin SplitOptions split = new SplitOptions();

    @Option(names = "--out", required = true, description = "Output folder (created).")
    Path out;

    @Option(
            names = "--models",
            defaultValue = "logistic_regression,gradient_boosted_trees,mlp,autoencoder",
            split = ",",
            description =
                    "Which models to train: logistic_regression, gradient_boosted_trees, mlp,"
                            + " autoencoder (unsupervised: trained on the genuine rows only)."
                            + " Default: ${DEFAULT-VALUE}")
    List<String> kinds;

    @Option(names = "--seed", defaultValue = "42", description = "Default: ${DEFAULT-VALUE}")
    long seed;

    // defaults chosen earlier on a single validation split before the handbook's test weeks
    // (train 2018-07-18..24, test 08-01..07); --search chooses by prequential validation instead
    @Option(
            names = "--trees",
            defaultValue = "300",
            description = "Gradient-boosted trees: boosting rounds. Default: ${DEFAULT-VALUE}")
    int trees;

    @Option(
            names = "--max-depth",
            defaultValue = "9",
            description = "Gradient-boosted trees: depth. Default: ${DEFAULT-VALUE}")
    int maxDepth;

    @Option(
            names = "--eta",
            defaultValue = "0.1",
            description = "Gradient-boosted trees: learning rate. Default: ${DEFAULT-VALUE}")
    double eta;

    @Option(
            names = "--class-weight",
            defaultValue = "balanced",
            description =
                    "Gradient-boosted trees: weight of a fraud row, balanced (genuine rows per"
                            + " fraud), sqrt (its square root) or none (1). Default:"
                            + " ${DEFAULT-VALUE}")
    String classWeight;

    @Option(
            names = "--bag",
            defaultValue = "1",
            description =
                    "Gradient-boosted trees: train this many models alike with the seeds --seed,"
                            + " --seed + 1, … and score the mean of their log-odds (one model file"
                            + " holding every member's trees; less seed-to-seed variance). Default:"
                            + " ${DEFAULT-VALUE}")
    int bag;

    @Option(
            names = "--search",
            description =
                    "Choose the gradient-boosted trees' settings by prequential validation before"
                            + " the test window (grid of --search-depths x --search-etas x"
                            + " --search-class-weights x --search-bags, --trees rounds each);"
                            + " replaces --max-depth, --eta, --class-weight and --bag.")
    boolean search;

    @Option(
            names = "--search-folds",
            defaultValue = "4",
            description = "Prequential folds, newest first. Default: ${DEFAULT-VALUE}")
    int searchFolds;

    @Option(
            names = "--search-depths",
            defaultValue = "5,9",
            split = ",",
            description = "Depths the search tries. Default: ${DEFAULT-VALUE}")
    List<Integer> searchDepths;

    @Option(
            names = "--search-etas",
            defaultValue = "0.05,0.1",
            split = ",",
            description = "Learning rates the search tries. Default: ${DEFAULT-VALUE}")
    List<Double> searchEtas;

    @Option(
            names = "--search-class-weights",
            defaultValue = "balanced,sqrt,none",
            split = ",",
            description = "Class weights the search tries. Default: ${DEFAULT-VALUE}")
    List<String> searchClassWeights;

    @Option(
            names = "--search-bags",
            defaultValue = "1",
            split = ",",
            description = "Bag sizes (see --bag) the search tries. Default: ${DEFAULT-VALUE}")
    List<Integer> searchBags;

    @Option(names = "--epochs", description = "MLP: passes over the data. Default: 8")
    Integer epochs;

    @Option(
            names = "--no-calibration",
            description =
                    "Keep each model's raw score instead of calibrating it into a fraud"
                            + " probability on the validation period (half the training time).")
    boolean noCalibration;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** How the search chose the tree settings, for the model's parameters; null without one. */
    private String chosenBy;

    @Override
    public Integer call() throws Exception {
        PrintWriter log = spec.commandLine().getOut();
        for (String kind : kinds) {
            if (!KINDS.contains(kind)) {
                throw new IllegalArgumentException(
                        "unknown model kind '" + kind + "': use " + String.join(", ", KINDS));
            }
        }
        if (bag < 1) {
            throw new IllegalArgumentException("--bag: a bag holds at least 1 model, not " + bag);
        }
        String catalogueHash = split.catalogueHash();
        PrequentialSearch.Result searched = null;
        if (search) {
            if (!kinds.contains("gradient_boosted_trees")) {
                throw new IllegalArgumentException(
                        "--search tunes gradient_boosted_trees: include it in --models");
            }
            searched = search(log);
        }
        Split data = split.split(log);
        TrainingData training =
                new TrainingData(
                        data.data().featureNames(),
                        data.training().features(),
                        data.training().labels());
        double[][] testX = data.testFeatures();
        Split validation = noCalibration ? null : split.validation(data, log);
        List<ModelResult> results = new ArrayList<>();
        Map<String, ScoringModel> trained = new LinkedHashMap<>();
        for (String kind : kinds) {
            log.printf("Training %s (seed %d) …%n", kind, seed);
            log.flush();
            Trained t = train(kind, training, log);
            Map<String, String> parameters = parameters(kind);
            ScoringModel model = t.model();
            double seconds = t.trainingSeconds();
            if (validation != null) {
                long started = System.nanoTime();
                PlattCalibration calibration = calibration(kind, validation, log);
                seconds += (System.nanoTime() - started) / 1e9;
                if (calibration != null) {
                    model = new CalibratedModel(model, calibration);
                    parameters.put(
                            "calibration",
                            String.format(
                                    Locale.ROOT,
                                    "Platt a=%.4f b=%.4f on %s",
                                    calibration.a(),
                                    calibration.b(),
                                    validation.design().description()));
                }
            }
            double[] scores = new double[testX.length];
            for (int i = 0; i < testX.length; i++) {
                scores[i] = model.score(testX[i]);
            }
            ModelResult r = ModelResult.evaluate(kind, kind, seconds, parameters, data, scores);
            results.add(r);
            trained.put(kind, model);
            log.printf(
                    Locale.ROOT,
                    "  %s: trained in %.1f s; AUC %.3f  AP %.3f  CP@100 %.3f  recall@1%%FPR %.3f"
                            + "  Brier %.5f%n",
                    kind,
                    seconds,
                    r.metric(Metrics.ROC_AUC),
                    r.metric(Metrics.AVERAGE_PRECISION),
                    r.metric(Metrics.CARD_PRECISION_AT_100),
                    r.metric(Metrics.RECALL_AT_1PCT_FPR),
                    r.metric(Metrics.BRIER));
            log.flush();
        }
        EvaluationReport.Written written = EvaluationReport.write(out, data, results, searched);
        Instant[] trainedOn = window(data, data.training().rows());
        Instant[] testedOn = window(data, data.testRows());
        String day = trainedOn[0].atOffset(ZoneOffset.UTC).toLocalDate().toString();
        for (ModelResult r : results) {
            ModelArtifact artifact =
                    new ModelArtifact(
                            r.name() + "-" + day,
                            r.kind(),
                            data.data().featureNames(),
                            catalogueHash,
                            trainedOn[0],
                            trainedOn[1],
                            testedOn[0],
                            testedOn[1],
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

    /**
     * Runs the prequential search over the tree settings' grid and keeps the best: {@link
     * #maxDepth}, {@link #eta} and {@link #classWeight} become the chosen ones.
     */
    private PrequentialSearch.Result search(PrintWriter log) throws IOException {
        long started = System.nanoTime();
        List<Split> folds = split.prequential(searchFolds, log);
        List<PrequentialSearch.Candidate> candidates = new ArrayList<>();
        GbtParams base = gbt();
        for (int size : searchBags) {
            if (size < 1) {
                throw new IllegalArgumentException("--search-bags: a bag size is at least 1");
            }
        }
        for (int depth : searchDepths) {
            for (double rate : searchEtas) {
                for (String weight : searchClassWeights) {
                    for (int size : searchBags) {
                        GbtParams p =
                                base.withMaxDepth(depth)
                                        .withEta(rate)
                                        .withClassWeight(ClassWeight.parse(weight));
                        Map<String, String> settings = new LinkedHashMap<>();
                        settings.put("trees", Integer.toString(p.trees()));
                        settings.put("max_depth", Integer.toString(depth));
                        settings.put("eta", Double.toString(rate));
                        settings.put("class_weight", p.classWeight().label());
                        settings.put("bag", Integer.toString(size));
                        candidates.add(
                                new PrequentialSearch.Candidate(
                                        String.format(
                                                Locale.ROOT,
                                                "%d trees, depth %d, eta %s, %s%s",
                                                p.trees(),
                                                depth,
                                                rate,
                                                p.classWeight().label(),
                                                size == 1 ? "" : ", bag of " + size),
                                        settings,
                                        d ->
                                                Trainers.baggedGradientBoostedTrees(
                                                                d, p, size, seed, line -> {})
                                                        .model()));
                    }
                }
            }
        }
        log.printf(
                "Prequential search: %d settings x %d folds for gradient_boosted_trees …%n",
                candidates.size(), folds.size());
        log.flush();
        PrequentialSearch.Result result =
                PrequentialSearch.run(
                        folds,
                        candidates,
                        line -> {
                            log.println("  " + line);
                            log.flush();
                        });
        PrequentialSearch.Outcome best = result.best();
        Map<String, String> chosen = best.candidate().settings();
        maxDepth = Integer.parseInt(chosen.get("max_depth"));
        eta = Double.parseDouble(chosen.get("eta"));
        classWeight = chosen.get("class_weight");
        bag = Integer.parseInt(chosen.get("bag"));
        chosenBy =
                String.format(
                        Locale.ROOT,
                        "prequential validation, %d settings x %d folds, mean validation AP %.4f",
                        result.outcomes().size(),
                        folds.size(),
                        best.meanAveragePrecision());
        log.printf(
                Locale.ROOT,
                "Search chose %s: mean validation AP %.4f (%.0f s)%n",
                best.candidate().name(),
                best.meanAveragePrecision(),
                (System.nanoTime() - started) / 1e9);
        log.flush();
        return result;
    }

    /**
     * Trains {@code kind} with the same settings and seed on the validation split's training rows
     * and fits a calibration on its scores of the validation rows; null, with the reason printed,
     * when none can be fitted.
     */
    private PlattCalibration calibration(String kind, Split validation, PrintWriter log) {
        log.printf("  calibrating %s on the validation period …%n", kind);
        log.flush();
        Trained v =
                train(
                        kind,
                        new TrainingData(
                                validation.data().featureNames(),
                                validation.training().features(),
                                validation.training().labels()),
                        log);
        double[][] x = validation.testFeatures();
        double[] scores = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            scores[i] = v.model().score(x[i]);
        }
        try {
            PlattCalibration c = PlattCalibration.fit(scores, validation.testLabels());
            log.printf(Locale.ROOT, "  %s calibrated: a = %.4f, b = %.4f%n", kind, c.a(), c.b());
            return c;
        } catch (IllegalArgumentException e) {
            log.printf("  %s not calibrated: %s%n", kind, e.getMessage());
            return null;
        }
    }

    private Trained train(String kind, TrainingData data, PrintWriter log) {
        Consumer<String> progress =
                line -> {
                    log.println("    " + line);
                    log.flush();
                };
        switch (kind) {
            case "logistic_regression":
                return Trainers.logisticRegression(data, seed, progress);
            case "gradient_boosted_trees":
                return Trainers.baggedGradientBoostedTrees(data, gbt(), bag, seed, progress);
            case "mlp":
                return Trainers.mlp(data, mlp(), seed, progress);
            default:
                return Trainers.autoencoder(data, AutoencoderParams.defaults(), seed, progress);
        }
    }

    private GbtParams gbt() {
        GbtParams d = GbtParams.defaults();
        return new GbtParams(
                trees,
                maxDepth,
                eta,
                d.subsample(),
                d.columnSample(),
                d.minChildWeight(),
                d.lambda(),
                ClassWeight.parse(classWeight),
                d.threads(),
                d.progressEvery());
    }

    private MlpParams mlp() {
        MlpParams d = MlpParams.defaults();
        return epochs == null ? d : d.withEpochs(epochs);
    }

    private Map<String, String> parameters(String kind) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("seed", Long.toString(seed));
        if (kind.equals("gradient_boosted_trees")) {
            GbtParams g = gbt();
            p.put("trees", Integer.toString(g.trees()));
            p.put("max_depth", Integer.toString(g.maxDepth()));
            p.put("eta", Double.toString(g.eta()));
            p.put("class_weight", g.classWeight().label());
            if (bag > 1) {
                p.put("bag", bag + " (seeds " + seed + ".." + (seed + bag - 1) + ")");
            }
            if (chosenBy != null) {
                p.put("chosen_by", chosenBy);
            }
        } else if (kind.equals("mlp")) {
            MlpParams m = mlp();
            p.put("hidden", m.hidden().toString());
            p.put("epochs", Integer.toString(m.epochs()));
        }
        return p;
    }

    /** First event time of {@code rows} and just after the last. */
    static Instant[] window(Split split, int[] rows) {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (int r : rows) {
            long t = split.data().eventTimeMs(r);
            first = Math.min(first, t);
            last = Math.max(last, t);
        }
        return new Instant[] {Instant.ofEpochMilli(first), Instant.ofEpochMilli(last + 1)};
    }

    /** Versions of the libraries that trained the models, recorded with each. */
    static final class Libraries {
        static Map<String, String> versions() {
            Map<String, String> v = new LinkedHashMap<>();
            v.put("java", System.getProperty("java.version"));
            v.put("tribuo", maven("org.tribuo", "tribuo-core"));
            v.put("xgboost4j", maven("ml.dmlc", "xgboost4j_2.12"));
            v.put("deeplearning4j", maven("org.deeplearning4j", "deeplearning4j-nn"));
            return v;
        }

        /** The version in the artifact's own {@code pom.properties}, "unknown" without one. */
        private static String maven(String group, String artifact) {
            String resource = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
            try (java.io.InputStream in = Libraries.class.getResourceAsStream(resource)) {
                if (in == null) {
                    return "unknown";
                }
                java.util.Properties p = new java.util.Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            } catch (java.io.IOException e) {
                return "unknown";
            }
        }
    }
}
