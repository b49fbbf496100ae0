package org.blindspot.engine.model.onnx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.blindspot.engine.io.BadDataException;
import org.blindspot.engine.model.Activation;
import org.blindspot.engine.model.DenseNetwork;

/**
 * Imports a fully connected classifier from an ONNX file, as {@code torch.onnx.export} writes them
 * (opsets 11 to 17), into the engine's own {@link DenseNetwork}.
 *
 * <p>Design: the file is read with a small hand-written protobuf reader ({@link ProtobufReader},
 * {@link OnnxParser}) and the network is built from the engine's dense layers, not through
 * SameDiff's ONNX import: that import brings onnxruntime, TensorFlow and a second JavaCPP (+134 MB),
 * takes 11-15 s to start, and in ND4J 1.0.0-M2.1 needed three workarounds before its gradients were
 * right on a PyTorch MLP (TOOLCHAIN.md, "Model import"). The engine's own layers give the exact
 * hand-written backward pass the attacks use, in float32 or float64.
 *
 * <p>The graph must be a chain from its one input (initializers are not inputs) to its one output:
 *
 * <pre>
 *   [Flatten | Reshape to [N, features]]
 *   ( Gemm (transA = 0, any transB, alpha, beta) | MatMul [+ Add of a constant bias] )
 *       [Relu | Sigmoid | Tanh]                        repeated
 *   [Softmax | LogSoftmax over the classes]           removed: the engine works on logits
 * </pre>
 *
 * Identity and Dropout pass their input through (inference). Weights, biases and Reshape's shape
 * are initializers or Constant nodes. Graphs with Conv or MaxPool go to {@link OnnxConvImport} instead. Any
 * other operator (BatchNormalization, AveragePool, ...),
 * a branch, or an activation after the last layer is refused with a {@link BadDataException} that
 * names the node. The input size is the product of the input's non-batch dimensions.
 */
public final class OnnxImport {

    /**
     * An imported network and what the import changed, for the user to see.
     *
     * @param network the float32 network
     * @param notes   remarks such as "the final Softmax was removed", one line each
     */
    public record Imported(DenseNetwork network, List<String> notes) {
    }

    private final String source;
    private final OnnxModel model;
    private final Map<String, OnnxTensor> constants;
    private final DenseChain chain;
    private final List<String> notes = new ArrayList<>();
    /** Rank and features (product of non-batch dims) of the chain's current value; -1 when unknown. */
    private int rank;
    private long features;
    private long batch;

    private OnnxImport(String source, OnnxModel model) {
        this.source = source;
        this.model = model;
        this.constants = new HashMap<>(model.graph().initializers());
        this.chain = new DenseChain(source);
    }

    /** Reads {@code file} and builds its network. */
    public static Imported read(Path file) {
        return fromBytes(file.toString(), bytes(file));
    }

    /** The bytes of an ONNX file, refusing files over the 2 GB a protobuf message can hold. */
    public static byte[] bytes(Path file) {
        try {
            if (Files.size(file) > Integer.MAX_VALUE - 8) {
                throw new BadDataException(file.toString(), "larger than 2 GB, the most a protobuf file can hold;"
                        + " a model this large keeps its weights as external data, which is not supported");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Builds the network from an ONNX file's bytes; {@code source} leads error messages. */
    public static Imported fromBytes(String source, byte[] bytes) {
        OnnxModel model = OnnxParser.parseModel(source, bytes);
        return new OnnxImport(source, model).walk();
    }

    private Imported walk() {
        OnnxGraph graph = model.graph();
        OnnxValueInfo input = theInput(graph);
        if (graph.outputs().size() != 1) {
            throw bad("the graph has " + graph.outputs().size() + " outputs; the engine needs one (the class scores)");
        }
        String output = graph.outputs().get(0).name();
        String current = input.name();
        Set<String> earlier = new HashSet<>();
        boolean ended = false;
        for (OnnxNode node : graph.nodes()) {
            if (!node.domain().isEmpty() && !node.domain().equals("ai.onnx")) {
                throw unsupported(node);
            }
            if (node.opType().equals("Constant")) {
                constants.put(output(node), OnnxOperands.constantValue(source, node));
                continue;
            }
            if (!isSupported(node.opType())) {
                throw unsupported(node);
            }
            if (ended) {
                throw bad(node.describe() + " follows the final Softmax; the importer removes a Softmax only at"
                        + " the end of the graph");
            }
            for (String in : node.inputs()) {
                if (earlier.contains(in)) {
                    throw bad("the graph branches: " + node.describe() + " reads '" + in + "', an earlier value;"
                            + " the engine imports a plain chain of layers");
                }
            }
            int at = node.inputs().indexOf(current);
            if (at < 0) {
                throw bad(node.describe() + " does not read the chain's value '" + current + "'; its other inputs"
                        + " must be constants (initializers or Constant nodes)");
            }
            ended = apply(node, at);
            earlier.add(current);
            current = output(node);
        }
        if (!current.equals(output)) {
            throw bad("the graph's output '" + output + "' is not the end of its chain of layers (which ends at '"
                    + current + "')");
        }
        return new Imported(chain.build(), List.copyOf(notes));
    }

    /** Applies one node to the chain; returns true if it was the final Softmax. */
    private boolean apply(OnnxNode node, int at) {
        switch (node.opType()) {
            case "Identity", "Dropout" -> {
                // inference: both pass their first input through
            }
            case "Flatten" -> flatten(node);
            case "Reshape" -> reshape(node, at);
            case "Gemm" -> gemm(node, at);
            case "MatMul" -> matMul(node, at);
            case "Add" -> add(node, at);
            case "Relu" -> chain.activate(node, Activation.RELU);
            case "Sigmoid" -> chain.activate(node, Activation.SIGMOID);
            case "Tanh" -> chain.activate(node, Activation.TANH);
            case "Softmax", "LogSoftmax" -> {
                softmax(node);
                return true;
            }
            default -> throw unsupported(node);
        }
        return false;
    }

    private static boolean isSupported(String op) {
        return switch (op) {
            case "Identity", "Dropout", "Flatten", "Reshape", "Gemm", "MatMul", "Add", "Relu", "Sigmoid", "Tanh",
                    "Softmax", "LogSoftmax" -> true;
            default -> false;
        };
    }

    private OnnxValueInfo theInput(OnnxGraph graph) {
        List<OnnxValueInfo> inputs = new ArrayList<>();
        for (OnnxValueInfo v : graph.inputs()) {
            if (!graph.initializers().containsKey(v.name())) {
                inputs.add(v);
            }
        }
        if (inputs.size() != 1) {
            throw bad("the graph has " + inputs.size() + " inputs " + inputs.stream().map(OnnxValueInfo::name).toList()
                    + "; the engine needs one (the images)");
        }
        OnnxValueInfo input = inputs.get(0);
        if (input.elemType() != OnnxDataType.FLOAT && input.elemType() != OnnxDataType.DOUBLE
                && input.elemType() != 0) {
            throw bad("input '" + input.name() + "' has element type " + OnnxDataType.name(input.elemType())
                    + "; expected FLOAT");
        }
        long[] dims = input.dims();
        rank = -1;
        features = -1;
        batch = -1;
        if (dims != null) {
            if (dims.length < 2) {
                throw bad("input '" + input.name() + "' has shape " + input.shapeString()
                        + "; expected a batch dimension first, e.g. [N, 784]");
            }
            long product = 1;
            for (int d = 1; d < dims.length; d++) {
                if (dims[d] <= 0) {
                    throw bad("input '" + input.name() + "' has shape " + input.shapeString()
                            + "; only the first (batch) dimension may be symbolic");
                }
                product *= dims[d];
                if (product > Integer.MAX_VALUE) {
                    throw bad("input '" + input.name() + "' has shape " + input.shapeString() + ": too many features");
                }
            }
            rank = dims.length;
            features = product;
            batch = dims[0];
        }
        return input;
    }

    private void flatten(OnnxNode node) {
        long axis = OnnxOperands.intAttribute(source, node, "axis", 1);
        if (axis != 1 && !(rank > 0 && axis == 1 - rank)) {
            throw bad(node.describe() + " flattens from axis " + axis + "; the importer needs axis 1 (keep the batch"
                    + " dimension, flatten the rest)");
        }
        rank = 2;
    }

    private void reshape(OnnxNode node, int at) {
        if (at != 0 || node.inputs().size() < 2) {
            throw bad(node.describe() + " must reshape the chain's value by a constant shape");
        }
        OnnxTensor shape = OnnxOperands.constant(source, node, 1, constants);
        boolean allowZero = OnnxOperands.intAttribute(source, node, "allowzero", 0) != 0;
        double[] s = shape.values();
        boolean keepsBatch = s.length == 2 && features > 0
                && (s[1] == features && (s[0] == -1 || (s[0] == 0 && !allowZero) || (batch > 0 && s[0] == batch))
                    || s[1] == -1 && ((s[0] == 0 && !allowZero) || (batch > 0 && s[0] == batch)));
        if (!keepsBatch) {
            throw bad(node.describe() + " reshapes to " + OnnxOperands.text(s) + (features > 0
                    ? "; the importer accepts only [N, " + features + "] (batch, features)"
                    : " but the input's shape is not known; give the graph input a shape"));
        }
        rank = 2;
    }

    private void gemm(OnnxNode node, int at) {
        if (at != 0) {
            throw bad(node.describe() + " multiplies the chain's value from the right; expected it as input A");
        }
        OnnxOperands.GemmLayer layer = OnnxOperands.gemm(source, node, constants);
        checkInputs(node, layer.in());
        chain.affine(layer.weights(), layer.in(), layer.out(), layer.bias());
        features = layer.out();
    }

    private void matMul(OnnxNode node, int at) {
        if (at != 0) {
            throw bad(node.describe() + " multiplies the chain's value from the right; expected it as input A");
        }
        OnnxTensor b = OnnxOperands.matrix(source, node, 1, constants);
        int in = (int) b.dims()[0];
        int out = (int) b.dims()[1];
        checkInputs(node, in);
        chain.affine(b.values().clone(), in, out, null);
        features = out;
    }

    private void add(OnnxNode node, int at) {
        if (!chain.isOpen()) {
            throw bad(node.describe() + " adds to something other than a dense layer's h W; the importer reads Add"
                    + " only as the bias of a MatMul or Gemm");
        }
        if (node.inputs().size() != 2) {
            throw bad(node.describe() + " has " + node.inputs().size() + " inputs; expected 2");
        }
        chain.addBias(OnnxOperands.vector(source, node, 1 - at, constants, chain.units()));
    }

    private void softmax(OnnxNode node) {
        long opset = model.opsets().getOrDefault("", 13L);
        long axis = OnnxOperands.intAttribute(source, node, "axis", opset < 13 ? 1 : -1);
        if (chain.size() == 0 || (axis != 1 && axis != -1)) {
            throw bad(node.describe() + " over axis " + axis + "; the importer removes a final " + node.opType()
                    + " over the classes of [N, classes] scores only");
        }
        notes.add("the final " + node.opType() + " (" + node.describe() + ") was left out: the engine works on the"
                + " logits before it (same predictions)");
    }

    private void checkInputs(OnnxNode node, int in) {
        if (rank > 2) {
            throw bad(node.describe() + " gets a rank-" + rank + " value; flatten it to [N, features] first"
                    + " (nn.Flatten)");
        }
        if (features > 0 && in != features) {
            throw bad(node.describe() + " takes " + in + " inputs but gets " + features);
        }
        rank = 2;
    }

    private String output(OnnxNode node) {
        if (node.outputs().isEmpty() || node.outputs().get(0).isEmpty()) {
            throw bad(node.describe() + " has no output");
        }
        return node.outputs().get(0);
    }

    private BadDataException unsupported(OnnxNode node) {
        String op = node.domain().isEmpty() || node.domain().equals("ai.onnx") ? node.opType()
                : node.domain() + "." + node.opType();
        return bad("unsupported operator " + op + " (" + node.describe() + "): the engine runs dense (fully"
                + " connected) networks: Gemm or MatMul (+ Add) layers with Relu, Sigmoid or Tanh, after an"
                + " optional Flatten or Reshape, before an optional final Softmax");
    }

    private BadDataException bad(String problem) {
        return new BadDataException(source, problem);
    }
}
