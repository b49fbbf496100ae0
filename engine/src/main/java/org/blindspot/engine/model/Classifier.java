package org.blindspot.engine.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A batched classifier: logits, and the softmax cross-entropy loss towards chosen labels with its
 * gradient with respect to the input. This is all an attack needs of a model.
 */
public interface Classifier {

    /** Number of input features m (784 for MNIST). */
    int inputSize();

    /** Number of classes k. */
    int numClasses();

    /** Data type of the computation (FLOAT or DOUBLE); inputs must have it. */
    DataType dataType();

    /**
     * This classifier computing in {@code type} (FLOAT or DOUBLE): itself if it already does.
     *
     * @throws UnsupportedOperationException if the classifier cannot change its precision
     */
    default Classifier castTo(DataType type) {
        if (type == dataType()) {
            return this;
        }
        throw new UnsupportedOperationException("this model computes in " + dataType() + " only");
    }

    /**
     * Logits of a batch.
     *
     * @param x [B, m] inputs
     * @return [B, k] logits, a new array owned by the caller
     */
    INDArray logits(INDArray x);

    /**
     * Per-row softmax cross-entropy towards {@code targets} and its gradient with respect to the input.
     *
     * @param x         [B, m] inputs
     * @param targets   B labels in [0, k)
     * @param gradInput [B, m] buffer filled with d loss_b / d x_b
     * @return [B] per-row loss, a new array owned by the caller
     */
    INDArray lossAndInputGradient(INDArray x, int[] targets, INDArray gradInput);
}
