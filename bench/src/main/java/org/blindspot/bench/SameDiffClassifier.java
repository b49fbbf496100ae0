package org.blindspot.bench;

import java.util.List;
import java.util.Map;
import org.blindspot.engine.model.Classifier;
import org.blindspot.engine.model.DenseLayer;
import org.blindspot.engine.model.DenseNetwork;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A {@link DenseNetwork} rebuilt as a SameDiff graph: the input and the one-hot labels are
 * placeholders, the weights are variables (copies), the per-row softmax cross-entropy is the output
 * {@value #LOSS} and its sum the loss variable, so the gradient of the sum with respect to the input
 * placeholder is d loss_b / d x_b row by row. The weights must be variables, not constants: M2.1
 * refuses to differentiate a graph with no trainable variable ("graph does not contain any trainable
 * SDVariables"), even when only the placeholder's gradient is asked for.
 *
 * <pre>
 *   input [B, m], labels [B, k] (placeholders)
 *   h_l = act(h_{l-1} W_l + b_l),  logits = h_{L-1} W_L + b_L
 *   loss [B] = softmaxCrossEntropy(labels, logits, reduce NONE),  total = sum(loss)
 * </pre>
 */
public final class SameDiffClassifier implements Classifier {

    static final String INPUT = "input";
    static final String LABELS = "labels";
    static final String LOGITS = "logits";
    static final String LOSS = "loss";

    private final SameDiff sd;
    private final int inputs;
    private final int classes;
    private final DataType type;

    /** Builds the graph with copies of {@code source}'s weights and biases. */
    public SameDiffClassifier(DenseNetwork source) {
        this.type = source.dataType();
        this.inputs = source.inputSize();
        this.classes = source.numClasses();
        sd = SameDiff.create();
        SDVariable h = sd.placeHolder(INPUT, type, -1, inputs);
        SDVariable labels = sd.placeHolder(LABELS, type, -1, classes);
        List<DenseLayer> layers = source.layers();
        for (int l = 0; l < layers.size(); l++) {
            DenseLayer layer = layers.get(l);
            SDVariable w = sd.var("w" + l, layer.weights().castTo(type).dup());
            SDVariable b = sd.var("b" + l, layer.bias().castTo(type).dup());
            SDVariable z = h.mmul(w).add(b);
            h = switch (layer.activation()) {
                case SIGMOID -> sd.nn.sigmoid(z);
                case RELU -> sd.nn.relu(z, 0.0);
                case TANH -> sd.math.tanh(z);
                case IDENTITY -> z;
            };
        }
        h.rename(LOGITS);
        SDVariable loss = sd.loss.softmaxCrossEntropy(LOSS, labels, h, null, LossReduce.NONE, 0.0);
        SDVariable total = loss.sum("total");
        sd.setLossVariables(total);
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
        return type;
    }

    @Override
    public INDArray logits(INDArray x) {
        return sd.output(Map.of(INPUT, x), LOGITS).get(LOGITS);
    }

    @Override
    public INDArray lossAndInputGradient(INDArray x, int[] targets, INDArray gradInput) {
        INDArray labels = OneHot.of(targets, classes, type);
        OutAndGrad result = sd.calculateGradientsAndOutputs(Map.of(INPUT, x, LABELS, labels), List.of(LOSS),
                List.of(INPUT));
        gradInput.assign(result.getGradients().get(INPUT));
        return result.getOutputs().get(LOSS).reshape(targets.length);
    }
}
