package org.blindspot.engine.model.onnx;

import java.util.ArrayList;
import java.util.List;
import org.blindspot.engine.io.BadDataException;
import org.blindspot.engine.model.Activation;
import org.blindspot.engine.model.DenseLayer;
import org.blindspot.engine.model.DenseNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The dense layers an ONNX graph walk has found so far: each affine step (Gemm, MatMul) opens a
 * layer h W + b, an Add may add to its bias, an activation closes it. Parameters are kept in double
 * precision until {@link #build()} makes a float32 {@link DenseNetwork}.
 */
final class DenseChain {

    private final String source;
    private final List<double[]> weights = new ArrayList<>();
    private final List<double[]> biases = new ArrayList<>();
    private final List<Activation> activations = new ArrayList<>();
    private final List<int[]> sizes = new ArrayList<>();
    private boolean open;

    DenseChain(String source) {
        this.source = source;
    }

    /** Number of layers so far. */
    int size() {
        return weights.size();
    }

    /** Whether the last step was affine (a bias may still be added to it). */
    boolean isOpen() {
        return open;
    }

    /**
     * Opens a layer.
     *
     * @param w    [in, out] row-major
     * @param bias [out], or null for zeros
     */
    void affine(double[] w, int in, int out, double[] bias) {
        weights.add(w);
        biases.add(bias != null ? bias : new double[out]);
        activations.add(Activation.IDENTITY);
        sizes.add(new int[] {in, out});
        open = true;
    }

    /** Number of units of the last layer. */
    int units() {
        return sizes.get(sizes.size() - 1)[1];
    }

    /** Adds {@code b} ([units]) to the open layer's bias. */
    void addBias(double[] b) {
        double[] bias = biases.get(biases.size() - 1);
        for (int j = 0; j < bias.length; j++) {
            bias[j] += b[j];
        }
    }

    /** Gives the open layer its activation and closes it. */
    void activate(OnnxNode node, Activation activation) {
        if (!open) {
            throw new BadDataException(source, node.describe() + " does not follow a dense layer (Gemm, MatMul, Add):"
                    + " the engine applies an activation only to a layer's h W + b");
        }
        activations.set(activations.size() - 1, activation);
        open = false;
    }

    /** The float32 network; the last layer must give logits (no activation after it). */
    DenseNetwork build() {
        if (weights.isEmpty()) {
            throw new BadDataException(source, "the graph has no dense layer (Gemm or MatMul)");
        }
        Activation last = activations.get(activations.size() - 1);
        if (last != Activation.IDENTITY) {
            throw new BadDataException(source, "the graph ends with " + opName(last) + " after its last dense layer;"
                    + " the engine needs logits: a final Gemm or MatMul (+ Add), optionally followed by Softmax");
        }
        List<DenseLayer> layers = new ArrayList<>();
        for (int l = 0; l < weights.size(); l++) {
            int in = sizes.get(l)[0];
            int out = sizes.get(l)[1];
            float[] w = finite(weights.get(l), "weights", l);
            float[] b = finite(biases.get(l), "bias", l);
            layers.add(new DenseLayer(Nd4j.create(w, new long[] {in, out}, DataType.FLOAT),
                    Nd4j.create(b, new long[] {1, out}, DataType.FLOAT), activations.get(l), 0, true));
        }
        return new DenseNetwork(layers);
    }

    private float[] finite(double[] values, String what, int layer) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
            if (!Float.isFinite(out[i])) {
                throw new BadDataException(source, "dense layer " + (layer + 1) + " has a non-finite " + what + " value ("
                        + values[i] + ") at flat index " + i);
            }
        }
        return out;
    }

    private static String opName(Activation a) {
        return switch (a) {
            case RELU -> "Relu";
            case SIGMOID -> "Sigmoid";
            case TANH -> "Tanh";
            case IDENTITY -> "Identity";
        };
    }
}
