package org.fraudplatform.models.golden;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.fraudplatform.models.runtime.ModelCodec;
import org.fraudplatform.models.runtime.ScoringModel;
import org.fraudplatform.models.training.GbtParams;
import org.fraudplatform.models.training.SyntheticFraud;
import org.fraudplatform.models.training.Trainers;
import org.fraudplatform.models.training.TrainingData;

/**
 * Writes the golden models and their pinned predictions into {@code src/test/resources/golden}: a
 * small gradient-boosted tree ensemble and a logistic regression trained on the project's own
 * synthetic fraud data with fixed seeds, and 200 rows (with missing values) and their scores.
 *
 * <p>Run it only when a change to the model format or to scoring is intended, and say so in the
 * commit: {@code GoldenModelTest} exists to catch every other change.
 */
public final class GoldenModels {

    static final String GBT = "gbt.model.json";
    static final String LINEAR = "logistic.model.json";
    static final String ROWS = "rows.csv";

    private GoldenModels() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "src/test/resources/golden");
        Files.createDirectories(dir);
        TrainingData data = SyntheticFraud.generate(4_000, 11L);
        ScoringModel gbt =
                Trainers.gradientBoostedTrees(
                                data,
                                GbtParams.defaults().withTrees(20).withMaxDepth(3),
                                7L,
                                l -> {})
                        .model();
        ScoringModel linear = Trainers.logisticRegression(data, 7L, l -> {}).model();
        Files.write(dir.resolve(GBT), ModelCodec.write(gbt));
        Files.write(dir.resolve(LINEAR), ModelCodec.write(linear));
        TrainingData probe = SyntheticFraud.generate(200, 12L);
        List<String> lines = new ArrayList<>();
        lines.add(String.join(",", data.featureNames()) + ",gbt_score,logistic_score");
        for (int i = 0; i < probe.size(); i++) {
            double[] x = probe.x()[i].clone();
            if (i % 10 == 3) {
                x[i % x.length] = Double.NaN; // missing values take the trees' default way
            }
            StringBuilder s = new StringBuilder();
            for (double v : x) {
                s.append(Double.isNaN(v) ? "" : Double.toString(v)).append(',');
            }
            s.append(String.format(Locale.ROOT, "%.17g,%.17g", gbt.score(x), linear.score(x)));
            lines.add(s.toString());
        }
        Files.write(dir.resolve(ROWS), lines, StandardCharsets.UTF_8);
        System.out.println("wrote " + dir.toAbsolutePath());
    }
}
