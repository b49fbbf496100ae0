package org.blindspot.engine.model;

/** Softmax cross-entropy of rows of logits, on host arrays (k is small: 10 for MNIST). */
final class SoftmaxCrossEntropy {

    private SoftmaxCrossEntropy() {
    }

    /**
     * Replaces each row of {@code logits} by softmax(row) - onehot(target) (the gradient of the
     * row's loss) and writes the loss logsumexp(row) - row[target] into {@code loss}.
     *
     * @param logits  [B * k] row-major, overwritten
     * @param targets B labels in [0, k)
     * @param loss    B values, written
     */
    static void lossAndGradientInPlace(double[] logits, int k, int[] targets, double[] loss) {
        for (int b = 0; b < targets.length; b++) {
            int offset = b * k;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, logits[offset + j]);
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                sum += Math.exp(logits[offset + j] - max);
            }
            double logSum = max + Math.log(sum);
            loss[b] = logSum - logits[offset + targets[b]];
            for (int j = 0; j < k; j++) {
                logits[offset + j] = Math.exp(logits[offset + j] - logSum);
            }
            logits[offset + targets[b]] -= 1.0;
        }
    }
}
