package org.blindspot.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The host-side helpers over logits, on views, column-major arrays and float data. */
class PredictionsTest {

    @Test
    void hostRowsReadsViewsAndColumnMajorArraysAsND4JDoes() {
        INDArray whole = Nd4j.rand(DataType.FLOAT, 7, 5);
        INDArray view = whole.get(NDArrayIndex.interval(2, 6), NDArrayIndex.interval(1, 4));
        double[][] expected = view.toDoubleMatrix();
        double[][] actual = Predictions.hostRows(view);
        assertEquals(expected.length, actual.length);
        for (int r = 0; r < expected.length; r++) {
            assertArrayEquals(expected[r], actual[r], 0.0, "row " + r);
        }
        INDArray columnMajor = whole.dup('f');
        double[][] fromF = Predictions.hostRows(columnMajor);
        double[][] fromC = whole.toDoubleMatrix();
        for (int r = 0; r < fromC.length; r++) {
            assertArrayEquals(fromC[r], fromF[r], 0.0, "row " + r);
        }
        assertThrows(IllegalArgumentException.class, () -> Predictions.hostRows(Nd4j.zeros(3)));
    }

    @Test
    void marginsAndArgmaxOnKnownLogits() {
        INDArray logits = Nd4j.createFromArray(new float[][] {{1, 3, 2}, {0.5f, 0.5f, -1}, {-2, -3, -1}});
        assertArrayEquals(new int[] {1, 0, 2}, Predictions.argmax(logits), "ties go to the lowest index");
        assertArrayEquals(new double[] {1, 0, -1}, Predictions.margins(logits, new int[] {1, 1, 0}), 0.0);
    }
}
