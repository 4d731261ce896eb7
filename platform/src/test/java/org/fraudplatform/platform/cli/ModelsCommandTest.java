package org.fraudplatform.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.fraudplatform.features.FeatureCatalogue;
import org.fraudplatform.risk.models.LoadedModel;
import org.fraudplatform.risk.models.ModelArtifact;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code fraud models train} and {@code evaluate} from a history to model files a registry accepts:
 * a generated history (genuine customers, and stolen cards paying large amounts in bursts) is
 * backfilled by the real feature job, trained on with a holdout, and the model files score the test
 * rows exactly as the training report says.
 */
class ModelsCommandTest {

    @TempDir static Path dir;
    static Path backfill;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void backfillAGeneratedHistory() throws Exception {
        Random random = new Random(5);
        Instant start = Instant.parse("2026-03-02T08:00:00Z");
        List<String> lines = new ArrayList<>();
        lines.add(
                "kind,transaction_id,time,amount_minor,card,customer,email,ip,device,merchant,"
                        + "country,payment_time");
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < 1_200; i++) {
            Instant t = start.plusSeconds(i * 30L);
            boolean fraud = i % 25 == 7 || i % 25 == 8;
            String card = fraud ? "tok_stolen" + (i / 50) : "tok_c" + random.nextInt(150);
            long amount = fraud ? 40_000 + random.nextInt(40_000) : 1_000 + random.nextInt(6_000);
            String ip = fraud ? "198.51.100." + (i / 50) : "203.0.113." + random.nextInt(150);
            lines.add(
                    String.join(
                            ",",
                            "payment",
                            "pay_" + i,
                            t.toString(),
                            Long.toString(amount),
                            card,
                            "m1/" + card,
                            "eh_" + card,
                            ip,
                            "dev_" + ip,
                            "m1",
                            fraud ? "BR" : "DE",
                            ""));
            if (fraud) {
                labels.add(
                        String.join(
                                ",",
                                "fraud",
                                "pay_" + i,
                                start.plusSeconds(86_400).toString(),
                                "",
                                card,
                                "",
                                "",
                                "",
                                "",
                                "m1",
                                "",
                                t.toString()));
            }
        }
        lines.addAll(labels);
        Path history = dir.resolve("history.csv");
        Files.write(history, lines);
        backfill = dir.resolve("backfill");
        assertThat(
                        run(
                                new StringWriter(),
                                "features",
                                "backfill",
                                "--input",
                                history.toString(),
                                "--output",
                                backfill.toString()))
                .isZero();
    }

    private static int run(StringWriter out, String... args) {
        CommandLine cli = FraudCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        return cli.execute(args);
    }

    @Test
    void trainWritesTheReportAndModelFilesThatScoreAsReported() throws Exception {
        Path out = dir.resolve("train");
        StringWriter log = new StringWriter();

        int exit =
                run(
                        log,
                        "models",
                        "train",
                        "--features",
                        backfill.toString(),
                        "--holdout",
                        "0.3",
                        "--models",
                        "logistic_regression,gradient_boosted_trees",
                        "--trees",
                        "40",
                        "--out",
                        out.toString());

        assertThat(exit).as(log.toString()).isZero();
        assertThat(log.toString())
                .contains(
                        "Chronological holdout",
                        "Training gradient_boosted_trees",
                        "40 trees of depth 9",
                        "Validation for the calibration",
                        "gradient_boosted_trees calibrated: a = ");
        JsonNode metrics = JSON.readTree(out.resolve("metrics.json").toFile());
        assertThat(metrics.at("/protocol/name").asText()).isEqualTo("Chronological holdout");
        assertThat(metrics.get("models")).hasSize(2);
        assertThat(metrics.has("handbook_baselines") ? metrics.get("handbook_baselines").size() : 0)
                .as("the handbook's numbers belong to the handbook's protocol only")
                .isZero();
        JsonNode gbt = metrics.get("models").get(1);
        assertThat(gbt.get("name").asText()).isEqualTo("gradient_boosted_trees");
        assertThat(gbt.at("/metrics/roc_auc").asDouble())
                .as("stolen cards paying large amounts from new places are easy to rank")
                .isGreaterThan(0.95);
        List<String> scores = Files.readAllLines(out.resolve("test-scores.csv"));
        assertThat(scores.get(0)).isEqualTo("transaction_id,score");
        assertThat(scores).hasSize(1 + metrics.at("/counts/test_rows").asInt());
        assertThat(Files.readString(out.resolve("report.html"))).contains("<svg");

        ModelArtifact artifact =
                ModelArtifact.read(
                        out.resolve("models/gradient_boosted_trees-2026-03-02.model.json"));
        List<String> inputs = new ArrayList<>();
        inputs.add(LoadedModel.AMOUNT);
        inputs.addAll(FeatureCatalogue.standard().names());
        assertThat(artifact.featureNames()).isEqualTo(inputs);
        assertThat(artifact.catalogueHash()).isEqualTo(FeatureCatalogue.standard().hash());
        assertThat(artifact.trainedFrom()).isEqualTo(Instant.parse("2026-03-02T08:00:00Z"));
        assertThat(artifact.testedTo()).isAfter(artifact.testedFrom());
        assertThat(artifact.testedFrom()).isAfterOrEqualTo(artifact.trainedTo());
        assertThat(artifact.seed()).isEqualTo(42);
        assertThat(artifact.libraries()).containsKeys("tribuo", "xgboost4j", "deeplearning4j");
        assertThat(artifact.libraries().get("xgboost4j")).isNotEqualTo("unknown");
        // the file carries the calibration fitted on the validation period, so that what the
        // platform scores is the probability the report shows
        assertThat(org.fraudplatform.models.runtime.ModelCodec.read(artifact.model()))
                .isInstanceOf(org.fraudplatform.models.runtime.CalibratedModel.class);
        assertThat(gbt.at("/parameters/calibration").asText()).startsWith("Platt a=");
        assertThat(gbt.at("/metrics/brier_score").asDouble()).isBetween(0.0, 0.25);

        // the champion candidate's file, evaluated again, gives the very numbers and scores the
        // training report gave
        String champion = metrics.at("/champion/name").asText();
        JsonNode championMetrics = null;
        for (JsonNode m : metrics.get("models")) {
            if (m.get("name").asText().equals(champion)) {
                championMetrics = m.get("metrics");
            }
        }
        Path again = dir.resolve("evaluate");
        StringWriter evalLog = new StringWriter();
        int evaluated =
                run(
                        evalLog,
                        "models",
                        "evaluate",
                        "--features",
                        backfill.toString(),
                        "--holdout",
                        "0.3",
                        "--model",
                        out.resolve("models/" + champion + "-2026-03-02.model.json").toString(),
                        "--out",
                        again.toString());
        assertThat(evaluated).as(evalLog.toString()).isZero();
        JsonNode reevaluated = JSON.readTree(again.resolve("metrics.json").toFile());
        assertThat(reevaluated.get("models").get(0).get("metrics")).isEqualTo(championMetrics);
        assertThat(Files.readAllLines(again.resolve("test-scores.csv"))).isEqualTo(scores);

        // a second training run with the same seed writes the same model
        Path twice = dir.resolve("train-again");
        assertThat(
                        run(
                                new StringWriter(),
                                "models",
                                "train",
                                "--features",
                                backfill.toString(),
                                "--holdout",
                                "0.3",
                                "--models",
                                "gradient_boosted_trees",
                                "--trees",
                                "40",
                                "--out",
                                twice.toString()))
                .isZero();
        assertThat(
                        ModelArtifact.read(
                                        twice.resolve(
                                                "models/gradient_boosted_trees-2026-03-02.model.json"))
                                .version())
                .isEqualTo(artifact.version());
    }

    @Test
    void evaluateRefusesAModelFromAnotherCatalogue() throws Exception {
        Path out = dir.resolve("lr");
        assertThat(
                        run(
                                new StringWriter(),
                                "models",
                                "train",
                                "--features",
                                backfill.toString(),
                                "--holdout",
                                "0.3",
                                "--models",
                                "logistic_regression",
                                "--out",
                                out.toString()))
                .isZero();
        Path other = dir.resolve("other-catalogue");
        Files.createDirectories(other);
        Files.copy(backfill.resolve("features.csv"), other.resolve("features.csv"));
        Files.writeString(other.resolve("catalogue-hash.txt"), "0123456789abcdef\n");
        StringWriter log = new StringWriter();

        int exit =
                run(
                        log,
                        "models",
                        "evaluate",
                        "--features",
                        other.toString(),
                        "--holdout",
                        "0.3",
                        "--model",
                        out.resolve("models/logistic_regression-2026-03-02.model.json").toString(),
                        "--out",
                        dir.resolve("refused").toString());

        assertThat(exit).isNotZero();
        assertThat(log.toString()).contains("was trained on feature catalogue", "0123456789abcdef");
        assertThat(dir.resolve("refused/metrics.json")).doesNotExist();
    }

    @Test
    void aBagOfTreesIsOneModelFileHoldingEveryMembersTrees() throws Exception {
        Path out = dir.resolve("bag");
        StringWriter log = new StringWriter();

        int exit =
                run(
                        log,
                        "models",
                        "train",
                        "--features",
                        backfill.toString(),
                        "--holdout",
                        "0.3",
                        "--models",
                        "gradient_boosted_trees",
                        "--trees",
                        "20",
                        "--bag",
                        "3",
                        "--no-calibration",
                        "--out",
                        out.toString());

        assertThat(exit).as(log.toString()).isZero();
        assertThat(log.toString())
                .contains(
                        "bag 1/3 (seed 42): gradient boosted trees:",
                        "bag 3/3 (seed 44): gradient boosted trees:",
                        "a bag of 3 trained in");
        JsonNode gbt = JSON.readTree(out.resolve("metrics.json").toFile()).get("models").get(0);
        assertThat(gbt.at("/parameters/bag").asText()).isEqualTo("3 (seeds 42..44)");
        ModelArtifact artifact =
                ModelArtifact.read(
                        out.resolve("models/gradient_boosted_trees-2026-03-02.model.json"));
        var model =
                (org.fraudplatform.models.runtime.TreeEnsemble)
                        org.fraudplatform.models.runtime.ModelCodec.read(artifact.model());
        assertThat(model.trees()).hasSize(60);
    }

    @Test
    void aBagHoldsAtLeastOneModel() {
        StringWriter log = new StringWriter();

        int exit =
                run(
                        log,
                        "models",
                        "train",
                        "--features",
                        backfill.toString(),
                        "--holdout",
                        "0.3",
                        "--bag",
                        "0",
                        "--out",
                        dir.resolve("bag0").toString());

        assertThat(exit).isNotZero();
        assertThat(log.toString()).contains("--bag: a bag holds at least 1 model");
        assertThat(dir.resolve("bag0/metrics.json")).doesNotExist();
    }

    @Test
    void theSearchNeedsTheTreesAndDayWindowsBeforeTheTest() {
        StringWriter withoutTrees = new StringWriter();
        StringWriter withHoldout = new StringWriter();

        int trees =
                run(
                        withoutTrees,
                        "models",
                        "train",
                        "--features",
                        backfill.toString(),
                        "--models",
                        "logistic_regression",
                        "--search",
                        "--out",
                        dir.resolve("s1").toString());
        int holdout =
                run(
                        withHoldout,
                        "models",
                        "train",
                        "--features",
                        backfill.toString(),
                        "--holdout",
                        "0.3",
                        "--models",
                        "gradient_boosted_trees",
                        "--search",
                        "--out",
                        dir.resolve("s2").toString());

        assertThat(trees).isNotZero();
        assertThat(withoutTrees.toString()).contains("--search tunes gradient_boosted_trees");
        assertThat(holdout).isNotZero();
        assertThat(withHoldout.toString())
                .contains("the prequential search needs --train/--test windows, not --holdout");
        assertThat(dir.resolve("s1/metrics.json")).doesNotExist();
        assertThat(dir.resolve("s2/metrics.json")).doesNotExist();
    }

    @Test
    void trainRefusesAnUnknownModelKindAndMixedSplits() {
        StringWriter unknown = new StringWriter();
        StringWriter mixed = new StringWriter();

        int kind =
                run(
                        unknown,
                        "models",
                        "train",
                        "--features",
                        backfill.toString(),
                        "--models",
                        "random_forest",
                        "--out",
                        dir.resolve("x").toString());
        int split =
                run(
                        mixed,
                        "models",
                        "train",
                        "--features",
                        backfill.toString(),
                        "--holdout",
                        "0.3",
                        "--train",
                        "2026-03-01..2026-03-02",
                        "--out",
                        dir.resolve("y").toString());

        assertThat(kind).isNotZero();
        assertThat(unknown.toString()).contains("unknown model kind 'random_forest'");
        assertThat(split).isNotZero();
        assertThat(mixed.toString()).contains("leave out --train and --test");
    }
}
