package org.blindspot.engine.model;

import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * A classifier computed by a DL4J {@link MultiLayerNetwork}: any layers DL4J runs (convolutions, pooling,
 * dense) ending in an {@code OutputLayer} with softmax and cross-entropy (MCXENT or NEGATIVELOGLIKELIHOOD).
 *
 * <p>Inputs are the engine's flat rows [B, m]. When the network takes images without a flattening
 * preprocessor (what DL4J's Keras import builds), each row is reshaped in C order to the example shape
 * given here, e.g. [H, W, C] for Keras' channels-last images: the row is the image flattened as Keras'
 * {@code Flatten} flattens it.
 *
 * <ul>
 *   <li>logits: the output layer's pre-softmax activation, h W + b, h being the (preprocessed) input
 *       of the output layer;</li>
 *   <li>loss: logsumexp(z) - z_t per row, computed from the logits;</li>
 *   <li>input gradient: the epsilon at the input from {@code calculateGradients}, the gradient of the
 *       summed loss (DL4J divides by the minibatch size in its updater, not in the loss), which for row b
 *       is d loss_b / d x_b.</li>
 * </ul>
 * {@code calculateGradients} runs its forward pass in training mode, so the network must hold no
 * dropout, weight noise or batch normalisation: {@link Dl4jNetworkConversion} removes the first two and
 * refuses the last.
 *
 * <p>Not thread-safe (DL4J keeps the input and activations in the network); {@link #castTo} gives a copy.
 */
public final class Dl4jClassifier implements Classifier {

    private final MultiLayerNetwork net;
    private final long[] exampleShape;
    private final int inputs;
    private final int classes;

    /**
     * @param net          an initialised network whose last layer is an {@code OutputLayer} with softmax and
     *                     cross-entropy, without dropout
     * @param exampleShape the shape one row is reshaped to (C order) before the network sees it, e.g.
     *                     {8, 8, 1}; {@code {m}} when the network takes flat rows
     */
    public Dl4jClassifier(MultiLayerNetwork net, long[] exampleShape) {
        Layer last = net.getLayer(net.getnLayers() - 1);
        if (!(last.conf().getLayer() instanceof OutputLayer output)
                || !(output.getActivationFn() instanceof ActivationSoftmax)
                || !(output.getLossFn() instanceof LossMCXENT)) {
            throw new IllegalArgumentException("net: the last layer must be an OutputLayer with softmax and "
                    + "MCXENT or NEGATIVELOGLIKELIHOOD, got " + last.conf().getLayer());
        }
        if (exampleShape.length == 0 || Arrays.stream(exampleShape).anyMatch(d -> d <= 0)) {
            throw new IllegalArgumentException("exampleShape: expected positive sizes, got "
                    + Arrays.toString(exampleShape));
        }
        this.net = net;
        this.exampleShape = exampleShape.clone();
        this.inputs = Math.toIntExact(Arrays.stream(exampleShape).reduce(1, (a, b) -> a * b));
        this.classes = Math.toIntExact(output.getNOut());
    }

    /** The network (its parameters are shared, not copied). */
    public MultiLayerNetwork network() {
        return net;
    }

    /** The shape one input row takes inside the network, e.g. [8, 8, 1] (H, W, C). */
    public long[] exampleShape() {
        return exampleShape.clone();
    }

    @Override
    public int inputSize() {
        return inputs;
    }

    @Override
    public int numClasses() {
        return classes;
    }

    @Override
    public DataType dataType() {
        return net.getLayerWiseConfigurations().getDataType();
    }

    /** A copy computing in {@code type} (FLOAT or DOUBLE), with its own parameters and state. */
    @Override
    public Dl4jClassifier castTo(DataType type) {
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("type: expected FLOAT or DOUBLE, got " + type);
        }
        MultiLayerNetwork copy = type == dataType() ? net.clone() : net.convertDataType(type);
        return new Dl4jClassifier(copy, exampleShape);
    }

    @Override
    public INDArray logits(INDArray x) {
        Classifier.checkInput(this, x);
        int last = net.getnLayers() - 1;
        INDArray h;
        if (last == 0) {
            h = shaped(x);
        } else {
            List<INDArray> activations = net.feedForwardToLayer(last - 1, shaped(x), false);
            h = activations.get(activations.size() - 1);
        }
        InputPreProcessor pre = net.getLayerWiseConfigurations().getInputPreProcess(last);
        if (pre != null) {
            h = pre.preProcess(h, (int) x.rows(), LayerWorkspaceMgr.noWorkspaces());
        }
        Layer output = net.getLayer(last);
        INDArray z = h.mmul(output.getParam("W"));
        INDArray b = output.getParam("b");
        return b == null ? z : z.addiRowVector(b);
    }

    @Override
    public INDArray lossAndInputGradient(INDArray x, int[] targets, INDArray gradInput) {
        Classifier.checkInput(this, x);
        Classifier.checkTargets(this, x, targets);
        if (gradInput.rank() != 2 || gradInput.rows() != x.rows() || gradInput.columns() != inputs) {
            throw new IllegalArgumentException("gradInput: expected shape [" + x.rows() + ", " + inputs + "], got "
                    + Arrays.toString(gradInput.shape()));
        }
        INDArray labels = Nd4j.zeros(dataType(), targets.length, classes);
        for (int b = 0; b < targets.length; b++) {
            labels.putScalar(b, targets[b], 1.0);
        }
        INDArray epsilon = net.calculateGradients(shaped(x), labels, null, null).getSecond();
        gradInput.assign(epsilon.reshape('c', x.rows(), inputs));
        net.clear();
        double[] z = logits(x).castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] loss = new double[targets.length];
        SoftmaxCrossEntropy.lossAndGradientInPlace(z, classes, targets, loss);
        return Nd4j.createFromArray(loss).castTo(dataType());
    }

    /** [B, m] to [B, exampleShape...] in C order (a view when {@code x} is C-ordered). */
    private INDArray shaped(INDArray x) {
        if (exampleShape.length == 1) {
            return x;
        }
        long[] shape = new long[exampleShape.length + 1];
        shape[0] = x.rows();
        System.arraycopy(exampleShape, 0, shape, 1, exampleShape.length);
        return x.reshape('c', shape);
    }
}
