package org.blindspot.engine.model;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Small host-side helpers over logits. */
public final class Predictions {

    private Predictions() {
    }

    /**
     * The rows of a [B, k] array, in double, on the host, read in one bulk copy. (ND4J's {@code toDoubleMatrix}
     * reads row by row, with several operations per row: timed in isolation, about 0.85 ms for 46 rows of 10
     * logits here, most of the cost of the attack's success checks.)
     */
    public static double[][] hostRows(INDArray a) {
        if (a.rank() != 2) {
            throw new IllegalArgumentException("expected a [B, k] array, got shape " + Arrays.toString(a.shape()));
        }
        int rows = (int) a.rows();
        int columns = (int) a.columns();
        double[] flat = a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[][] out = new double[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = Arrays.copyOfRange(flat, r * columns, r * columns + columns);
        }
        return out;
    }

    /** Row-wise argmax of [B, k] logits; ties go to the lowest index. */
    public static int[] argmax(INDArray logits) {
        double[][] values = hostRows(logits);
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
        double[][] values = hostRows(logits);
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
