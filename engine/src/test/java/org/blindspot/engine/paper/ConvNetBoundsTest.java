package org.blindspot.engine.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.blindspot.engine.data.Dataset;
import org.junit.jupiter.api.Test;

/** Section 4.3 on convolutional shapes: the small trained conv net and AlexNet's layer shapes. */
class ConvNetBoundsTest {

    @Test
    void theValidConvolutionIsBoundedByThePeriodicOneAndCloseToIt() {
        Random random = new Random(7);
        double[][][][] kernel = new double[4][2][3][3];
        for (double[][][] o : kernel) {
            for (double[][] c : o) {
                for (double[] row : c) {
                    for (int i = 0; i < row.length; i++) {
                        row[i] = random.nextGaussian();
                    }
                }
            }
        }
        int size = 10;
        double periodic = ConvolutionBound.norm(kernel, size + 2, 1);
        double valid = ConvolutionBound.validPowerIteration(kernel, size, 2000, 3);
        assertTrue(valid <= periodic * (1 + 1e-9), "valid " + valid + " > periodic bound " + periodic);
        assertTrue(valid >= 0.7 * periodic, "valid " + valid + " far below the periodic bound " + periodic);
    }

    @Test
    void aTrainedConvNetHasOneBoundPerLayerAndTheConvBoundHoldsForItsOperator() {
        Dataset data = randomDigits(300, 11);
        SmallConvNet.Trained trained = SmallConvNet.train(data, data.first(100), 1, 5, (steps, loss) -> { });
        assertTrue(trained.testError() >= 0 && trained.testError() <= 1);
        List<SpectralBounds.Layer> layers = SmallConvNet.bounds(trained.network(), 28, 5);
        assertEquals(4, layers.size());
        assertEquals(1.0, layers.get(1).bound(), "max-pooling is 1-Lipschitz");
        double valid = SmallConvNet.validConvolutionNorm(trained.network(), 28, 5);
        assertTrue(valid <= layers.get(0).bound() * (1 + 1e-9), "valid conv " + valid + " above its bound");
        assertEquals("2304x100", layers.get(2).shape());
        assertEquals("100x10", layers.get(3).shape());
        for (SpectralBounds.Layer layer : layers) {
            assertTrue(layer.bound() > 0 && Double.isFinite(layer.bound()), layer.toString());
        }
    }

    @Test
    void theDenseNormByNd4jMatchesTheHostPowerIteration() {
        double nd4j = AlexNetShapes.denseNorm(60, 40, 3);
        double[][] w = AlexNetShapes.heMatrix(60, 40, 3).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)
                .toDoubleMatrix();
        assertEquals(SpectralBounds.largestSingularValue(w, 1), nd4j, 1e-4 * nd4j);
        double expected = Math.sqrt(2.0 / 600) * (Math.sqrt(600) + Math.sqrt(400));
        double large = AlexNetShapes.denseNorm(600, 400, 4);
        assertEquals(expected, large, 0.05 * expected, "a Gaussian matrix's edge, sigma (sqrt(m) + sqrt(n))");
    }

    @Test
    void alexNetShapesAreThePapersAndHeKernelsHaveTheRightScale() {
        assertEquals(8, AlexNetShapes.SHAPES.size());
        assertEquals(8, AlexNetShapes.paperBounds().length);
        AlexNetShapes.Shape conv2 = AlexNetShapes.SHAPES.get(1);
        double[][][][] kernel = AlexNetShapes.heKernel(conv2, 1);
        assertEquals(256, kernel.length);
        assertEquals(96, kernel[0].length);
        double sum = 0;
        long count = 0;
        for (double[][][] o : kernel) {
            for (double[][] c : o) {
                for (double[] row : c) {
                    for (double v : row) {
                        sum += v * v;
                        count++;
                    }
                }
            }
        }
        assertEquals(2.0 / (96 * 25), sum / count, 0.05 * 2.0 / (96 * 25));
    }

    private static Dataset randomDigits(int n, long seed) {
        Random random = new Random(seed);
        float[] pixels = new float[n * 784];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
            for (int p = 0; p < 784; p++) {
                pixels[i * 784 + p] = random.nextFloat() < 0.2 ? random.nextFloat() : 0f;
            }
            pixels[i * 784 + 100 + 50 * labels[i]] = 1f;
        }
        return Dataset.of("random", 28, 28, pixels, labels);
    }
}
