package org.blindspot.engine.model;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Forward and backward passes of a {@link DenseNetwork} into buffers sized for the largest batch
 * seen so far; a smaller batch uses views of their first rows, so a batch whose size changes every
 * call (an attack whose rows finish) allocates only its [B, k] softmax arrays.
 *
 * <pre>
 *   h_0 = x,  z_l = h_{l-1} W_l + b_l,  h_l = act_l(z_l),  logits = z_L
 *   loss_b = logsumexp(z_L,b) - z_L,b[t_b],  d loss / d z_L = softmax(z_L) - onehot(t)
 *   delta_{l-1} = (delta_l W_l^T) * act'_{l-1}(z_{l-1}),  dW_l = h_{l-1}^T delta_l,  db_l = sum_b delta_l
 * </pre>
 *
 * The softmax cross-entropy works on the host copy of the [B, k] logits (k = 10): two transfers
 * instead of seven small device operations, which is what a small batch pays for.
 */
final class DenseBackprop {

    private final List<DenseLayer> layers;
    private final DataType type;
    private int capacity;
    private INDArray[] pre;
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
        int last = layers.size() - 1;
        for (int l = 0; l <= last; l++) {
            DenseLayer layer = layers.get(l);
            INDArray z = view(l == last ? activations[l] : pre[l]);
            Nd4j.gemm(input, layer.weights(), z, false, false, 1.0, 0.0);
            z.addiRowVector(layer.bias());
            if (l < last) {
                INDArray a = view(activations[l]);
                layer.activation().applyInto(z, a);
                input = a;
            }
        }
        return view(activations[last]);
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
        int classes = (int) logits.columns();
        double[] z = logits.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] loss = new double[targets.length];
        SoftmaxCrossEntropy.lossAndGradientInPlace(z, classes, targets, loss);
        INDArray delta = Nd4j.create(z, new long[] {targets.length, classes}, DataType.DOUBLE).castTo(type);

        int first = firstLayerNeedingDelta(gradInput != null);
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
            layers.get(l - 1).activation().backpropFromPreActivation(view(pre[l - 1]), layerInput, below,
                    view(scratch[l - 1]));
            delta = below;
        }
        return Nd4j.create(loss, new long[] {targets.length}, DataType.DOUBLE).castTo(type);
    }

    /** The lowest layer backpropagation must reach: 0 for the input gradient, else the first trainable. */
    private int firstLayerNeedingDelta(boolean inputGradient) {
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
        pre = new INDArray[n];
        activations = new INDArray[n];
        deltas = new INDArray[n];
        scratch = new INDArray[n];
        for (int l = 0; l < n; l++) {
            int units = layers.get(l).out();
            pre[l] = Nd4j.create(type, batch, units);
            activations[l] = Nd4j.create(type, batch, units);
            deltas[l] = Nd4j.create(type, batch, units);
            scratch[l] = Nd4j.create(type, batch, units);
        }
        capacity = batch;
    }
}
