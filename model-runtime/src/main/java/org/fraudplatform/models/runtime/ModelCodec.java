package org.fraudplatform.models.runtime;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The portable model file: UTF-8 JSON, one object with the format version, the {@code kind} that
 * says how to read the rest, and the {@code featureNames}. The registry stores these bytes in
 * {@code ModelRelease.model}.
 *
 * <p>Format 1 is a model whose score is its own; format 2 adds {@code "calibration": {"method":
 * "platt", "a": …, "b": …}} ({@link PlattCalibration}), which turns the score into a fraud
 * probability, and is read as a {@link CalibratedModel}. A model without calibration is still
 * written as format 1, byte for byte as before; a reader that knows only format 1 refuses a
 * calibrated file instead of scoring it uncalibrated.
 *
 * <p>{@link #read} either returns a complete, valid model or throws {@link
 * IllegalArgumentException} saying what is wrong (not JSON, truncated, unknown kind or version, a
 * missing field, arrays that do not match the features, a tree that is not a tree, a non-finite
 * number): callers keep their current model when it throws, so a bad file never replaces a good
 * one. Writing the same model twice gives the same bytes.
 */
public final class ModelCodec {

    /** The format of a model without calibration. */
    public static final int FORMAT = 1;

    /** The format of a calibrated model. */
    public static final int CALIBRATED_FORMAT = 2;

    private static final JsonMapper JSON =
            JsonMapper.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .build();

    private static final List<String> KINDS =
            List.of(LinearModel.KIND, TreeEnsemble.KIND, DenseNetwork.KIND, Autoencoder.KIND);

    private ModelCodec() {}

    /**
     * The model as JSON bytes.
     *
     * @throws IllegalArgumentException for a model class this codec does not know
     */
    public static byte[] write(ScoringModel model) {
        ObjectNode root = JSON.createObjectNode();
        PlattCalibration calibration = null;
        if (model instanceof CalibratedModel calibrated) {
            calibration = calibrated.calibration();
            model = calibrated.uncalibrated();
        }
        root.put("format", calibration == null ? FORMAT : CALIBRATED_FORMAT);
        root.put("kind", model.kind());
        ArrayNode names = root.putArray("featureNames");
        model.featureNames().forEach(names::add);
        if (model instanceof LinearModel linear) {
            writeStandardization(root, linear.standardization());
            doubles(root.putArray("weights"), linear.weights());
            root.put("intercept", linear.intercept());
        } else if (model instanceof TreeEnsemble trees) {
            root.put("baseMargin", trees.baseMargin());
            ArrayNode list = root.putArray("trees");
            for (TreeEnsemble.Tree tree : trees.trees()) {
                ObjectNode node = list.addObject();
                ints(node.putArray("feature"), tree.feature());
                floats(node.putArray("threshold"), tree.threshold());
                ints(node.putArray("left"), tree.left());
                ints(node.putArray("right"), tree.right());
                ArrayNode defaults = node.putArray("defaultLeft");
                for (boolean b : tree.defaultLeft()) {
                    defaults.add(b);
                }
                floats(node.putArray("value"), tree.value());
                floats(node.putArray("cover"), tree.cover());
            }
        } else if (model instanceof DenseNetwork network) {
            writeStandardization(root, network.standardization());
            writeLayers(root, network.layers());
        } else if (model instanceof Autoencoder autoencoder) {
            writeStandardization(root, autoencoder.standardization());
            writeLayers(root, autoencoder.layers());
            root.put("referenceError", autoencoder.referenceError());
        } else {
            throw new IllegalArgumentException(
                    "cannot write a model of class " + model.getClass().getName());
        }
        if (calibration != null) {
            ObjectNode c = root.putObject("calibration");
            c.put("method", PlattCalibration.METHOD);
            c.put("a", calibration.a());
            c.put("b", calibration.b());
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JacksonException e) {
            throw new IllegalStateException("could not write model JSON", e);
        }
    }

    /**
     * The model these bytes describe.
     *
     * @throws IllegalArgumentException when they are not a complete, valid model of a known kind
     *     and format version; the message says why
     */
    public static ScoringModel read(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new IllegalArgumentException("model file is empty");
        }
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(
                    "model file is not valid JSON (truncated?): " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("model file could not be read: " + e, e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("model file is not a JSON object");
        }
        Fields fields = new Fields(root, "model");
        int format = fields.integer("format");
        if (format != FORMAT && format != CALIBRATED_FORMAT) {
            throw new IllegalArgumentException(
                    "unsupported model format "
                            + format
                            + " (this reader knows "
                            + FORMAT
                            + " and "
                            + CALIBRATED_FORMAT
                            + ")");
        }
        PlattCalibration calibration = null;
        if (format == FORMAT && root.has("calibration")) {
            throw new IllegalArgumentException(
                    "a format 1 model has no calibration; a calibrated model is format "
                            + CALIBRATED_FORMAT);
        }
        if (format == CALIBRATED_FORMAT) {
            calibration = readCalibration(fields);
        }
        ScoringModel model = readModel(fields);
        return calibration == null ? model : new CalibratedModel(model, calibration);
    }

    private static PlattCalibration readCalibration(Fields root) {
        Fields c = root.object("calibration");
        String method = c.string("method");
        if (!method.equals(PlattCalibration.METHOD)) {
            throw new IllegalArgumentException(
                    "unknown calibration method '"
                            + method
                            + "' (known: "
                            + PlattCalibration.METHOD
                            + ")");
        }
        double a = c.number("a");
        double b = c.number("b");
        try {
            return new PlattCalibration(a, b);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid calibration: " + e.getMessage(), e);
        }
    }

    private static ScoringModel readModel(Fields fields) {
        String kind = fields.string("kind");
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException(
                    "unknown model kind '" + kind + "' (known: " + KINDS + ")");
        }
        List<String> names = fields.strings("featureNames");
        try {
            if (kind.equals(LinearModel.KIND)) {
                return new LinearModel(
                        names,
                        readStandardization(fields),
                        fields.doubles("weights"),
                        fields.number("intercept"));
            }
            if (kind.equals(TreeEnsemble.KIND)) {
                List<TreeEnsemble.Tree> trees = new ArrayList<>();
                List<Fields> list = fields.objects("trees");
                for (Fields tree : list) {
                    trees.add(
                            new TreeEnsemble.Tree(
                                    tree.ints("feature"),
                                    tree.floats("threshold"),
                                    tree.ints("left"),
                                    tree.ints("right"),
                                    tree.booleans("defaultLeft"),
                                    tree.floats("value"),
                                    tree.floats("cover")));
                }
                return new TreeEnsemble(names, (float) fields.number("baseMargin"), trees);
            }
            if (kind.equals(DenseNetwork.KIND)) {
                return new DenseNetwork(names, readStandardization(fields), readLayers(fields));
            }
            return new Autoencoder(
                    names,
                    readStandardization(fields),
                    readLayers(fields),
                    fields.number("referenceError"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid " + kind + " model: " + e.getMessage(), e);
        }
    }

    private static void writeStandardization(ObjectNode root, Standardization standardization) {
        ObjectNode node = root.putObject("standardization");
        doubles(node.putArray("mean"), standardization.mean());
        doubles(node.putArray("std"), standardization.std());
    }

    private static Standardization readStandardization(Fields root) {
        Fields node = root.object("standardization");
        return new Standardization(node.doubles("mean"), node.doubles("std"));
    }

    private static void writeLayers(ObjectNode root, List<DenseLayer> layers) {
        ArrayNode list = root.putArray("layers");
        for (DenseLayer layer : layers) {
            ObjectNode node = list.addObject();
            node.put("in", layer.in());
            node.put("out", layer.out());
            node.put("activation", layer.activation().jsonName());
            doubles(node.putArray("weights"), layer.weights());
            doubles(node.putArray("bias"), layer.bias());
        }
    }

    private static List<DenseLayer> readLayers(Fields root) {
        List<DenseLayer> layers = new ArrayList<>();
        List<Fields> list = root.objects("layers");
        for (int l = 0; l < list.size(); l++) {
            Fields node = list.get(l);
            int in = node.integer("in");
            int out = node.integer("out");
            DenseLayer layer =
                    new DenseLayer(
                            node.doubles("weights"),
                            node.doubles("bias"),
                            Activation.fromJsonName(node.string("activation")));
            if (layer.in() != in || layer.out() != out) {
                throw new IllegalArgumentException(
                        "layer "
                                + l
                                + " declares "
                                + in
                                + " -> "
                                + out
                                + " but its arrays hold "
                                + layer.in()
                                + " -> "
                                + layer.out());
            }
            layers.add(layer);
        }
        return layers;
    }

    private static void doubles(ArrayNode array, double[] values) {
        for (double v : values) {
            array.add(v);
        }
    }

    private static void floats(ArrayNode array, float[] values) {
        for (float v : values) {
            array.add(v);
        }
    }

    private static void ints(ArrayNode array, int[] values) {
        for (int v : values) {
            array.add(v);
        }
    }

    /** Typed access to an object's fields, with messages that name the field. */
    private static final class Fields {

        private final JsonNode node;
        private final String path;

        Fields(JsonNode node, String path) {
            this.node = node;
            this.path = path;
        }

        private JsonNode required(String field) {
            JsonNode value = node.get(field);
            if (value == null || value.isNull()) {
                throw new IllegalArgumentException(path + "." + field + " is missing");
            }
            return value;
        }

        private IllegalArgumentException wrong(String field, String expected) {
            return new IllegalArgumentException(path + "." + field + " must be " + expected);
        }

        String string(String field) {
            JsonNode value = required(field);
            if (!value.isTextual()) {
                throw wrong(field, "a string");
            }
            return value.textValue();
        }

        int integer(String field) {
            JsonNode value = required(field);
            if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                throw wrong(field, "an integer");
            }
            return value.intValue();
        }

        double number(String field) {
            JsonNode value = required(field);
            if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
                throw wrong(field, "a finite number");
            }
            return value.doubleValue();
        }

        Fields object(String field) {
            JsonNode value = required(field);
            if (!value.isObject()) {
                throw wrong(field, "an object");
            }
            return new Fields(value, path + "." + field);
        }

        private ArrayNode array(String field) {
            JsonNode value = required(field);
            if (!value.isArray()) {
                throw wrong(field, "an array");
            }
            return (ArrayNode) value;
        }

        List<Fields> objects(String field) {
            ArrayNode array = array(field);
            List<Fields> list = new ArrayList<>(array.size());
            for (int i = 0; i < array.size(); i++) {
                if (!array.get(i).isObject()) {
                    throw wrong(field, "an array of objects");
                }
                list.add(new Fields(array.get(i), path + "." + field + "[" + i + "]"));
            }
            return list;
        }

        List<String> strings(String field) {
            ArrayNode array = array(field);
            List<String> list = new ArrayList<>(array.size());
            for (JsonNode value : array) {
                if (!value.isTextual()) {
                    throw wrong(field, "an array of strings");
                }
                list.add(value.textValue());
            }
            return list;
        }

        double[] doubles(String field) {
            ArrayNode array = array(field);
            double[] values = new double[array.size()];
            for (int i = 0; i < values.length; i++) {
                JsonNode value = array.get(i);
                if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
                    throw wrong(field, "an array of finite numbers");
                }
                values[i] = value.doubleValue();
            }
            return values;
        }

        float[] floats(String field) {
            double[] doubles = doubles(field);
            float[] values = new float[doubles.length];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) doubles[i];
            }
            return values;
        }

        int[] ints(String field) {
            ArrayNode array = array(field);
            int[] values = new int[array.size()];
            for (int i = 0; i < values.length; i++) {
                JsonNode value = array.get(i);
                if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                    throw wrong(field, "an array of integers");
                }
                values[i] = value.intValue();
            }
            return values;
        }

        boolean[] booleans(String field) {
            ArrayNode array = array(field);
            boolean[] values = new boolean[array.size()];
            for (int i = 0; i < values.length; i++) {
                JsonNode value = array.get(i);
                if (!value.isBoolean()) {
                    throw wrong(field, "an array of booleans");
                }
                values[i] = value.booleanValue();
            }
            return values;
        }
    }
}
