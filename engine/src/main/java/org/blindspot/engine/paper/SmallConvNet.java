package org.blindspot.engine.paper;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.blindspot.engine.data.Dataset;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Section 4.3 on a convolutional network: a small MNIST net (5x5 convolution with 16 channels and ReLU, 2x2
 * max-pooling, a 100-unit ReLU layer, softmax output) trained here with DeepLearning4J's layers, and the upper
 * Lipschitz bound of each of its layers.
 *
 * <p>The convolution is "valid" (28x28 to 24x24). Its operator is the restriction of the periodic convolution
 * on a 32x32 grid (28 + 5 - 1: the input zero-padded, the output cropped), so the DFT bound of
 * {@link ConvolutionBound} on that grid bounds it from above; the report gives both that bound and the valid
 * operator's own norm by power iteration. Max-pooling over disjoint windows is 1-Lipschitz; ReLU too.
 */
public final class SmallConvNet {

    /** Channels of the convolution. */
    static final int CHANNELS = 16;
    /** Kernel size of the convolution. */
    static final int KERNEL = 5;
    /** Units of the hidden dense layer. */
    static final int HIDDEN = 100;

    /** Receives the number of minibatches done and the last minibatch's loss. */
    public interface Progress {
        void minibatch(long done, double loss);
    }

    /** The trained network and its test error. */
    public record Trained(MultiLayerNetwork network, double testError) {
    }

    private SmallConvNet() {
    }

    /**
     * Trains the network with Adam (learning rate 1e-3, minibatches of 128).
     *
     * @param progress called after every minibatch
     */
    public static Trained train(Dataset train, Dataset test, int epochs, long seed, Progress progress) {
        if (train.height() * train.width() != train.inputSize() || train.height() != train.width()) {
            throw new IllegalArgumentException("the convolutional net needs square single-channel images, got "
                    + train.inputSize() + " features of " + train.height() + "x" + train.width());
        }
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(train.height(), train.width(), seed));
        net.init();
        INDArray features = train.features(DataType.FLOAT);
        INDArray labels = train.oneHot(DataType.FLOAT);
        int n = train.count();
        int batch = 128;
        Random random = new Random(seed);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        long done = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int from = 0; from < n; from += batch) {
                int[] rows = java.util.Arrays.copyOfRange(order, from, Math.min(n, from + batch));
                net.fit(new DataSet(Nd4j.pullRows(features, 1, rows), Nd4j.pullRows(labels, 1, rows)));
                progress.minibatch(++done, net.score());
            }
        }
        return new Trained(net, testError(net, test));
    }

    /** Minibatches {@link #train} runs. */
    public static long steps(int images, int epochs) {
        return (long) epochs * ((images + 127) / 128);
    }

    /**
     * The layers' bounds: the convolution (DFT bound on the 32x32 periodic grid, ReLU slope 1), the pooling (1),
     * the hidden layer and the logits layer (largest singular value of W).
     */
    public static List<SpectralBounds.Layer> bounds(MultiLayerNetwork net, int height, long seed) {
        List<SpectralBounds.Layer> layers = new ArrayList<>();
        double[][][][] kernel = kernel(net);
        double conv = ConvolutionBound.norm(kernel, height + KERNEL - 1, 1);
        layers.add(new SpectralBounds.Layer(1, "conv 1->" + kernel.length + " " + KERNEL + "x" + KERNEL, conv, 1,
                conv));
        layers.add(new SpectralBounds.Layer(2, "max-pool 2x2", 1, 1, 1));
        for (int l = 2; l <= 3; l++) {
            INDArray w = net.getLayer(l).getParam("W");
            double sigma = SpectralBounds.largestSingularValue(w.castTo(DataType.DOUBLE).toDoubleMatrix(), seed + l);
            layers.add(new SpectralBounds.Layer(l + 1, w.rows() + "x" + w.columns(), sigma, 1, sigma));
        }
        return layers;
    }

    /** The norm of the valid convolution itself, by power iteration (at most the periodic bound). */
    public static double validConvolutionNorm(MultiLayerNetwork net, int height, long seed) {
        return ConvolutionBound.validPowerIteration(kernel(net), height, 300, seed);
    }

    /** The convolution's kernel as [Cout][Cin][kh][kw]. */
    static double[][][][] kernel(MultiLayerNetwork net) {
        INDArray w = net.getLayer(0).getParam("W").castTo(DataType.DOUBLE);
        long[] shape = w.shape();
        double[][][][] k = new double[(int) shape[0]][(int) shape[1]][(int) shape[2]][(int) shape[3]];
        for (int o = 0; o < shape[0]; o++) {
            for (int c = 0; c < shape[1]; c++) {
                for (int a = 0; a < shape[2]; a++) {
                    for (int b = 0; b < shape[3]; b++) {
                        k[o][c][a][b] = w.getDouble(o, c, a, b);
                    }
                }
            }
        }
        return k;
    }

    private static MultiLayerConfiguration configuration(int height, int width, long seed) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(1e-3))
                .weightInit(WeightInit.RELU)
                .list()
                .layer(new ConvolutionLayer.Builder(KERNEL, KERNEL).nIn(1).nOut(CHANNELS).stride(1, 1)
                        .activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nOut(HIDDEN)
                        .activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(height, width, 1))
                .build();
    }

    private static double testError(MultiLayerNetwork net, Dataset test) {
        INDArray features = test.features(DataType.FLOAT);
        int wrong = 0;
        for (int from = 0; from < test.count(); from += 1000) {
            int to = Math.min(test.count(), from + 1000);
            INDArray predicted = net.output(features.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to),
                    org.nd4j.linalg.indexing.NDArrayIndex.all())).argMax(1);
            for (int i = from; i < to; i++) {
                wrong += predicted.getInt(i - from) == test.label(i) ? 0 : 1;
            }
        }
        return (double) wrong / test.count();
    }
}
