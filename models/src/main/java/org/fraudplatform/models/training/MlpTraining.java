package org.fraudplatform.models.training;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.fraudplatform.models.runtime.Activation;
import org.fraudplatform.models.runtime.DenseNetwork;
import org.fraudplatform.models.runtime.Standardization;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * A multilayer perceptron with Deeplearning4j: standardized inputs (0 when missing), dense hidden
 * layers, a two-unit softmax output (genuine, fraud) under cross-entropy, Adam, shuffled
 * minibatches; exported to a {@link DenseNetwork}.
 *
 * <p>Imbalance: a weighted loss, the fraud class weighted {@link
 * TrainingData#balancedFraudWeight()} (genuine rows per fraud) in {@link LossMCXENT}, so both
 * classes weigh the same in every epoch without repeating rows.
 */
final class MlpTraining {

    private MlpTraining() {}

    static Trained train(
            TrainingData data, MlpParams params, long seed, Consumer<String> progress) {
        long start = System.nanoTime();
        double fraudWeight = data.balancedFraudWeight();
        Standardization standardization = Standardization.fit(data.x(), data.features());
        float[][] inputs = new float[data.size()][];
        float[][] targets = new float[data.size()][];
        for (int i = 0; i < data.size(); i++) {
            inputs[i] = Dl4jNetworks.floats(standardization.apply(data.x()[i]));
            targets[i] = data.y()[i] == 1 ? new float[] {0, 1} : new float[] {1, 0};
        }
        progress.accept(
                String.format(
                        "mlp: %d rows, %d frauds (loss weight %.1f), hidden %s %s",
                        data.size(),
                        data.frauds(),
                        fraudWeight,
                        params.hidden(),
                        params.activation().jsonName()));
        MultiLayerNetwork network =
                Dl4jNetworks.build(
                        data.features(),
                        params.hidden(),
                        params.activation(),
                        2,
                        Activation.SOFTMAX,
                        new LossMCXENT(Nd4j.createFromArray(1f, (float) fraudWeight)),
                        params.learningRate(),
                        params.l2(),
                        seed);
        Dl4jNetworks.fit(
                network,
                inputs,
                targets,
                params.epochs(),
                params.batchSize(),
                seed,
                "mlp",
                progress);

        List<Activation> activations = new ArrayList<>();
        params.hidden().forEach(units -> activations.add(params.activation()));
        activations.add(Activation.SOFTMAX);
        DenseNetwork model =
                new DenseNetwork(
                        data.featureNames(),
                        standardization,
                        Dl4jNetworks.export(network, activations));
        ToDoubleFunction<double[]> library =
                x ->
                        network.output(Dl4jNetworks.row(standardization.apply(x)), false)
                                .getDouble(0, 1);
        double seconds = (System.nanoTime() - start) / 1e9;
        progress.accept(String.format("mlp: trained in %.1f s", seconds));
        return new Trained(model, library, seconds);
    }
}
