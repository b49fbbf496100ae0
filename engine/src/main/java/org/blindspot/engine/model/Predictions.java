package org.blindspot.engine.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Small host-side helpers over logits. */
public final class Predictions {

    private Predictions() {
    }

    /** Row-wise argmax of [B, k] logits; ties go to the lowest index. */
    public static int[] argmax(INDArray logits) {
        double[][] values = logits.toDoubleMatrix();
        int[] labels = new int[values.length];
        for (int b = 0; b < values.length; b++) {
            int best = 0;
            for (int j = 1; j < values[b].length; j++) {
                if (values[b][j] > values[b][best]) {
                    best = j;
                }
            }
            labels[b] = best;
        }
        return labels;
    }

    /**
     * Margin of {@code label} per row: its logit minus the largest other logit (positive when the
     * row is classified as {@code label}).
     */
    public static double[] margins(INDArray logits, int[] labels) {
        double[][] values = logits.toDoubleMatrix();
        double[] margins = new double[values.length];
        for (int b = 0; b < values.length; b++) {
            double other = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < values[b].length; j++) {
                if (j != labels[b]) {
                    other = Math.max(other, values[b][j]);
                }
            }
            margins[b] = values[b][labels[b]] - other;
        }
        return margins;
    }

    /** Fraction of rows whose argmax differs from {@code labels}. */
    public static double errorRate(int[] predicted, int[] labels) {
        if (predicted.length != labels.length) {
            throw new IllegalArgumentException("labels: " + labels.length + " labels for " + predicted.length
                    + " predictions");
        }
        if (labels.length == 0) {
            return 0;
        }
        int wrong = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predicted[i] != labels[i]) {
                wrong++;
            }
        }
        return wrong / (double) labels.length;
    }
}
