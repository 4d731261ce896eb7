package org.fraudplatform.models.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.fraudplatform.models.runtime.TreeEnsemble.Tree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The portable model file: every kind reads back scoring the same, and anything that is not a
 * complete, valid model is refused with a message (the caller then keeps its current model).
 */
class ModelCodecTest {

    private static final List<String> FEATURES = List.of("amount", "velocity");
    private static final Standardization STANDARDIZATION =
            new Standardization(new double[] {100.25, 2}, new double[] {50.5, 1.125});

    static List<ScoringModel> models() {
        return List.of(
                new LinearModel(FEATURES, STANDARDIZATION, new double[] {0.8, 1.5e-3}, -3.25),
                new TreeEnsemble(
                        FEATURES,
                        -0.125f,
                        List.of(
                                new Tree(
                                        new int[] {1, -1, -1},
                                        new float[] {1.1f, 0, 0},
                                        new int[] {1, -1, -1},
                                        new int[] {2, -1, -1},
                                        new boolean[] {true, false, false},
                                        new float[] {0, 0.3333f, -0.1f},
                                        new float[] {50.5f, 20.25f, 30.25f}))),
                new DenseNetwork(
                        FEATURES,
                        STANDARDIZATION,
                        List.of(
                                new DenseLayer(
                                        new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6},
                                        new double[] {0, 0.1, 0.2},
                                        Activation.RELU),
                                new DenseLayer(
                                        new double[] {1, -1, 0.5, -0.5, 0.25, 2},
                                        new double[] {0.01, -0.01},
                                        Activation.SOFTMAX))),
                new Autoencoder(
                        FEATURES,
                        STANDARDIZATION,
                        List.of(
                                new DenseLayer(
                                        new double[] {0.7, -0.2},
                                        new double[] {0.1},
                                        Activation.TANH),
                                new DenseLayer(
                                        new double[] {0.9, -0.4},
                                        new double[] {0, 0.05},
                                        Activation.IDENTITY)),
                        0.75));
    }

    @ParameterizedTest
    @MethodSource("models")
    void aModelShouldReadBackScoringAndExplainingExactlyTheSame(ScoringModel model) {
        byte[] bytes = ModelCodec.write(model);

        ScoringModel read = ModelCodec.read(bytes);

        assertThat(read.kind()).isEqualTo(model.kind());
        assertThat(read.featureNames()).isEqualTo(FEATURES);
        Random random = new Random(3);
        for (int i = 0; i < 200; i++) {
            double[] row = {
                random.nextInt(10) == 0 ? Double.NaN : 100 + 60 * random.nextGaussian(),
                random.nextInt(4) * 0.55
            };
            assertThat(read.score(row)).isEqualTo(model.score(row));
            assertThat(read.explain(row, 2)).isEqualTo(model.explain(row, 2));
        }
        assertThat(ModelCodec.write(read)).isEqualTo(bytes);
    }

    @Test
    void theFileShouldNameItsFormatKindAndFeatures() {
        String json = json(models().get(0));

        assertThat(json)
                .startsWith(
                        "{\"format\":1,\"kind\":\"logistic_regression\","
                                + "\"featureNames\":[\"amount\",\"velocity\"],");
    }

    @Test
    void aTruncatedFileShouldBeRefused() {
        byte[] bytes = ModelCodec.write(models().get(1));

        assertThatThrownBy(() -> ModelCodec.read(Arrays.copyOf(bytes, bytes.length / 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("model file is not valid JSON (truncated?)");
        assertThatThrownBy(() -> ModelCodec.read(new byte[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("model file is empty");
    }

    @Test
    void somethingOtherThanOneJsonObjectShouldBeRefused() {
        assertRefused("[1, 2]", "model file is not a JSON object");
        assertRefused("not json", "model file is not valid JSON");
        String valid = json(models().get(0));
        assertRefused(valid + valid, "model file is not valid JSON");
    }

    @Test
    void anUnknownKindShouldBeRefused() {
        String json = json(models().get(0)).replace("logistic_regression", "random_forest");

        assertRefused(json, "unknown model kind 'random_forest' (known: [logistic_regression,");
    }

    @Test
    void anotherFormatVersionShouldBeRefused() {
        String json = json(models().get(0)).replace("\"format\":1", "\"format\":3");

        assertRefused(json, "unsupported model format 3 (this reader knows 1 and 2)");
    }

    @ParameterizedTest
    @MethodSource("models")
    void aCalibratedModelShouldReadBackScoringTheSameProbabilities(ScoringModel model) {
        CalibratedModel calibrated = new CalibratedModel(model, new PlattCalibration(0.4, -2.5));
        byte[] bytes = ModelCodec.write(calibrated);

        ScoringModel read = ModelCodec.read(bytes);

        assertThat(read).isInstanceOf(CalibratedModel.class);
        assertThat(((CalibratedModel) read).calibration()).isEqualTo(calibrated.calibration());
        double[] row = {120, 1.1};
        assertThat(read.score(row)).isEqualTo(calibrated.score(row));
        assertThat(read.score(row))
                .isEqualTo(new PlattCalibration(0.4, -2.5).apply(model.score(row)));
        assertThat(read.explain(row, 2)).isEqualTo(model.explain(row, 2));
        assertThat(ModelCodec.write(read)).isEqualTo(bytes);
    }

    @Test
    void aCalibratedModelShouldBeFormatTwoAndAModelWithoutCalibrationStayFormatOne() {
        ScoringModel plain = models().get(0);
        String calibrated = json(new CalibratedModel(plain, new PlattCalibration(0.5, 0.25)));

        assertThat(calibrated)
                .startsWith("{\"format\":2,")
                .endsWith(",\"calibration\":{\"method\":\"platt\",\"a\":0.5,\"b\":0.25}}");
        // the file of a model without calibration is what it always was
        assertThat(json(plain)).startsWith("{\"format\":1,").doesNotContain("calibration");
        assertThat(ModelCodec.read(json(plain).getBytes(StandardCharsets.UTF_8)))
                .isNotInstanceOf(CalibratedModel.class);
    }

    @Test
    void aMalformedCalibrationShouldBeRefused() {
        String calibrated =
                json(new CalibratedModel(models().get(0), new PlattCalibration(0.5, 0.25)));

        assertRefused(
                calibrated.replace("\"a\":0.5", "\"a\":-0.5"),
                "invalid calibration: the calibration's slope a must be positive");
        assertRefused(
                calibrated.replace("\"method\":\"platt\"", "\"method\":\"isotonic\""),
                "unknown calibration method 'isotonic'");
        assertRefused(calibrated.replace(",\"b\":0.25", ""), "model.calibration.b is missing");
        assertRefused(
                calibrated.replace("\"b\":0.25", "\"b\":\"0.25\""),
                "model.calibration.b must be a finite number");
        assertRefused(
                calibrated.replace(
                        ",\"calibration\":{\"method\":\"platt\",\"a\":0.5,\"b\":0.25}", ""),
                "model.calibration is missing");
        // a format 1 reader would score it uncalibrated: a calibration needs format 2
        assertRefused(
                calibrated.replace("\"format\":2", "\"format\":1"),
                "a format 1 model has no calibration");
    }

    @Test
    void parametersThatDoNotMatchTheFeatureCountShouldBeRefused() {
        String extraFeature =
                json(models().get(0))
                        .replace("[\"amount\",\"velocity\"]", "[\"amount\",\"velocity\",\"hour\"]");
        String treeFeature = json(models().get(1)).replace("\"feature\":[1,", "\"feature\":[2,");
        String layerShape =
                json(models().get(2)).replace("\"in\":2,\"out\":3", "\"in\":3,\"out\":2");

        assertRefused(
                extraFeature,
                "invalid logistic_regression model: standardization has 2 features, expected 3");
        assertRefused(
                treeFeature,
                "invalid gradient_boosted_trees model: tree 0 node 0 splits on feature 2 of 2");
        assertRefused(layerShape, "invalid mlp model: layer 0 declares 3 -> 2");
    }

    @Test
    void aMissingOrMistypedFieldShouldBeRefusedByName() {
        String noIntercept = json(models().get(0)).replaceAll(",\"intercept\":[^,}]+", "");
        String textWeight =
                json(models().get(0)).replace("\"weights\":[0.8,", "\"weights\":[\"0.8\",");
        String nanWeight = json(models().get(0)).replace("\"weights\":[0.8,", "\"weights\":[NaN,");

        assertRefused(noIntercept, "invalid logistic_regression model: model.intercept is missing");
        assertRefused(
                textWeight,
                "invalid logistic_regression model: model.weights must be an array of finite"
                        + " numbers");
        assertRefused(nanWeight, "model file is not valid JSON");
    }

    @Test
    void aTreeThatIsNotATreeShouldBeRefused() {
        String cycle = json(models().get(1)).replace("\"left\":[1,", "\"left\":[0,");

        assertRefused(cycle, "invalid gradient_boosted_trees model: node 0 has child 0");
    }

    @ParameterizedTest
    @MethodSource("models")
    void aCorruptedFileShouldReadAsAModelOrBeRefusedNeverFailOtherwise(ScoringModel model) {
        byte[] bytes = ModelCodec.write(model);
        byte[] alphabet = "{}[],:\"-.0123456789eE truenlfasNa".getBytes(StandardCharsets.UTF_8);
        Random random = new Random(7);
        for (int trial = 0; trial < 2_000; trial++) {
            byte[] corrupted = bytes.clone();
            for (int k = 1 + random.nextInt(3); k > 0; k--) {
                corrupted[random.nextInt(corrupted.length)] =
                        alphabet[random.nextInt(alphabet.length)];
            }
            if (random.nextInt(4) == 0) {
                corrupted = Arrays.copyOf(corrupted, random.nextInt(corrupted.length));
            }
            try {
                ScoringModel read = ModelCodec.read(corrupted);
                assertThat(read.score(new double[] {1, Double.NaN})).isBetween(0.0, 1.0);
            } catch (IllegalArgumentException refused) {
                assertThat(refused.getMessage()).isNotBlank();
            }
        }
    }

    private static String json(ScoringModel model) {
        return new String(ModelCodec.write(model), StandardCharsets.UTF_8);
    }

    private static void assertRefused(String json, String message) {
        assertThatThrownBy(() -> ModelCodec.read(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message);
    }
}
