package org.blindspot.engine.model.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.blindspot.engine.io.BadDataException;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Imports a convolutional classifier from an ONNX file (as {@code torch.onnx.export} writes a
 * {@code nn.Sequential} of Conv2d, MaxPool2d, ReLU/Sigmoid/Tanh, Flatten and Linear layers) into a
 * DeepLearning4J {@link MultiLayerNetwork} with the same weights, which the engine attacks through
 * its DL4J-backed classifier (the engine's own layers are dense only).
 *
 * <p>The graph must be a chain from one input of shape [N, C, H, W] (known C, H, W) to one output:
 *
 * <pre>
 *   ( Conv (2-D, group 1, dilation 1, symmetric pads) | MaxPool (symmetric pads, ceil_mode 0) )
 *       [Relu | Sigmoid | Tanh]                                   repeated
 *   Flatten (axis 1) | Reshape to [N, features]
 *   ( Gemm | MatMul [+ Add] ) [Relu | Sigmoid | Tanh]              repeated, the last without activation
 *   [Softmax | LogSoftmax]                                         left out: the engine works on logits
 * </pre>
 *
 * Identity and Dropout pass through. The flat input the engine passes is the image flattened in
 * [C, H, W] order (an NCHW tensor's row-major order); DL4J's flattening before the first dense layer
 * is the same order as {@code nn.Flatten}. Anything else is refused, naming the node.
 */
public final class OnnxConvImport {

    /**
     * An imported network.
     *
     * @param network  the float32 DL4J network; its output layer is softmax with cross-entropy
     * @param channels C of the input
     * @param height   H of the input
     * @param width    W of the input
     * @param notes    remarks for the user, one line each
     */
    public record Imported(MultiLayerNetwork network, int channels, int height, int width, List<String> notes) {
    }

    /** One layer of the chain: its configuration and, for weighted layers, W and b in ONNX order. */
    private record Pending(String kind, int in, int out, int kernelH, int kernelW, int strideH, int strideW,
                           int padH, int padW, double[] weights, double[] bias, Activation activation) {
        Pending withActivation(Activation a) {
            return new Pending(kind, in, out, kernelH, kernelW, strideH, strideW, padH, padW, weights, bias, a);
        }
    }

    private final String source;
    private final OnnxModel model;
    private final Map<String, OnnxTensor> constants;
    private final List<Pending> layers = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    /** The input's shape. */
    private int channels0;
    private int height0;
    private int width0;
    /** The shape of the chain's current value: [channels, height, width], or [features] once flat. */
    private int channels;
    private int height;
    private int width;
    private boolean flat;
    private long features;

    private OnnxConvImport(String source, OnnxModel model) {
        this.source = source;
        this.model = model;
        this.constants = new HashMap<>(model.graph().initializers());
    }

    /** Whether the graph has convolution or pooling nodes (then it is for this importer, not the dense one). */
    public static boolean isConvolutional(String source, byte[] bytes) {
        for (OnnxNode node : OnnxParser.parseModel(source, bytes).graph().nodes()) {
            if (node.opType().equals("Conv") || node.opType().equals("MaxPool")) {
                return true;
            }
        }
        return false;
    }

    /** Builds the network from an ONNX file's bytes; {@code source} leads error messages. */
    public static Imported fromBytes(String source, byte[] bytes) {
        return new OnnxConvImport(source, OnnxParser.parseModel(source, bytes)).walk();
    }

    private Imported walk() {
        OnnxGraph graph = model.graph();
        OnnxValueInfo input = input(graph);
        if (graph.outputs().size() != 1) {
            throw bad("the graph has " + graph.outputs().size() + " outputs; the engine needs one (the class scores)");
        }
        String current = input.name();
        boolean ended = false;
        for (OnnxNode node : graph.nodes()) {
            if (node.opType().equals("Constant")) {
                constants.put(node.outputs().get(0), OnnxOperands.constantValue(source, node));
                continue;
            }
            if (ended) {
                throw bad(node.describe() + " follows the final Softmax");
            }
            int at = node.inputs().indexOf(current);
            if (at < 0) {
                throw bad(node.describe() + " does not read the chain's value '" + current + "'; the importer takes"
                        + " a plain chain of layers whose other inputs are constants");
            }
            ended = apply(node, at);
            if (node.outputs().isEmpty()) {
                throw bad(node.describe() + " has no output");
            }
            current = node.outputs().get(0);
        }
        if (!current.equals(graph.outputs().get(0).name())) {
            throw bad("the graph's output is not the end of its chain of layers");
        }
        Pending last = layers.isEmpty() ? null : layers.get(layers.size() - 1);
        if (last == null || !last.kind().equals("dense") || last.activation() != Activation.IDENTITY) {
            throw bad("the graph must end in a Gemm or MatMul layer (the class scores), optionally followed by"
                    + " Softmax; found " + (last == null ? "no layer" : last.kind() + " with " + last.activation()));
        }
        return new Imported(build(), channels0, height0, width0, List.copyOf(notes));
    }

    private OnnxValueInfo input(OnnxGraph graph) {
        List<OnnxValueInfo> inputs = new ArrayList<>();
        for (OnnxValueInfo v : graph.inputs()) {
            if (!graph.initializers().containsKey(v.name())) {
                inputs.add(v);
            }
        }
        if (inputs.size() != 1) {
            throw bad("the graph has " + inputs.size() + " inputs; the engine needs one (the images)");
        }
        OnnxValueInfo input = inputs.get(0);
        long[] dims = input.dims();
        if (dims == null || dims.length != 4 || dims[1] <= 0 || dims[2] <= 0 || dims[3] <= 0) {
            throw bad("input '" + input.name() + "' has shape " + input.shapeString() + "; a convolutional model"
                    + " needs [N, C, H, W] with known C, H and W");
        }
        channels0 = (int) dims[1];
        height0 = (int) dims[2];
        width0 = (int) dims[3];
        channels = channels0;
        height = height0;
        width = width0;
        return input;
    }

    /** Applies one node; returns true for the final Softmax. */
    private boolean apply(OnnxNode node, int at) {
        switch (node.opType()) {
            case "Identity", "Dropout" -> {
                return false;
            }
            case "Conv" -> conv(node, at);
            case "MaxPool" -> maxPool(node);
            case "Relu" -> activate(node, Activation.RELU);
            case "Sigmoid" -> activate(node, Activation.SIGMOID);
            case "Tanh" -> activate(node, Activation.TANH);
            case "Flatten" -> flatten(node);
            case "Reshape" -> reshape(node, at);
            case "Gemm" -> gemm(node, at);
            case "MatMul" -> matMul(node, at);
            case "Add" -> add(node, at);
            case "Softmax", "LogSoftmax" -> {
                notes.add("the final " + node.opType() + " (" + node.describe() + ") was left out: the engine works"
                        + " on the logits before it (same predictions)");
                return true;
            }
            default -> throw bad("unsupported operator " + node.opType() + " (" + node.describe() + "): convolutional"
                    + " models may use Conv, MaxPool, Relu, Sigmoid, Tanh, Flatten or Reshape, Gemm or MatMul (+ Add),"
                    + " Identity, Dropout and a final Softmax");
        }
        return false;
    }

    private void conv(OnnxNode node, int at) {
        if (flat || at != 0) {
            throw bad(node.describe() + " must take the image-shaped value as its first input, before any Flatten");
        }
        checkAttribute(node, "group", 1);
        requireOnes(node, "dilations");
        requireNoAutoPad(node);
        OnnxTensor w = OnnxOperands.constant(source, node, 1, constants);
        long[] d = w.dims();
        if (d.length != 4 || d[1] != channels) {
            throw bad(node.describe() + ": weights of shape " + w.shapeString() + "; expected [Cout, " + channels
                    + ", kH, kW]");
        }
        int out = (int) d[0];
        int kh = (int) d[2];
        int kw = (int) d[3];
        int[] strides = pair(node, "strides", 1);
        int[] pads = pads(node);
        double[] bias = node.inputs().size() > 2 && !node.inputs().get(2).isEmpty()
                ? OnnxOperands.vector(source, node, 2, constants, out) : new double[out];
        layers.add(new Pending("conv", channels, out, kh, kw, strides[0], strides[1], pads[0], pads[1],
                w.values().clone(), bias, Activation.IDENTITY));
        channels = out;
        height = outputSize(node, height, kh, strides[0], pads[0]);
        width = outputSize(node, width, kw, strides[1], pads[1]);
    }

    private void maxPool(OnnxNode node) {
        if (flat) {
            throw bad(node.describe() + " comes after Flatten");
        }
        checkAttribute(node, "ceil_mode", 0);
        checkAttribute(node, "storage_order", 0);
        requireOnes(node, "dilations");
        requireNoAutoPad(node);
        OnnxAttribute kernel = node.attributes().get("kernel_shape");
        if (kernel == null || kernel.ints().length != 2) {
            throw bad(node.describe() + " needs a 2-D kernel_shape");
        }
        int kh = (int) kernel.ints()[0];
        int kw = (int) kernel.ints()[1];
        int[] strides = pair(node, "strides", 1);
        int[] pads = pads(node);
        layers.add(new Pending("pool", channels, channels, kh, kw, strides[0], strides[1], pads[0], pads[1], null,
                null, Activation.IDENTITY));
        height = outputSize(node, height, kh, strides[0], pads[0]);
        width = outputSize(node, width, kw, strides[1], pads[1]);
    }

    private void activate(OnnxNode node, Activation activation) {
        Pending last = layers.isEmpty() ? null : layers.get(layers.size() - 1);
        if (last != null && !last.kind().equals("pool") && !last.kind().equals("activation")
                && last.activation() == Activation.IDENTITY) {
            layers.set(layers.size() - 1, last.withActivation(activation));
            return;
        }
        if (flat && last == null) {
            throw bad(node.describe() + " comes before any layer");
        }
        int size = flat ? (int) features : channels;
        layers.add(new Pending("activation", size, size, 0, 0, 0, 0, 0, 0, null, null, activation));
    }

    private void flatten(OnnxNode node) {
        long axis = OnnxOperands.intAttribute(source, node, "axis", 1);
        if (axis != 1 && axis != -3) {
            throw bad(node.describe() + " flattens from axis " + axis + "; expected axis 1");
        }
        flatten();
    }

    private void reshape(OnnxNode node, int at) {
        double[] s = OnnxOperands.constant(source, node, 1, constants).values();
        long size = (long) channels * height * width;
        boolean keepsBatch = at == 0 && s.length == 2 && (s[0] == -1 || s[0] == 0) && (s[1] == -1 || s[1] == size);
        if (!keepsBatch) {
            throw bad(node.describe() + " reshapes to " + OnnxOperands.text(s) + "; expected [N, " + size + "]");
        }
        flatten();
    }

    private void flatten() {
        if (!flat) {
            flat = true;
            features = (long) channels * height * width;
        }
    }

    private void gemm(OnnxNode node, int at) {
        if (at != 0) {
            throw bad(node.describe() + " must take the chain's value as input A");
        }
        OnnxOperands.GemmLayer layer = OnnxOperands.gemm(source, node, constants);
        dense(node, layer.in(), layer.out(), layer.weights(),
                layer.bias() != null ? layer.bias() : new double[layer.out()]);
    }

    private void matMul(OnnxNode node, int at) {
        if (at != 0) {
            throw bad(node.describe() + " must take the chain's value as its first input");
        }
        OnnxTensor b = OnnxOperands.matrix(source, node, 1, constants);
        dense(node, (int) b.dims()[0], (int) b.dims()[1], b.values().clone(), new double[(int) b.dims()[1]]);
    }

    private void dense(OnnxNode node, int in, int out, double[] w, double[] bias) {
        if (!flat) {
            throw bad(node.describe() + " gets an image-shaped value; flatten it first (nn.Flatten)");
        }
        if (in != features) {
            throw bad(node.describe() + " takes " + in + " inputs but gets " + features);
        }
        layers.add(new Pending("dense", in, out, 0, 0, 0, 0, 0, 0, w, bias, Activation.IDENTITY));
        features = out;
    }

    private void add(OnnxNode node, int at) {
        Pending last = layers.isEmpty() ? null : layers.get(layers.size() - 1);
        if (last == null || !last.kind().equals("dense") || last.activation() != Activation.IDENTITY) {
            throw bad(node.describe() + ": Add is read only as the bias of a MatMul or Gemm layer");
        }
        double[] extra = OnnxOperands.vector(source, node, 1 - at, constants, last.out());
        for (int j = 0; j < extra.length; j++) {
            last.bias()[j] += extra[j];
        }
    }

    private MultiLayerNetwork build() {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).list();
        for (int l = 0; l < layers.size(); l++) {
            list.layer(configuration(layers.get(l), l == layers.size() - 1));
        }
        list.setInputType(InputType.convolutionalFlat(height0, width0, channels0));
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        for (int l = 0; l < layers.size(); l++) {
            Pending p = layers.get(l);
            if (p.weights() != null) {
                setParam(net, l, "W", p.weights());
                setParam(net, l, "b", p.bias());
            }
        }
        return net;
    }

    private static Layer configuration(Pending p, boolean output) {
        return switch (p.kind()) {
            case "conv" -> new ConvolutionLayer.Builder(p.kernelH(), p.kernelW()).nIn(p.in()).nOut(p.out())
                    .stride(p.strideH(), p.strideW()).padding(p.padH(), p.padW())
                    .convolutionMode(ConvolutionMode.Truncate).activation(p.activation()).build();
            case "pool" -> new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                    .kernelSize(p.kernelH(), p.kernelW()).stride(p.strideH(), p.strideW())
                    .padding(p.padH(), p.padW()).convolutionMode(ConvolutionMode.Truncate).build();
            case "activation" -> new ActivationLayer.Builder().activation(p.activation()).build();
            default -> output
                    ? new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(p.in()).nOut(p.out())
                            .activation(Activation.SOFTMAX).build()
                    : new DenseLayer.Builder().nIn(p.in()).nOut(p.out()).activation(p.activation()).build();
        };
    }

    private static void setParam(MultiLayerNetwork net, int layer, String name, double[] values) {
        INDArray current = net.getLayer(layer).getParam(name);
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        net.getLayer(layer).setParam(name, Nd4j.create(floats, current.shape(), 'c'));
    }

    private int outputSize(OnnxNode node, int size, int kernel, int stride, int pad) {
        int out = (size + 2 * pad - kernel) / stride + 1;
        if (out <= 0) {
            throw bad(node.describe() + ": a " + kernel + "-wide kernel does not fit the " + size + "-wide input");
        }
        return out;
    }

    private int[] pair(OnnxNode node, String name, int fallback) {
        OnnxAttribute a = node.attributes().get(name);
        if (a == null) {
            return new int[] {fallback, fallback};
        }
        if (a.ints().length != 2) {
            throw bad(node.describe() + ": " + name + " " + java.util.Arrays.toString(a.ints()) + "; expected 2 values");
        }
        return new int[] {(int) a.ints()[0], (int) a.ints()[1]};
    }

    private int[] pads(OnnxNode node) {
        OnnxAttribute a = node.attributes().get("pads");
        if (a == null) {
            return new int[] {0, 0};
        }
        long[] p = a.ints();
        if (p.length != 4 || p[0] != p[2] || p[1] != p[3]) {
            throw bad(node.describe() + ": pads " + java.util.Arrays.toString(p) + "; the importer needs symmetric"
                    + " padding [top, left, top, left]");
        }
        return new int[] {(int) p[0], (int) p[1]};
    }

    private void requireOnes(OnnxNode node, String name) {
        OnnxAttribute a = node.attributes().get(name);
        if (a != null) {
            for (long v : a.ints()) {
                if (v != 1) {
                    throw bad(node.describe() + ": " + name + " " + java.util.Arrays.toString(a.ints())
                            + "; only 1 is supported");
                }
            }
        }
    }

    private void requireNoAutoPad(OnnxNode node) {
        OnnxAttribute a = node.attributes().get("auto_pad");
        if (a != null && !a.s().isEmpty() && !a.s().equals("NOTSET")) {
            throw bad(node.describe() + ": auto_pad " + a.s() + "; the importer needs explicit pads");
        }
    }

    private void checkAttribute(OnnxNode node, String name, long expected) {
        long value = OnnxOperands.intAttribute(source, node, name, expected);
        if (value != expected) {
            throw bad(node.describe() + ": " + name + " = " + value + "; only " + expected + " is supported");
        }
    }

    private BadDataException bad(String problem) {
        return new BadDataException(source, problem);
    }
}
