package org.fraudplatform.models.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.fraudplatform.models.runtime.ModelCodec;
import org.fraudplatform.models.runtime.ScoringModel;
import org.junit.jupiter.api.Test;

/**
 * The committed golden models score the committed rows exactly as when they were written: a change
 * to the model file format or to the scoring arithmetic fails here, before a registered model could
 * silently score otherwise in production. (Regenerate with {@link GoldenModels} only for an
 * intended change.)
 */
class GoldenModelTest {

    @Test
    void goldenModelsScoreThePinnedRowsExactly() throws IOException {
        ScoringModel gbt = ModelCodec.read(resource(GoldenModels.GBT));
        ScoringModel linear = ModelCodec.read(resource(GoldenModels.LINEAR));
        List<String> lines =
                new String(resource(GoldenModels.ROWS), StandardCharsets.UTF_8).lines().toList();
        List<String> header = List.of(lines.get(0).split(","));
        int features = header.size() - 2;
        assertThat(gbt.featureNames()).isEqualTo(header.subList(0, features));
        assertThat(linear.featureNames()).isEqualTo(header.subList(0, features));
        assertThat(lines).hasSize(201);

        int withMissing = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            double[] x = new double[features];
            boolean missing = false;
            for (int j = 0; j < features; j++) {
                x[j] = f[j].isEmpty() ? Double.NaN : Double.parseDouble(f[j]);
                missing |= f[j].isEmpty();
            }
            withMissing += missing ? 1 : 0;
            assertThat(gbt.score(x)).as(line).isEqualTo(Double.parseDouble(f[features]));
            assertThat(linear.score(x)).as(line).isEqualTo(Double.parseDouble(f[features + 1]));
        }
        assertThat(withMissing)
                .as("rows with missing values are pinned too")
                .isGreaterThanOrEqualTo(20);
    }

    @Test
    void goldenModelsAreWhatTheyClaimToBe() throws IOException {
        ScoringModel gbt = ModelCodec.read(resource(GoldenModels.GBT));
        assertThat(gbt.kind()).isEqualTo("gradient_boosted_trees");
        assertThat(ModelCodec.read(resource(GoldenModels.LINEAR)).kind())
                .isEqualTo("logistic_regression");
        assertThat(ModelCodec.write(gbt))
                .as("reading and writing a golden model changes no byte")
                .isEqualTo(resource(GoldenModels.GBT));
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = GoldenModelTest.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource golden/" + name);
            }
            return in.readAllBytes();
        }
    }
}
