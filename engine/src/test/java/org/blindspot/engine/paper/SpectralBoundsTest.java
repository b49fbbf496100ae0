package org.blindspot.engine.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.blindspot.engine.model.Activation;
import org.blindspot.engine.model.DenseNetwork;
import org.blindspot.engine.model.ModelFactory;
import org.blindspot.engine.model.ModelSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class SpectralBoundsTest {

    @Test
    void singularValueOfAKnownMatrix() {
        double[][] a = {{3, 0}, {0, -5}, {0, 0}};
        assertEquals(5, SpectralBounds.largestSingularValue(a, 1), 1e-9);
        double[][] b = {{1, 1}, {1, 1}};
        assertEquals(2, SpectralBounds.largestSingularValue(b, 1), 1e-9);
    }

    @Test
    void denseLayersCarryTheActivationsConstant() {
        DenseNetwork net = ModelFactory.initialise(ModelSpec.named("fc20-10", Activation.SIGMOID), 30, 10, 3,
                DataType.DOUBLE);
        List<SpectralBounds.Layer> layers = SpectralBounds.of(net, 1);
        assertEquals(2, layers.size());
        assertEquals(0.25, layers.get(0).activation());
        assertEquals(1.0, layers.get(1).activation());
        double sigma = SpectralBounds.largestSingularValue(net.layers().get(0).weights().toDoubleMatrix(), 9);
        assertEquals(sigma * 0.25, layers.get(0).bound(), 1e-9 * sigma);
        assertEquals(layers.get(0).bound() * layers.get(1).bound(), SpectralBounds.product(layers), 1e-12);
    }

    @ParameterizedTest
    @CsvSource({"3,2,3,8,1", "4,3,3,8,2", "2,3,5,12,3", "5,1,2,6,2"})
    void convolutionBoundMatchesPowerIterationOnTheOperator(int cout, int cin, int k, int size, int stride) {
        Random random = new Random(cout * 100 + cin * 10 + k);
        double[][][][] kernel = new double[cout][cin][k][k];
        for (double[][][] o : kernel) {
            for (double[][] c : o) {
                for (double[] row : c) {
                    for (int i = 0; i < row.length; i++) {
                        row[i] = random.nextGaussian();
                    }
                }
            }
        }
        double bound = ConvolutionBound.norm(kernel, size, stride);
        double power = ConvolutionBound.powerIteration(kernel, size, stride, 3000, 5);
        assertEquals(power, bound, 1e-3 * power, "DFT bound vs power iteration");
    }

    @Test
    void aSizeThatTheStrideDoesNotDivideIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ConvolutionBound.norm(new double[1][1][1][1], 7, 2));
    }
}
