package org.blindspot.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** One-hot label matrices, built the way the engine's own backward pass builds them. */
final class OneHot {

    private OneHot() {
    }

    /**
     * @param targets B labels in [0, classes)
     * @return [B, classes] with a 1 at (b, targets[b]) and 0 elsewhere
     */
    static INDArray of(int[] targets, int classes, DataType type) {
        double[] hot = new double[targets.length * classes];
        for (int b = 0; b < targets.length; b++) {
            if (targets[b] < 0 || targets[b] >= classes) {
                throw new IllegalArgumentException("targets: row " + b + " has label " + targets[b]
                        + ", expected 0.." + (classes - 1));
            }
            hot[b * classes + targets[b]] = 1.0;
        }
        return Nd4j.create(hot, new long[] {targets.length, classes}, type);
    }
}
