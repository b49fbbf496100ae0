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

    /** Checks that {@code x} is a [B, inputSize] batch of the classifier's data type. */
    static void checkInput(Classifier c, INDArray x) {
        if (x.rank() != 2 || x.columns() != c.inputSize()) {
            throw new IllegalArgumentException("x: expected shape [B, " + c.inputSize() + "], got "
                    + java.util.Arrays.toString(x.shape()));
        }
        if (x.dataType() != c.dataType()) {
            throw new IllegalArgumentException("x: data type " + x.dataType() + " but the network is " + c.dataType());
        }
    }

    /** Checks that there is one target per row of {@code x}, each a class of the classifier. */
    static void checkTargets(Classifier c, INDArray x, int[] targets) {
        if (targets.length != x.rows()) {
            throw new IllegalArgumentException("targets: " + targets.length + " labels for " + x.rows() + " rows");
        }
        for (int i = 0; i < targets.length; i++) {
            if (targets[i] < 0 || targets[i] >= c.numClasses()) {
                throw new IllegalArgumentException("targets: row " + i + " has label " + targets[i]
                        + ", expected 0.." + (c.numClasses() - 1));
            }
        }
    }
}
