package org.fraudplatform.models.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.fraudplatform.models.runtime.Activation;
import org.fraudplatform.models.runtime.Autoencoder;
import org.fraudplatform.models.runtime.DenseLayer;
import org.fraudplatform.models.runtime.Standardization;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/**
 * An autoencoder with Deeplearning4j, trained on the genuine rows only (labels are not needed, and
 * frauds would teach it to reconstruct fraud): standardized inputs (standardization learned on the
 * genuine rows, missing as 0), mean-squared-error reconstruction, Adam; exported to an {@link
 * Autoencoder} whose reference error is the {@link AutoencoderParams#referenceQuantile()} of the
 * training rows' errors.
 *
 * <p>Imbalance does not arise: there is one class.
 */
final class AutoencoderTraining {

    private AutoencoderTraining() {}

    static Trained train(
            TrainingData data, AutoencoderParams params, long seed, Consumer<String> progress) {
        long start = System.nanoTime();
        TrainingData genuine = data.genuineOnly();
        if (genuine.size() == 0) {
            throw new IllegalArgumentException("an autoencoder needs genuine rows");
        }
        Standardization standardization = Standardization.fit(genuine.x(), genuine.features());
        float[][] inputs = new float[genuine.size()][];
        for (int i = 0; i < genuine.size(); i++) {
            inputs[i] = Dl4jNetworks.floats(standardization.apply(genuine.x()[i]));
        }
        progress.accept(
                String.format(
                        "autoencoder: %d genuine rows (of %d), hidden %s %s",
                        genuine.size(),
                        data.size(),
                        params.hidden(),
                        params.activation().jsonName()));
        MultiLayerNetwork network =
                Dl4jNetworks.build(
                        genuine.features(),
                        params.hidden(),
                        params.activation(),
                        genuine.features(),
                        Activation.IDENTITY,
                        new LossMSE(),
                        params.learningRate(),
                        0,
                        seed);
        Dl4jNetworks.fit(
                network,
                inputs,
                inputs,
                params.epochs(),
                params.batchSize(),
                seed,
                "autoencoder",
                progress);

        List<Activation> activations = new ArrayList<>();
        params.hidden().forEach(units -> activations.add(params.activation()));
        activations.add(Activation.IDENTITY);
        List<DenseLayer> layers = Dl4jNetworks.export(network, activations);
        // the errors of the training rows fix the reference: a first model with any reference
        Autoencoder unscaled = new Autoencoder(genuine.featureNames(), standardization, layers, 1);
        double[] errors = new double[genuine.size()];
        for (int i = 0; i < errors.length; i++) {
            errors[i] = unscaled.reconstructionError(genuine.x()[i]);
        }
        Arrays.sort(errors);
        int at = (int) Math.min(errors.length - 1, params.referenceQuantile() * errors.length);
        double reference = Math.max(errors[at], 1e-12);
        Autoencoder model =
                new Autoencoder(genuine.featureNames(), standardization, layers, reference);
        progress.accept(
                String.format(
                        "autoencoder: reference error %.5f (quantile %s of training rows)",
                        reference, params.referenceQuantile()));

        ToDoubleFunction<double[]> library =
                x -> {
                    INDArray r = network.output(Dl4jNetworks.row(standardization.apply(x)), false);
                    double error = 0;
                    int present = 0;
                    for (int j = 0; j < x.length; j++) {
                        if (Double.isFinite(x[j])) {
                            double d = standardization.apply(j, x[j]) - r.getDouble(0, j);
                            error += d * d;
                            present++;
                        }
                    }
                    error = present == 0 ? 0 : error / present;
                    return error / (error + reference);
                };
        double seconds = (System.nanoTime() - start) / 1e9;
        progress.accept(String.format("autoencoder: trained in %.1f s", seconds));
        return new Trained(model, library, seconds);
    }
}
