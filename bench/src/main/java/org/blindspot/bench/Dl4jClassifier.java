package org.blindspot.bench;

import org.blindspot.engine.model.Classifier;
import org.blindspot.engine.model.DenseLayer;
import org.blindspot.engine.model.DenseNetwork;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A {@link DenseNetwork} rebuilt as a DL4J {@link MultiLayerNetwork} with copies of its weights:
 * dense sigmoid (or relu, tanh) hidden layers, a softmax output layer with multi-class cross-entropy.
 *
 * <p>The input gradient comes from {@code calculateGradients(x, labels, null, null).getSecond()},
 * d(summed loss)/dx, which per row is d loss_b / d x_b; DL4J computes the weight gradients too and
 * gives no per-row loss, so {@code scoreExamples} runs a second forward pass for it.
 */
public final class Dl4jClassifier implements Classifier {

    private final MultiLayerNetwork net;
    private final int inputs;
    private final int classes;
    private final DataType type;

    /** Builds the DL4J network and copies {@code source}'s weights and biases into it. */
    public Dl4jClassifier(DenseNetwork source) {
        this.type = source.dataType();
        this.inputs = source.inputSize();
        this.classes = source.numClasses();
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .dataType(type)
                .list();
        int n = source.layers().size();
        for (int l = 0; l < n; l++) {
            DenseLayer layer = source.layers().get(l);
            if (l + 1 < n) {
                list.layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder()
                        .nIn(layer.in()).nOut(layer.out()).activation(activation(layer)).build());
            } else {
                list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(layer.in()).nOut(layer.out()).activation(Activation.SOFTMAX).build());
            }
        }
        MultiLayerConfiguration conf = list.build();
        net = new MultiLayerNetwork(conf);
        net.init();
        for (int l = 0; l < n; l++) {
            DenseLayer layer = source.layers().get(l);
            net.getLayer(l).setParam("W", layer.weights().castTo(type).dup());
            net.getLayer(l).setParam("b", layer.bias().castTo(type).dup());
        }
    }

    private static Activation activation(DenseLayer layer) {
        return switch (layer.activation()) {
            case SIGMOID -> Activation.SIGMOID;
            case RELU -> Activation.RELU;
            case TANH -> Activation.TANH;
            case IDENTITY -> Activation.IDENTITY;
        };
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

    /** Logits are not exposed by a softmax output layer: this returns log-probabilities, [B, k]. */
    @Override
    public INDArray logits(INDArray x) {
        return org.nd4j.linalg.ops.transforms.Transforms.log(net.output(x, false), false);
    }

    @Override
    public INDArray lossAndInputGradient(INDArray x, int[] targets, INDArray gradInput) {
        INDArray labels = OneHot.of(targets, classes, type);
        Pair<Gradient, INDArray> gradients = net.calculateGradients(x, labels, null, null);
        gradInput.assign(gradients.getSecond());
        return net.scoreExamples(new DataSet(x, labels), false).reshape(targets.length);
    }
}
