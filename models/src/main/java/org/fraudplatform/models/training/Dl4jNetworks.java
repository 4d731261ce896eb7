package org.fraudplatform.models.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.fraudplatform.models.runtime.Activation;
import org.fraudplatform.models.runtime.DenseLayer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * What the Deeplearning4j trainers share: building a feed-forward network, the seeded minibatch
 * loop, and reading the weights back into portable {@link DenseLayer}s.
 *
 * <p>Reproducibility: the configuration's seed fixes the weight initialisation, and the rows are
 * shuffled here with a {@link Random} from the same seed (not by ND4J), so a run depends on the
 * data, the parameters and the seed only.
 *
 * <p>ND4J runs single-threaded (set for the whole process on first use): these networks are tiny,
 * so a minibatch costs mostly call overhead, and with OpenMP's worker threads training was slower
 * and erratic (up to several times) whenever the two-core build machine was busy. One thread also
 * keeps the float arithmetic in one order.
 */
final class Dl4jNetworks {

    private static boolean singleThreaded;

    private Dl4jNetworks() {}

    /** Limits ND4J to one thread, once. */
    private static synchronized void singleThreaded() {
        if (!singleThreaded) {
            Nd4j.getEnvironment().setMaxThreads(1);
            Nd4j.getEnvironment().setMaxMasterThreads(1);
            NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(1);
            singleThreaded = true;
        }
    }

    /** Dense layers of {@code hidden} units and an output layer, float32, Adam, Xavier init. */
    static MultiLayerNetwork build(
            int inputs,
            List<Integer> hidden,
            Activation hiddenActivation,
            int outputs,
            Activation outputActivation,
            ILossFunction loss,
            double learningRate,
            double l2,
            long seed) {
        singleThreaded();
        NeuralNetConfiguration.ListBuilder layers =
                new NeuralNetConfiguration.Builder()
                        .seed(seed)
                        .dataType(DataType.FLOAT)
                        .updater(new Adam(learningRate))
                        .l2(l2)
                        .weightInit(WeightInit.XAVIER)
                        .list();
        int in = inputs;
        for (int units : hidden) {
            layers.layer(
                    new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder()
                            .nIn(in)
                            .nOut(units)
                            .activation(dl4j(hiddenActivation))
                            .build());
            in = units;
        }
        layers.layer(
                new OutputLayer.Builder(loss)
                        .nIn(in)
                        .nOut(outputs)
                        .activation(dl4j(outputActivation))
                        .build());
        MultiLayerConfiguration configuration = layers.build();
        MultiLayerNetwork network = new MultiLayerNetwork(configuration);
        network.init();
        return network;
    }

    /**
     * Minibatch training, rows shuffled each epoch; a progress line per epoch with the mean
     * minibatch loss.
     */
    static void fit(
            MultiLayerNetwork network,
            float[][] inputs,
            float[][] targets,
            int epochs,
            int batchSize,
            long seed,
            String name,
            Consumer<String> progress) {
        Random random = new Random(seed);
        int n = inputs.length;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int epoch = 1; epoch <= epochs; epoch++) {
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
            double loss = 0;
            int batches = 0;
            for (int start = 0; start < n; start += batchSize) {
                int size = Math.min(batchSize, n - start);
                float[][] x = new float[size][];
                float[][] y = new float[size][];
                for (int k = 0; k < size; k++) {
                    x[k] = inputs[order[start + k]];
                    y[k] = targets[order[start + k]];
                }
                network.fit(new DataSet(Nd4j.create(x), Nd4j.create(y)));
                loss += network.score();
                batches++;
            }
            progress.accept(
                    String.format(
                            "%s: epoch %d/%d, loss %.5f", name, epoch, epochs, loss / batches));
        }
    }

    /** A row as a 1 × n float matrix. */
    static INDArray row(double[] z) {
        float[][] values = new float[1][z.length];
        for (int j = 0; j < z.length; j++) {
            values[0][j] = (float) z[j];
        }
        return Nd4j.create(values);
    }

    /** A row as floats. */
    static float[] floats(double[] z) {
        float[] values = new float[z.length];
        for (int j = 0; j < z.length; j++) {
            values[j] = (float) z[j];
        }
        return values;
    }

    /**
     * The trained weights as portable layers. DL4J keeps a layer's {@code W} as {@code nIn × nOut}
     * and {@code b} as {@code 1 × nOut}; the portable layer wants {@code out × in}, row-major.
     */
    static List<DenseLayer> export(MultiLayerNetwork network, List<Activation> activations) {
        List<DenseLayer> layers = new ArrayList<>();
        for (int l = 0; l < network.getnLayers(); l++) {
            INDArray w = network.getLayer(l).getParam("W");
            INDArray b = network.getLayer(l).getParam("b");
            int in = (int) w.size(0);
            int out = (int) w.size(1);
            double[] weights = new double[in * out];
            double[] bias = new double[out];
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    weights[o * in + i] = w.getDouble(i, o);
                }
                bias[o] = b.getDouble(o);
            }
            layers.add(new DenseLayer(weights, bias, activations.get(l)));
        }
        return layers;
    }

    private static org.nd4j.linalg.activations.Activation dl4j(Activation activation) {
        switch (activation) {
            case IDENTITY:
                return org.nd4j.linalg.activations.Activation.IDENTITY;
            case RELU:
                return org.nd4j.linalg.activations.Activation.RELU;
            case TANH:
                return org.nd4j.linalg.activations.Activation.TANH;
            case SIGMOID:
                return org.nd4j.linalg.activations.Activation.SIGMOID;
            case SOFTMAX:
                return org.nd4j.linalg.activations.Activation.SOFTMAX;
            default:
                throw new IllegalArgumentException("unhandled activation " + activation);
        }
    }
}
