package org.fraudplatform.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.fraudplatform.features.FeatureCatalogue;
import org.fraudplatform.models.runtime.ModelCodec;
import org.fraudplatform.models.runtime.ScoringModel;
import org.fraudplatform.risk.models.ModelArtifact;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code fraud models import}: a booster saved by XGBoost as JSON becomes a model file that scores
 * as XGBoost predicts, and one whose inputs are not catalogue features is refused.
 */
class ModelsImportCommandTest {

    private static final List<String> INPUTS =
            List.of("amount_minor", "card_count_1d", "card_amount_ratio_7d");
    private static final int ROWS = 2_000;

    @TempDir static Path dir;

    private static Booster booster;
    private static Path saved;
    private static float[] rows;

    @BeforeAll
    static void trainAndSaveABoosterAsADataScientistWould() throws Exception {
        // fraud when the amount is large and many times the card's usual amount
        Random random = new Random(3);
        rows = new float[ROWS * INPUTS.size()];
        float[] labels = new float[ROWS];
        for (int i = 0; i < ROWS; i++) {
            float amount = 1_000 + random.nextInt(50_000);
            float count = random.nextInt(8);
            float ratio = i % 7 == 0 ? Float.NaN : (float) (0.2 + random.nextDouble() * 6);
            rows[i * 3] = amount;
            rows[i * 3 + 1] = count;
            rows[i * 3 + 2] = ratio;
            labels[i] = amount > 30_000 && (Float.isNaN(ratio) || ratio > 3) ? 1 : 0;
        }
        DMatrix train = new DMatrix(rows, ROWS, INPUTS.size(), Float.NaN);
        train.setLabel(labels);
        Map<String, Object> params = new HashMap<>();
        params.put("objective", "binary:logistic");
        params.put("max_depth", 3);
        params.put("eta", 0.3);
        params.put("nthread", 1);
        params.put("seed", 1);
        params.put("verbosity", 0);
        booster = XGBoost.train(train, params, 20, Map.of(), null, null);
        train.dispose();
        saved = dir.resolve("booster.json");
        booster.saveModel(saved.toString());
    }

    @AfterAll
    static void release() {
        booster.dispose();
    }

    private static int run(StringWriter out, String... args) {
        CommandLine cli = FraudCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        return cli.execute(args);
    }

    @Test
    void theImportedModelFileShouldScoreAsXgboostPredicts() throws Exception {
        Path out = dir.resolve("imported.model.json");
        StringWriter log = new StringWriter();

        int exit =
                run(
                        log,
                        "models",
                        "import",
                        "--xgboost",
                        saved.toString(),
                        "--feature-names",
                        String.join(",", INPUTS),
                        "--trained",
                        "2018-07-25..2018-07-31",
                        "--out",
                        out.toString());

        assertThat(exit).as(log.toString()).isZero();
        ModelArtifact artifact = ModelArtifact.read(out);
        assertThat(log.toString())
                .contains("Imported 20 trees over 3 features", artifact.version());
        assertThat(artifact.featureNames()).isEqualTo(INPUTS);
        assertThat(artifact.catalogueHash()).isEqualTo(FeatureCatalogue.standard().hash());
        assertThat(artifact.trainedFrom()).isEqualTo(Instant.parse("2018-07-25T00:00:00Z"));
        assertThat(artifact.trainedTo()).isEqualTo(Instant.parse("2018-08-01T00:00:00Z"));
        ScoringModel model = ModelCodec.read(artifact.model());
        DMatrix all = new DMatrix(rows, ROWS, INPUTS.size(), Float.NaN);
        float[][] predicted = booster.predict(all);
        all.dispose();
        for (int i = 0; i < ROWS; i++) {
            double[] x = {rows[i * 3], rows[i * 3 + 1], rows[i * 3 + 2]};
            assertThat(model.score(x)).as("row %d", i).isCloseTo(predicted[i][0], within(1e-6));
        }
    }

    @Test
    void shouldRefuseInputsThatAreNotCatalogueFeatures() {
        Path out = dir.resolve("refused.model.json");
        StringWriter log = new StringWriter();

        int exit =
                run(
                        log,
                        "models",
                        "import",
                        "--xgboost",
                        saved.toString(),
                        "--feature-names",
                        "amount_minor,v17,card_amount_ratio_7d",
                        "--trained",
                        "2018-07-25..2018-07-31",
                        "--out",
                        out.toString());

        assertThat(exit).isNotZero();
        assertThat(log.toString()).contains("refused: features not in the catalogue: v17");
        assertThat(out).doesNotExist();
    }

    @Test
    void shouldDescribeItselfInItsHelp() {
        StringWriter help = new StringWriter();

        int exit = run(help, "models", "import", "--help");

        assertThat(exit).isZero();
        assertThat(help.toString())
                .contains("--xgboost", "--feature-names", "--trained", "binary:logistic");
    }
}
