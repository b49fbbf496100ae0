package org.blindspot.engine.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.blindspot.engine.io.BadDataException;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.ComposableInputPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.preprocessors.KerasFlattenRnnPreprocessor;
import org.deeplearning4j.preprocessors.ReshapePreprocessor;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * Turns a DL4J network into a classifier the engine attacks, for the DL4J zip ({@link Dl4jImport}) and
 * Keras ({@link KerasImport}) paths: a chain of dense layers becomes a {@link DenseNetwork} (float32,
 * computed by hand); a chain holding convolutions or pooling is handed to {@link Dl4jNetworkConversion},
 * which gives a {@link Dl4jClassifier} computed by DL4J.
 *
 * <p>Accepted for a dense network, input first:
 * <ul>
 *   <li>{@code DenseLayer} and a final {@code OutputLayer}, weights "W" [in, out] and bias "b" [1, out]
 *       (no bias: zeros), activation sigmoid, relu (plain: no cap, threshold or leak), tanh or identity;</li>
 *   <li>{@code ActivationLayer} (a Keras {@code Activation}) after a layer without activation: folded
 *       into that layer;</li>
 *   <li>{@code DropoutLayer}, and dropout on any layer: ignored (inference);</li>
 *   <li>softmax only at the end (a last layer's activation, an {@code OutputLayer} with cross-entropy
 *       loss MCXENT or NEGATIVELOGLIKELIHOOD, a trailing {@code ActivationLayer} or {@code LossLayer}):
 *       dropped, so that the network gives logits as the engine's classifiers do;</li>
 *   <li>input preprocessors that flatten as Keras's {@code Flatten} does (row-major, channels last).</li>
 * </ul>
 * A {@link ComputationGraph} is accepted when it is such a chain: one input, one output, every vertex a
 * layer fed by the previous one (a preprocessor vertex, such as Keras' {@code Flatten}, is applied by the
 * layer after it). Anything else (batch normalisation, recurrent layers, merges, other
 * preprocessors) is a {@link BadDataException} naming the layer.
 */
public final class Dl4jDenseConversion {

    /** What the engine runs, for messages. */
    static final String DENSE_ONLY = "the engine runs dense networks: dense layers with sigmoid, relu, "
            + "tanh or no activation, softmax only at the end, dropout ignored; and convolutional ones: "
            + Dl4jNetworkConversion.LAYERS;

    private Dl4jDenseConversion() {
    }

    /** One step of the chain: a DL4J layer's configuration, its parameters and its input preprocessor. */
    record Step(int index, String name, String origin, Layer conf, Map<String, INDArray> params,
                        InputPreProcessor pre) {

        /** "layer 2 'dense_1' (DenseLayer)", or "(Keras Conv2D, DL4J ConvolutionLayer)" when imported. */
        String describe() {
            String type = conf.getClass().getSimpleName();
            return "layer " + index + (name == null ? "" : " '" + name + "'") + " ("
                    + (origin == null ? type : origin + ", DL4J " + type) + ")";
        }
    }

    /** A dense layer under construction; softmax is allowed only until the chain ends. */
    private static final class Pending {
        final Step step;
        final INDArray weights;
        final INDArray bias;
        Activation activation;
        boolean softmax;

        Pending(Step step, INDArray weights, INDArray bias, Activation activation, boolean softmax) {
            this.step = step;
            this.weights = weights;
            this.bias = bias;
            this.activation = activation;
            this.softmax = softmax;
        }
    }

    /**
     * Converts a multi-layer network: a {@link DenseNetwork} when it is a chain of dense layers, a
     * {@link Dl4jClassifier} when it holds convolutions or pooling (its input must then be flat, e.g.
     * {@code InputType.convolutionalFlat}).
     *
     * @param source file name for error messages
     * @throws BadDataException when a layer is not one the engine runs
     */
    public static Classifier fromMultiLayer(String source, MultiLayerNetwork network) {
        return fromMultiLayer(source, network, Map.of(), null);
    }

    /**
     * {@link #fromMultiLayer(String, MultiLayerNetwork)}, naming layers by their origin (layer name to
     * "Keras Dense").
     *
     * @param exampleShape the shape of one input of a network that takes images without a flattening
     *                     preprocessor (Keras: [H, W, C]), or null when not known
     */
    static Classifier fromMultiLayer(String source, MultiLayerNetwork network, Map<String, String> origins,
                                     long[] exampleShape) {
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations();
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < network.getnLayers(); i++) {
            Layer layer = conf.getConf(i).getLayer();
            steps.add(new Step(i, layer.getLayerName(), origins.get(layer.getLayerName()), layer, network.getLayer(i).paramTable(),
                    conf.getInputPreProcess(i)));
        }
        return convert(source, steps, exampleShape);
    }

    /**
     * Converts a computation graph that is a chain of layers (one input, one output, every vertex fed by
     * the one before).
     *
     * @param source file name for error messages
     * @throws BadDataException when the graph is not a chain or a layer is not one the engine runs
     */
    public static Classifier fromGraph(String source, ComputationGraph graph) {
        return fromGraph(source, graph, Map.of(), null);
    }

    /**
     * {@link #fromGraph(String, ComputationGraph)}, naming layers by their origin (layer name to "Keras Dense").
     *
     * @param exampleShape as for {@link #fromMultiLayer(String, MultiLayerNetwork, Map, long[])}
     */
    static Classifier fromGraph(String source, ComputationGraph graph, Map<String, String> origins,
                                long[] exampleShape) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1) {
            throw new BadDataException(source, "the graph has inputs " + conf.getNetworkInputs() + " and outputs "
                    + conf.getNetworkOutputs() + ": " + DENSE_ONLY + ", one input, one output");
        }
        Map<String, List<String>> consumers = new HashMap<>();
        for (Map.Entry<String, List<String>> entry : conf.getVertexInputs().entrySet()) {
            if (entry.getValue().size() != 1) {
                throw new BadDataException(source, "vertex '" + entry.getKey() + "' takes inputs " + entry.getValue()
                        + ": " + DENSE_ONLY + ", as a chain of layers without merges");
            }
            consumers.computeIfAbsent(entry.getValue().get(0), k -> new ArrayList<>()).add(entry.getKey());
        }
        List<Step> steps = new ArrayList<>();
        InputPreProcessor pending = null;
        int folded = 0;
        String current = conf.getNetworkInputs().get(0);
        while (consumers.containsKey(current)) {
            List<String> next = consumers.get(current);
            if (next.size() != 1) {
                throw new BadDataException(source, "'" + current + "' feeds " + next + ": " + DENSE_ONLY
                        + ", as a chain of layers without branches");
            }
            current = next.get(0);
            GraphVertex vertex = conf.getVertices().get(current);
            if (vertex instanceof PreprocessorVertex preprocessor && preprocessor.getPreProcessor() != null) {
                pending = pending == null ? preprocessor.getPreProcessor()
                        : new ComposableInputPreProcessor(pending, preprocessor.getPreProcessor());
                folded++;
                continue;   // e.g. Keras' Flatten: applied by the next layer
            }
            if (!(vertex instanceof LayerVertex layerVertex)) {
                throw new BadDataException(source, "vertex " + steps.size() + " '" + current + "' is a "
                        + vertex.getClass().getSimpleName() + ": " + DENSE_ONLY);
            }
            Layer layer = layerVertex.getLayerConf().getLayer();
            InputPreProcessor pre = layerVertex.getPreProcessor();
            if (pending != null) {
                pre = pre == null ? pending : new ComposableInputPreProcessor(pending, pre);
                pending = null;
            }
            steps.add(new Step(steps.size(), current, origins.get(current), layer, graph.getLayer(current).paramTable(),
                    pre));
        }
        if (!current.equals(conf.getNetworkOutputs().get(0)) || pending != null
                || steps.size() + folded != conf.getVertices().size()) {
            throw new BadDataException(source, "the graph is not a chain from '" + conf.getNetworkInputs().get(0)
                    + "' to '" + conf.getNetworkOutputs().get(0) + "': " + DENSE_ONLY);
        }
        return convert(source, steps, exampleShape);
    }

    private static Classifier convert(String source, List<Step> steps, long[] exampleShape) {
        if (steps.stream().anyMatch(step -> Dl4jNetworkConversion.isSpatial(step.conf()))) {
            return Dl4jNetworkConversion.convert(source, steps, exampleShape);
        }
        return dense(source, steps);
    }

    private static DenseNetwork dense(String source, List<Step> steps) {
        List<Pending> layers = new ArrayList<>();
        boolean ended = false;
        for (Step step : steps) {
            Layer conf = step.conf();
            if (!isAccepted(conf)) {
                throw new BadDataException(source, step.describe() + ": " + DENSE_ONLY);
            }
            if (step.pre() != null && !isFlattening(step.pre())) {
                throw new BadDataException(source, step.describe() + " reshapes its input with "
                        + step.pre() + ": " + DENSE_ONLY + ", on flat inputs");
            }
            if (conf instanceof DropoutLayer) {
                continue;
            }
            boolean dense = conf instanceof org.deeplearning4j.nn.conf.layers.DenseLayer || conf instanceof OutputLayer;
            IActivation fn = dense ? null : conf instanceof ActivationLayer a ? a.getActivationFn()
                    : ((LossLayer) conf).getActivationFn();
            if (ended) {
                if (fn instanceof ActivationIdentity) {
                    continue;   // e.g. the loss layer Keras import adds after a softmax Dense
                }
                throw new BadDataException(source, step.describe() + " follows the softmax: " + DENSE_ONLY);
            }
            if (dense) {
                layers.add(dense(source, step));
                ended = layers.get(layers.size() - 1).softmax || conf instanceof OutputLayer;
            } else {
                ended = applyActivation(source, step, layers, fn) || conf instanceof LossLayer;
            }
        }
        if (layers.isEmpty()) {
            throw new BadDataException(source, "no dense layer: " + DENSE_ONLY);
        }
        List<DenseLayer> network = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            Pending p = layers.get(l);
            boolean last = l == layers.size() - 1;
            if (p.softmax && !last) {
                throw new BadDataException(source, p.step.describe() + " applies softmax before other layers: "
                        + DENSE_ONLY);
            }
            if (last && p.activation != Activation.IDENTITY) {
                throw new BadDataException(source, "the last layer, " + p.step.describe() + ", applies "
                        + p.activation.id() + ": the engine needs logits, a last layer with softmax or no activation");
            }
            if (l > 0 && p.weights.rows() != layers.get(l - 1).weights.columns()) {
                throw new BadDataException(source, p.step.describe() + " takes " + p.weights.rows()
                        + " inputs but the layer before gives " + layers.get(l - 1).weights.columns());
            }
            network.add(new DenseLayer(p.weights, p.bias, p.activation, 0, true));
        }
        return new DenseNetwork(network);
    }

    /**
     * True for a preprocessor that flattens the input the way Keras's {@code Flatten} does (row-major,
     * channels last), so that the engine's flat input is the Keras input flattened in C order: a reshape
     * to one dimension (Flatten of a flat input), Keras's flatten of a [steps, features] input, and
     * DL4J's flatten of an NHWC image. KerasImportTest checks the logits of the last two against NumPy.
     */
    private static boolean isFlattening(InputPreProcessor pre) {
        if (pre instanceof ReshapePreprocessor reshape) {
            int start = reshape.isHasMiniBatchDimension() ? 1 : 0;
            return reshape.getTargetShape().length - start == 1;
        }
        if (pre instanceof CnnToFeedForwardPreProcessor cnn) {
            return cnn.getFormat() == CNN2DFormat.NHWC;
        }
        return pre instanceof KerasFlattenRnnPreprocessor;
    }

    private static boolean isAccepted(Layer conf) {
        return conf instanceof org.deeplearning4j.nn.conf.layers.DenseLayer || conf instanceof OutputLayer
                || conf instanceof ActivationLayer || conf instanceof LossLayer || conf instanceof DropoutLayer;
    }

    private static Pending dense(String source, Step step) {
        Set<String> names = step.params().keySet();
        if (!names.contains("W") || !Set.of("W", "b").containsAll(names)) {
            throw new BadDataException(source, step.describe() + " has parameters " + names
                    + ", expected W and b (no layer normalisation): " + DENSE_ONLY);
        }
        INDArray w = floats(source, step, "W", step.params().get("W"));
        if (w.rank() != 2) {
            throw new BadDataException(source, step.describe() + " has weights of shape " + Arrays.toString(w.shape())
                    + ", expected [in, out]");
        }
        INDArray b = names.contains("b") ? floats(source, step, "b", step.params().get("b"))
                : Nd4j.zeros(DataType.FLOAT, 1, w.columns());
        if (b.length() != w.columns()) {
            throw new BadDataException(source, step.describe() + " has a bias of shape " + Arrays.toString(b.shape())
                    + " for " + w.columns() + " units");
        }
        b = b.reshape('c', 1, w.columns());
        IActivation fn = ((BaseLayer) step.conf()).getActivationFn();
        if (step.conf() instanceof OutputLayer output) {
            ILossFunction loss = output.getLossFn();
            if (fn instanceof ActivationSoftmax && !(loss instanceof LossMCXENT)) {
                throw new BadDataException(source, step.describe() + " has softmax with loss "
                        + loss.getClass().getSimpleName() + ": the engine's classifiers are trained with cross-entropy "
                        + "(MCXENT or NEGATIVELOGLIKELIHOOD) or give logits (identity)");
            }
            if (!(fn instanceof ActivationSoftmax) && !(fn instanceof ActivationIdentity)) {
                throw new BadDataException(source, step.describe() + " has activation " + fn
                        + ": an output layer must give softmax probabilities or logits (identity)");
            }
        }
        if (fn instanceof ActivationSoftmax) {
            return new Pending(step, w, b, Activation.IDENTITY, true);
        }
        return new Pending(step, w, b, hidden(source, step, fn), false);
    }

    /** Folds an ActivationLayer or LossLayer into the previous dense layer; true if it was a softmax. */
    private static boolean applyActivation(String source, Step step, List<Pending> layers, IActivation fn) {
        if (fn instanceof ActivationIdentity) {
            return false;
        }
        if (layers.isEmpty()) {
            throw new BadDataException(source, step.describe() + " applies " + fn + " to the input: " + DENSE_ONLY);
        }
        Pending previous = layers.get(layers.size() - 1);
        if (previous.activation != Activation.IDENTITY || previous.softmax) {
            throw new BadDataException(source, step.describe() + " applies " + fn + " after "
                    + previous.step.describe() + " already applies " + (previous.softmax ? "softmax"
                    : previous.activation.id()) + ": the engine applies one activation per dense layer");
        }
        if (fn instanceof ActivationSoftmax) {
            previous.softmax = true;
            return true;
        }
        previous.activation = hidden(source, step, fn);
        return false;
    }

    private static Activation hidden(String source, Step step, IActivation fn) {
        if (fn instanceof ActivationSigmoid) {
            return Activation.SIGMOID;
        }
        if (fn instanceof ActivationTanH) {
            return Activation.TANH;
        }
        if (fn instanceof ActivationIdentity) {
            return Activation.IDENTITY;
        }
        if (fn instanceof ActivationReLU relu && isPlain(relu)) {
            return Activation.RELU;
        }
        throw new BadDataException(source, step.describe() + " has activation " + fn
                + ": the engine supports sigmoid, relu, tanh and identity in hidden layers");
    }

    private static boolean isPlain(ActivationReLU relu) {
        return (relu.getMax() == null || Double.isInfinite(relu.getMax()))
                && (relu.getThreshold() == null || relu.getThreshold() == 0)
                && (relu.getNegativeSlope() == null || relu.getNegativeSlope() == 0);
    }

    /** A float32 C-order copy of a parameter, checked finite. */
    private static INDArray floats(String source, Step step, String param, INDArray value) {
        INDArray copy = value.castTo(DataType.FLOAT).dup('c');
        float[] values = copy.data().asFloat();
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new BadDataException(source, step.describe() + " parameter " + param
                        + " holds a non-finite value (" + values[i] + ") at flat index " + i);
            }
        }
        return copy;
    }
}
