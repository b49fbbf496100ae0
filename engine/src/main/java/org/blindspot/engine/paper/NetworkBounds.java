package org.blindspot.engine.paper;

import java.util.ArrayList;
import java.util.List;
import org.blindspot.engine.model.Dl4jClassifier;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Section 4.3's per-layer upper bounds for a network the engine runs through DL4J ({@link Dl4jClassifier}:
 * convolutional models from ONNX, Keras or DL4J files).
 *
 * <ul>
 *   <li>convolution: the DFT bound of {@link ConvolutionBound} on a periodic grid that contains the layer's
 *       (zero-padded, possibly strided) operator: side {@code max(H, W) + 2 pad + k - 1}, rounded up to a multiple
 *       of the stride, so the bound holds for the layer as DL4J computes it; times the activation's slope;</li>
 *   <li>max or average pooling over windows, zero padding, dropout (off in inference): 1;</li>
 *   <li>dense and output layers: the largest singular value of W (the output's softmax is not part of the
 *       logits) times the activation's slope;</li>
 *   <li>activation layers: the activation's slope (1 for ReLU and tanh, 1/4 for the sigmoid).</li>
 * </ul>
 * Layers of any other kind make the call fail with an {@link IllegalArgumentException} naming them.
 */
public final class NetworkBounds {

    private NetworkBounds() {
    }

    /** Every layer's bound, in order. */
    public static List<SpectralBounds.Layer> of(Dl4jClassifier classifier, long seed) {
        MultiLayerNetwork net = classifier.castTo(DataType.FLOAT).network();
        INDArray example = Nd4j.zeros(DataType.FLOAT, 1, classifier.inputSize());
        List<INDArray> activations = net.feedForward(reshaped(example, classifier.exampleShape()), false);
        List<SpectralBounds.Layer> layers = new ArrayList<>();
        for (int l = 0; l < net.getnLayers(); l++) {
            Layer conf = net.getLayer(l).conf().getLayer();
            INDArray input = activations.get(l);
            InputPreProcessor preProcessor = net.getLayerWiseConfigurations().getInputPreProcess(l);
            if (preProcessor != null) {
                input = preProcessor.preProcess(input, 1, LayerWorkspaceMgr.noWorkspaces());
            }
            INDArray weights = net.getLayer(l).numParams() > 0 ? net.getLayer(l).getParam("W") : null;
            layers.add(bound(l + 1, conf, weights, input, activations.get(l + 1), seed + l));
        }
        return layers;
    }

    private static SpectralBounds.Layer bound(int index, Layer conf, INDArray weights, INDArray input, INDArray output,
                                              long seed) {
        if (conf instanceof ConvolutionLayer conv && conv.getClass() == ConvolutionLayer.class) {
            long[] kernelShape = weights.shape();
            double[][][][] kernel = kernel(weights);
            int stride = conv.getStride()[0];
            if (conv.getStride()[1] != stride || conv.getDilation()[0] != 1 || conv.getDilation()[1] != 1) {
                throw new IllegalArgumentException("layer " + index + ": the bound needs equal strides and no"
                        + " dilation, got stride " + java.util.Arrays.toString(conv.getStride()));
            }
            int pad = Math.max(conv.getPadding()[0], conv.getPadding()[1]);
            long k = Math.max(kernelShape[2], kernelShape[3]);
            long side = inputSide(conv, input, output, stride, pad, k);
            int grid = (int) (side + 2L * pad + k - 1);
            grid = (grid + stride - 1) / stride * stride;
            double sigma = ConvolutionBound.norm(kernel, grid, stride);
            double slope = slope(index, conv.getActivationFn());
            String shape = String.format(java.util.Locale.ROOT, "conv %d->%d %dx%d stride %d", kernelShape[1],
                    kernelShape[0], kernelShape[2], kernelShape[3], stride);
            return new SpectralBounds.Layer(index, shape, sigma, slope, sigma * slope);
        }
        if (conf instanceof SubsamplingLayer || conf instanceof ZeroPaddingLayer || conf instanceof DropoutLayer) {
            return new SpectralBounds.Layer(index, conf.getClass().getSimpleName(), 1, 1, 1);
        }
        if (conf instanceof ActivationLayer activation) {
            double slope = slope(index, activation.getActivationFn());
            return new SpectralBounds.Layer(index, "activation", 1, slope, slope);
        }
        if (conf instanceof FeedForwardLayer dense && weights != null && weights.rank() == 2) {
            double sigma = SpectralBounds.largestSingularValue(weights.castTo(DataType.DOUBLE).toDoubleMatrix(), seed);
            double slope = conf instanceof OutputLayer ? 1 : slope(index, ((BaseLayer) conf).getActivationFn());
            return new SpectralBounds.Layer(index, dense.getNIn() + "x" + dense.getNOut(), sigma, slope, sigma * slope);
        }
        throw new IllegalArgumentException("layer " + index + " (" + conf.getClass().getSimpleName() + "): no"
                + " Lipschitz bound for this kind of layer");
    }

    /**
     * The larger side of the layer's input image: read off the input when it is an image, otherwise the largest
     * side that gives the output's size (an upper estimate is enough: a larger periodic grid still contains the
     * operator).
     */
    private static long inputSide(ConvolutionLayer conv, INDArray input, INDArray output, int stride, int pad, long k) {
        boolean channelsLast = conv.getCnn2dDataFormat() == CNN2DFormat.NHWC;
        if (input.rank() == 4) {
            return Math.max(input.size(channelsLast ? 1 : 2), input.size(channelsLast ? 2 : 3));
        }
        long out = Math.max(output.size(channelsLast ? 1 : 2), output.size(channelsLast ? 2 : 3));
        return out * stride + k - 2L * pad - 1;
    }

    private static double slope(int index, IActivation activation) {
        if (activation instanceof ActivationReLU || activation instanceof ActivationTanH
                || activation instanceof ActivationIdentity || activation instanceof ActivationSoftmax) {
            return 1;
        }
        if (activation instanceof ActivationSigmoid) {
            return 0.25;
        }
        throw new IllegalArgumentException("layer " + index + ": no Lipschitz constant for " + activation);
    }

    private static double[][][][] kernel(INDArray weights) {
        long[] s = weights.shape();
        double[][][][] k = new double[(int) s[0]][(int) s[1]][(int) s[2]][(int) s[3]];
        INDArray w = weights.castTo(DataType.DOUBLE);
        for (int o = 0; o < s[0]; o++) {
            for (int c = 0; c < s[1]; c++) {
                for (int a = 0; a < s[2]; a++) {
                    for (int b = 0; b < s[3]; b++) {
                        k[o][c][a][b] = w.getDouble(o, c, a, b);
                    }
                }
            }
        }
        return k;
    }

    private static INDArray reshaped(INDArray row, long[] exampleShape) {
        if (exampleShape.length == 1) {
            return row;
        }
        long[] shape = new long[exampleShape.length + 1];
        shape[0] = 1;
        System.arraycopy(exampleShape, 0, shape, 1, exampleShape.length);
        return row.reshape('c', shape);
    }
}
