package org.blindspot.engine.model;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LogSoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Forward and backward passes of a {@link DenseNetwork} into buffers sized for the largest batch
 * seen so far; a smaller batch uses views of their first rows, so a batch whose size changes every
 * call (an attack whose rows finish) allocates nothing.
 *
 * <pre>
 *   h_0 = x,  z_l = h_{l-1} W_l + b_l,  h_l = act_l(z_l),  logits = z_L
 *   loss_b = -log softmax(z_L)_b[t_b],  d loss / d z_L = softmax(z_L) - onehot(t)
 *   delta_{l-1} = (delta_l W_l^T) * act'_{l-1},  dW_l = h_{l-1}^T delta_l,  db_l = sum_b delta_l
 * </pre>
 */
final class DenseBackprop {

    private final List<DenseLayer> layers;
    private final DataType type;
    private int capacity;
    private INDArray[] activations;
    private INDArray[] deltas;
    private INDArray[] scratch;
    private int rows;

    DenseBackprop(List<DenseLayer> layers) {
        this.layers = layers;
        this.type = layers.get(0).weights().dataType();
    }

    /** Runs the forward pass; returns a view of the logits buffer, [B, k]. */
    INDArray forward(INDArray x) {
        ensureCapacity((int) x.rows());
        rows = (int) x.rows();
        INDArray input = x;
        for (int l = 0; l < layers.size(); l++) {
            DenseLayer layer = layers.get(l);
            INDArray out = view(activations[l]);
            Nd4j.gemm(input, layer.weights(), out, false, false, 1.0, 0.0);
            out.addiRowVector(layer.bias());
            layer.activation().applyInPlace(out);
            input = out;
        }
        return view(activations[layers.size() - 1]);
    }

    /** The output of layer {@code index} (0-based) after the last forward pass, [B, units]. */
    INDArray activation(int index) {
        return view(activations[index]);
    }

    /**
     * Forward and backward pass.
     *
     * @param gradInput   [B, m] filled with d loss_b / d x_b, or null
     * @param weightGrads per layer {dW, db} of the summed loss, or null
     * @return [B] per-row cross-entropy, a new array
     */
    INDArray lossAndGradients(INDArray x, int[] targets, INDArray gradInput, List<INDArray[]> weightGrads) {
        INDArray logits = forward(x);
        int classes = layers.get(layers.size() - 1).out();
        double[] hot = new double[targets.length * classes];
        for (int b = 0; b < targets.length; b++) {
            hot[b * classes + targets[b]] = 1.0;
        }
        INDArray target = Nd4j.create(hot, new long[] {targets.length, classes}, type);
        INDArray delta = view(deltas[layers.size() - 1]);
        Nd4j.exec(new LogSoftMax(logits, delta));
        INDArray loss = delta.mul(target).sum(1).negi();
        Transforms.exp(delta, false).subi(target);

        int first = firstLayerNeedingDelta(gradInput != null, weightGrads != null);
        for (int l = layers.size() - 1; l >= first; l--) {
            DenseLayer layer = layers.get(l);
            INDArray layerInput = l == 0 ? x : view(activations[l - 1]);
            if (weightGrads != null && layer.trainable()) {
                INDArray[] grads = weightGrads.get(l);
                Nd4j.gemm(layerInput, delta, grads[0], true, false, 1.0, 0.0);
                grads[1].assign(delta.sum(true, 0));
            }
            if (l == 0) {
                if (gradInput != null) {
                    Nd4j.gemm(delta, layer.weights(), gradInput, false, true, 1.0, 0.0);
                }
                break;
            }
            if (l == first) {
                break;
            }
            INDArray below = view(deltas[l - 1]);
            Nd4j.gemm(delta, layer.weights(), below, false, true, 1.0, 0.0);
            layers.get(l - 1).activation().backpropInPlace(layerInput, below, view(scratch[l - 1]));
            delta = below;
        }
        return loss;
    }

    /** The lowest layer backpropagation must reach: 0 for the input gradient, else the first trainable. */
    private int firstLayerNeedingDelta(boolean inputGradient, boolean weightGradients) {
        if (inputGradient) {
            return 0;
        }
        for (int l = 0; l < layers.size(); l++) {
            if (layers.get(l).trainable()) {
                return l;
            }
        }
        return layers.size() - 1;
    }

    private INDArray view(INDArray buffer) {
        return rows == capacity ? buffer : buffer.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all());
    }

    private void ensureCapacity(int batch) {
        if (batch <= 0) {
            throw new IllegalArgumentException("x: batch must have at least one row");
        }
        if (batch <= capacity) {
            return;
        }
        int n = layers.size();
        activations = new INDArray[n];
        deltas = new INDArray[n];
        scratch = new INDArray[n];
        for (int l = 0; l < n; l++) {
            int units = layers.get(l).out();
            activations[l] = Nd4j.create(type, batch, units);
            deltas[l] = Nd4j.create(type, batch, units);
            scratch[l] = Nd4j.create(type, batch, units);
        }
        capacity = batch;
    }
}
