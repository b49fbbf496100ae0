package org.blindspot.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The weight decay (lambda / 2) (sum W^2 + sum b^2) and its gradient, on numbers worked out by hand. */
class DenseLayerPenaltyTest {

    @Test
    void penaltyCoversWeightsAndBiases() {
        INDArray w = Nd4j.createFromArray(new double[][] {{1, -2}, {0, 3}});
        INDArray b = Nd4j.createFromArray(new double[][] {{-1, 2}});
        DenseLayer layer = new DenseLayer(w, b, Activation.IDENTITY, 0.5, true);
        assertEquals(0.25 * (14 + 5), layer.penalty(), 1e-15);

        INDArray gw = Nd4j.zeros(DataType.DOUBLE, 2, 2);
        INDArray gb = Nd4j.ones(DataType.DOUBLE, 1, 2);
        layer.addPenaltyGradient(gw, gb);
        assertArrayEquals(new double[] {0.5, -1, 0, 1.5}, gw.reshape(4).toDoubleVector(), 1e-15);
        assertArrayEquals(new double[] {0.5, 2}, gb.reshape(2).toDoubleVector(), 1e-15);
    }

    @Test
    void zeroDecayAddsNothing() {
        DenseLayer layer = new DenseLayer(Nd4j.ones(DataType.DOUBLE, 3, 2), Nd4j.ones(DataType.DOUBLE, 1, 2),
                Activation.SIGMOID, 0.0, true);
        assertEquals(0.0, layer.penalty());
        INDArray gb = Nd4j.zeros(DataType.DOUBLE, 1, 2);
        layer.addPenaltyGradient(Nd4j.zeros(DataType.DOUBLE, 3, 2), gb);
        assertArrayEquals(new double[] {0, 0}, gb.reshape(2).toDoubleVector());
    }
}
