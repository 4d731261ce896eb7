package org.fraudplatform.models.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.fraudplatform.models.runtime.TreeEnsemble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A booster saved by XGBoost itself as a JSON model file, as a data scientist hands one over, read
 * back into the portable model: the same predictions within 1e-6, missing values included.
 */
class XgboostImportTest {

    private static final TrainingData TRAIN = SyntheticFraud.generate(5_000, 21);
    private static final TrainingData CHECK = SyntheticFraud.generate(2_000, 22);
    private static final GbtParams PARAMS = GbtParams.defaults().withTrees(60).withMaxDepth(4);

    @TempDir static Path dir;

    private static Booster booster;
    private static Path saved;

    @BeforeAll
    static void saveABoosterTheWayXgboostDoes() throws XGBoostError {
        booster = GradientBoostedTreesTraining.boost(TRAIN, PARAMS, 7, line -> {});
        saved = dir.resolve("model.json");
        booster.saveModel(saved.toString());
    }

    @AfterAll
    static void release() {
        booster.dispose();
    }

    @Test
    void theImportedModelShouldPredictAsTheBoosterWithinOneMillionth() throws Exception {
        TreeEnsemble model = XgboostImport.read(saved, SyntheticFraud.FEATURES);

        for (double[] row : rowsWithGaps()) {
            double xgboost =
                    GradientBoostedTreesTraining.predict(
                            booster, row, SyntheticFraud.FEATURES.size());
            assertThat(model.score(row)).isCloseTo(xgboost, within(1e-6));
        }
        assertThat(model.trees()).hasSize(60);
        assertThat(model.featureNames()).isEqualTo(SyntheticFraud.FEATURES);
    }

    @Test
    void shouldTakeTheFilesOwnFeatureNamesWhenItHasThem() throws Exception {
        Path named = withFeatureNames(SyntheticFraud.FEATURES, "named.json");

        TreeEnsemble model = XgboostImport.read(named, null);

        assertThat(model.featureNames()).isEqualTo(SyntheticFraud.FEATURES);
        double[] row = CHECK.x()[0];
        assertThat(model.score(row))
                .isCloseTo(
                        GradientBoostedTreesTraining.predict(
                                booster, row, SyntheticFraud.FEATURES.size()),
                        within(1e-6));
    }

    @Test
    void shouldRefuseAFileWithoutNamesWhenNoneAreGiven() {
        assertThatThrownBy(() -> XgboostImport.read(saved, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names no features");
    }

    @Test
    void shouldRefuseNamesThatDoNotCountTheBoostersColumns() {
        List<String> one = SyntheticFraud.FEATURES.subList(0, 1);

        assertThatThrownBy(() -> XgboostImport.read(saved, one))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "has " + SyntheticFraud.FEATURES.size() + " features, but 1 are named");
    }

    @Test
    void shouldRefuseNamesThatDisagreeWithTheFilesOwn() throws Exception {
        List<String> reversed = new ArrayList<>(SyntheticFraud.FEATURES);
        java.util.Collections.reverse(reversed);
        Path named = withFeatureNames(SyntheticFraud.FEATURES, "disagree.json");

        assertThatThrownBy(() -> XgboostImport.read(named, reversed))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names its features");
    }

    @Test
    void shouldRefuseAnotherObjective() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(Files.readAllBytes(saved));
        ((ObjectNode) root.path("learner").path("objective")).put("name", "reg:squarederror");
        Path regression = dir.resolve("regression.json");
        Files.write(regression, json.writeValueAsBytes(root));

        assertThatThrownBy(() -> XgboostImport.read(regression, SyntheticFraud.FEATURES))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected binary:logistic");
    }

    /** The check rows, every third with one value missing (NaN goes the default way). */
    private static List<double[]> rowsWithGaps() {
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < CHECK.size(); i++) {
            double[] row = CHECK.x()[i].clone();
            if (i % 3 == 0) {
                row[i % row.length] = Double.NaN;
            }
            rows.add(row);
        }
        return rows;
    }

    /** The saved file with {@code feature_names} added, as Python writes it from a data frame. */
    private static Path withFeatureNames(List<String> names, String file) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(Files.readAllBytes(saved));
        ArrayNode array = ((ObjectNode) root.get("learner")).putArray("feature_names");
        names.forEach(array::add);
        Path target = dir.resolve(file);
        Files.write(target, json.writeValueAsBytes(root));
        return target;
    }
}
