package org.fraudplatform.platform.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.fraudplatform.models.evaluation.EvaluationReport;
import org.fraudplatform.models.evaluation.Metrics;
import org.fraudplatform.models.evaluation.ModelResult;
import org.fraudplatform.models.evaluation.Split;
import org.fraudplatform.models.runtime.ModelCodec;
import org.fraudplatform.models.runtime.ScoringModel;
import org.fraudplatform.risk.models.ModelArtifact;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fraud models evaluate}: the report of trained model files on a backfill's test rows. */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Evaluates trained model files on a feature backfill's test rows (the same split"
                    + " options as 'train') and writes the same report: <out>/report.html,"
                    + " report.md, metrics.json and test-scores.csv. A model whose inputs are not"
                    + " the backfill's features, or that was trained on another feature catalogue,"
                    + " is refused with the reason."
        })
final class ModelsEvaluateCommand implements Callable<Integer> {

    @CommandLine.Mixin SplitOptions split = new SplitOptions();

    @Option(
            names = "--model",
            required = true,
            paramLabel = "FILE",
            description = "A model file (<train --out>/models/<name>.model.json); repeatable.")
    List<Path> models;

    @Option(names = "--out", required = true, description = "Output folder (created).")
    Path out;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter log = spec.commandLine().getOut();
        String catalogueHash = split.catalogueHash();
        List<ModelArtifact> artifacts = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Path file : models) {
            ModelArtifact a = ModelArtifact.read(file);
            if (!a.catalogueHash().equals(catalogueHash)) {
                throw new IllegalArgumentException(
                        file
                                + " was trained on feature catalogue "
                                + a.catalogueHash()
                                + ", the backfill was computed with "
                                + catalogueHash);
            }
            if (!names.add(a.name())) {
                throw new IllegalArgumentException("two models are named " + a.name());
            }
            artifacts.add(a);
        }
        Split data = split.split(log);
        double[][] testX = data.testFeatures();
        List<ModelResult> results = new ArrayList<>();
        for (ModelArtifact a : artifacts) {
            if (!a.featureNames().equals(data.data().featureNames())) {
                throw new IllegalArgumentException(
                        a.name()
                                + " reads "
                                + a.featureNames()
                                + " but the backfill has "
                                + data.data().featureNames());
            }
            ScoringModel model = ModelCodec.read(a.model());
            long started = System.nanoTime();
            double[] scores = new double[testX.length];
            for (int i = 0; i < testX.length; i++) {
                scores[i] = model.score(testX[i]);
            }
            double micros = (System.nanoTime() - started) / 1e3 / Math.max(1, testX.length);
            ModelResult r =
                    ModelResult.evaluate(
                            a.name(),
                            a.kind(),
                            Double.NaN,
                            Map.of("version", a.version(), "seed", Long.toString(a.seed())),
                            data,
                            scores);
            results.add(r);
            log.printf(
                    Locale.ROOT,
                    "  %s (%s): AUC %.3f  AP %.3f  CP@100 %.3f  recall@1%%FPR %.3f; %.1f µs/row%n",
                    a.name(),
                    a.version(),
                    r.metric(Metrics.ROC_AUC),
                    r.metric(Metrics.AVERAGE_PRECISION),
                    r.metric(Metrics.CARD_PRECISION_AT_100),
                    r.metric(Metrics.RECALL_AT_1PCT_FPR),
                    micros);
            log.flush();
        }
        EvaluationReport.Written written = EvaluationReport.write(out, data, results);
        log.printf("Best average precision: %s. Report: %s%n", written.champion(), written.html());
        log.flush();
        return 0;
    }
}
