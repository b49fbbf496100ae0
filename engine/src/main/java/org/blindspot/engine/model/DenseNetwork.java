package org.blindspot.engine.model;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A fully connected network: hidden layers with an activation, a final affine layer giving logits,
 * softmax cross-entropy. Forward and backward passes are written by hand on ND4J into buffers that
 * are reused across calls (only the input gradient when attacking; weight gradients when training).
 *
 * <p>Not thread-safe: one instance holds one set of buffers. Use {@link #copy()} per thread.
 */
public final class DenseNetwork implements Classifier {

    private final List<DenseLayer> layers;
    private final DenseBackprop backprop;

    /**
     * @param layers at least one layer; consecutive sizes must agree; the last has activation IDENTITY
     */
    public DenseNetwork(List<DenseLayer> layers) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("layers: a network needs at least one layer");
        }
        DataType type = layers.get(0).weights().dataType();
        for (int i = 0; i < layers.size(); i++) {
            DenseLayer layer = layers.get(i);
            if (i > 0 && layer.in() != layers.get(i - 1).out()) {
                throw new IllegalArgumentException("layers: layer " + (i + 1) + " takes " + layer.in()
                        + " inputs but layer " + i + " gives " + layers.get(i - 1).out());
            }
            if (layer.weights().dataType() != type) {
                throw new IllegalArgumentException("layers: layer " + (i + 1) + " is " + layer.weights().dataType()
                        + ", layer 1 is " + type);
            }
        }
        if (layers.get(layers.size() - 1).activation() != Activation.IDENTITY) {
            throw new IllegalArgumentException("layers: the last layer must give logits (activation identity)");
        }
        this.layers = List.copyOf(layers);
        this.backprop = new DenseBackprop(this.layers);
    }

    /** The layers, input first. */
    public List<DenseLayer> layers() {
        return layers;
    }

    @Override
    public int inputSize() {
        return layers.get(0).in();
    }

    @Override
    public int numClasses() {
        return layers.get(layers.size() - 1).out();
    }

    @Override
    public DataType dataType() {
        return layers.get(0).weights().dataType();
    }

    /** Hidden sizes, e.g. [100, 100] for FC100-100-10. */
    public int[] hiddenSizes() {
        int[] sizes = new int[layers.size() - 1];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = layers.get(i).out();
        }
        return sizes;
    }

    /** Total number of parameters. */
    public long parameterCount() {
        long n = 0;
        for (DenseLayer layer : layers) {
            n += layer.weights().length() + layer.bias().length();
        }
        return n;
    }

    @Override
    public INDArray logits(INDArray x) {
        Classifier.checkInput(this, x);
        return backprop.forward(x).dup();
    }

    /**
     * Activations of hidden layer {@code layer} (1-based) for a batch.
     *
     * @param x [B, m] inputs
     * @return [B, units of that layer], a new array
     */
    public INDArray hiddenActivations(INDArray x, int layer) {
        if (layer < 1 || layer >= layers.size()) {
            throw new IllegalArgumentException("layer: expected 1.." + (layers.size() - 1) + ", got " + layer);
        }
        Classifier.checkInput(this, x);
        backprop.forward(x);
        return backprop.activation(layer - 1).dup();
    }

    /** {@link #hiddenActivations} of many rows, 5,000 at a time: [N, units of that layer]. */
    public INDArray hiddenActivationsInChunks(INDArray x, int layer) {
        List<INDArray> parts = new ArrayList<>();
        for (long from = 0; from < x.rows(); from += 5000) {
            long to = Math.min(x.rows(), from + 5000);
            parts.add(hiddenActivations(x.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()), layer));
        }
        return parts.size() == 1 ? parts.get(0) : Nd4j.vstack(parts);
    }

    @Override
    public INDArray lossAndInputGradient(INDArray x, int[] targets, INDArray gradInput) {
        Classifier.checkInput(this, x);
        Classifier.checkTargets(this, x, targets);
        return backprop.lossAndGradients(x, targets, gradInput, null);
    }

    /**
     * Per-row loss and the gradients of the summed loss with respect to every trainable layer's
     * parameters (weight decay not included: see {@link DenseLayer#penalty()}).
     *
     * @param weightGrads per layer, {W grad [in, out], b grad [1, out]}; entries of frozen layers are
     *                    left untouched
     * @return [B] per-row cross-entropy
     */
    public INDArray lossAndWeightGradients(INDArray x, int[] targets, List<INDArray[]> weightGrads) {
        Classifier.checkInput(this, x);
        Classifier.checkTargets(this, x, targets);
        return backprop.lossAndGradients(x, targets, null, weightGrads);
    }

    /** Predicted labels (argmax of the logits) for a batch. */
    public int[] predict(INDArray x) {
        return Predictions.argmax(logits(x));
    }

    /** A copy with its own buffers and parameters cast to {@code type}. */
    @Override
    public DenseNetwork castTo(DataType type) {
        List<DenseLayer> cast = new ArrayList<>();
        for (DenseLayer layer : layers) {
            cast.add(layer.castTo(type));
        }
        return new DenseNetwork(cast);
    }

    /** A copy with its own parameters and buffers. */
    public DenseNetwork copy() {
        return castTo(dataType());
    }
}
