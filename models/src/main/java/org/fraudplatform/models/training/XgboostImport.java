package org.fraudplatform.models.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fraudplatform.models.runtime.TreeEnsemble;

/**
 * A model trained elsewhere: XGBoost's own JSON model file ({@code
 * booster.save_model("model.json")} in Python, {@code Booster.saveModel("model.json")} in Java;
 * XGBoost 1.x schema, {@code binary:logistic}, {@code gbtree}, numeric splits) read into the
 * portable {@link TreeEnsemble}, which then scores it as XGBoost does (within float rounding of the
 * sigmoid).
 *
 * <p>The inputs are named by the file's own {@code feature_names} (what Python writes when the
 * booster was trained on a data frame) or, for a file without them, by the caller in column order.
 * A file whose number of features differs from the names, or whose splits read a column beyond
 * them, is refused with the reason.
 */
public final class XgboostImport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private XgboostImport() {}

    /**
     * Reads {@code file}.
     *
     * @param featureNames the inputs in the booster's column order, or null to take the file's own
     *     {@code feature_names}
     * @throws IllegalArgumentException when the file is not such a model, names no features and
     *     none are given, or disagrees with the names given
     */
    public static TreeEnsemble read(Path file, List<String> featureNames) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " is not JSON: " + e.getMessage());
        }
        JsonNode learner = root == null ? null : root.get("learner");
        if (learner == null) {
            throw new IllegalArgumentException(
                    file + " is not an XGBoost JSON model: it has no 'learner'");
        }
        List<String> own = new ArrayList<>();
        learner.path("feature_names").forEach(n -> own.add(n.asText()));
        List<String> names = featureNames == null ? own : List.copyOf(featureNames);
        if (names.isEmpty()) {
            throw new IllegalArgumentException(
                    file + " names no features: give the model's inputs in column order");
        }
        if (!own.isEmpty() && !own.equals(names)) {
            throw new IllegalArgumentException(
                    file + " names its features " + own + ", not " + names);
        }
        int columns = learner.path("learner_model_param").path("num_feature").asInt(-1);
        if (columns != names.size()) {
            throw new IllegalArgumentException(
                    file + " has " + columns + " features, but " + names.size() + " are named");
        }
        try {
            // the ensemble refuses a split on a column beyond the names
            return XgboostJson.read(root, names);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
    }
}
