package org.fraudplatform.models.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.fraudplatform.models.runtime.TreeEnsemble;

/**
 * Reads a booster's own JSON model ({@code Booster.toByteArray("json")}, XGBoost 1.6 schema) into a
 * {@link TreeEnsemble}. That file holds the trees as flat arrays with thresholds and leaf values as
 * exact floats and each node's hessian sum (the cover), so nothing is lost as it would be in a text
 * dump. Nodes are renumbered depth-first from the root, children after parents, which also drops
 * any node pruning left unreachable.
 */
final class XgboostJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private XgboostJson() {}

    static TreeEnsemble export(Booster booster, List<String> featureNames) {
        JsonNode root;
        try {
            root = JSON.readTree(booster.toByteArray("json"));
        } catch (XGBoostError | IOException e) {
            throw new IllegalStateException("could not read the XGBoost model: " + e, e);
        }
        return read(root, featureNames);
    }

    static TreeEnsemble read(JsonNode root, List<String> featureNames) {
        JsonNode learner = root.path("learner");
        String objective = learner.path("objective").path("name").asText();
        if (!objective.equals("binary:logistic")) {
            throw new IllegalStateException("expected binary:logistic, got " + objective);
        }
        JsonNode booster = learner.path("gradient_booster");
        if (!booster.path("name").asText().equals("gbtree")) {
            throw new IllegalStateException(
                    "expected a gbtree booster, got " + booster.path("name").asText());
        }
        float baseScore =
                Float.parseFloat(learner.path("learner_model_param").path("base_score").asText());
        // XGBoost's ProbToMargin for the logistic objective, in float as XGBoost computes it
        float baseMargin = (float) -Math.log(1.0f / baseScore - 1.0f);
        List<TreeEnsemble.Tree> trees = new ArrayList<>();
        for (JsonNode tree : booster.path("model").path("trees")) {
            trees.add(tree(tree));
        }
        return new TreeEnsemble(featureNames, baseMargin, trees);
    }

    private static TreeEnsemble.Tree tree(JsonNode tree) {
        int[] left = ints(tree.path("left_children"));
        int[] right = ints(tree.path("right_children"));
        int[] splitIndex = ints(tree.path("split_indices"));
        int[] defaultLeft = ints(tree.path("default_left"));
        double[] condition = doubles(tree.path("split_conditions"));
        double[] hessian = doubles(tree.path("sum_hessian"));
        for (JsonNode type : tree.path("split_type")) {
            if (type.asInt() != 0) {
                throw new IllegalStateException("categorical splits are not supported");
            }
        }
        int n = left.length;
        int[] order = new int[n];
        int[] newIndex = new int[n];
        java.util.Arrays.fill(newIndex, -1);
        int count = 0;
        int[] stack = new int[n + 1];
        int top = 0;
        stack[top++] = 0;
        while (top > 0) {
            int node = stack[--top];
            newIndex[node] = count;
            order[count++] = node;
            if (left[node] != -1) {
                stack[top++] = right[node];
                stack[top++] = left[node];
            }
        }
        int[] feature = new int[count];
        float[] threshold = new float[count];
        int[] l = new int[count];
        int[] r = new int[count];
        boolean[] dl = new boolean[count];
        float[] value = new float[count];
        float[] cover = new float[count];
        for (int i = 0; i < count; i++) {
            int node = order[i];
            cover[i] = (float) hessian[node];
            if (left[node] == -1) {
                feature[i] = -1;
                l[i] = -1;
                r[i] = -1;
                value[i] = (float) condition[node];
            } else {
                feature[i] = splitIndex[node];
                threshold[i] = (float) condition[node];
                l[i] = newIndex[left[node]];
                r[i] = newIndex[right[node]];
                dl[i] = defaultLeft[node] != 0;
            }
        }
        return new TreeEnsemble.Tree(feature, threshold, l, r, dl, value, cover);
    }

    private static int[] ints(JsonNode array) {
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asInt();
        }
        return values;
    }

    private static double[] doubles(JsonNode array) {
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asDouble();
        }
        return values;
    }
}
