package org.blindspot.engine.paper;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Section 4.3's bounds on the layer shapes of AlexNet (the paper's Table 5), with He-initialised weights
 * (Gaussian, variance 2 / fan-in; seeded): five convolutions, then three fully connected layers. The paper's
 * numbers come from the trained network, which this project does not have; these are the same shapes'
 * bounds at initialisation, to show the computation at that scale, not to compare values.
 *
 * <p>Convolutions use {@link ConvolutionBound} on the periodic grid of the layer's input (224 for conv1,
 * so that stride 4 divides it; 27 for conv2; 13 for conv3-5). Fully connected layers use power iteration
 * with ND4J matrix-vector products (9216 x 4096 is too large for the host loops).
 */
public final class AlexNetShapes {

    /** One layer: convolution (kernel > 0) or fully connected (kernel 0: in x out). */
    record Shape(String name, int in, int out, int kernel, int stride, int grid, double paperBound) {
        String describe() {
            return kernel > 0
                    ? String.format(Locale.ROOT, "%s %dx%dx%dx%d stride %d", name, in, kernel, kernel, out, stride)
                    : String.format(Locale.ROOT, "%s %dx%d", name, in, out);
        }
    }

    /** The shapes, with the paper's bounds for the trained network. */
    static final List<Shape> SHAPES = List.of(
            new Shape("conv1", 3, 96, 11, 4, 224, 2.75),
            new Shape("conv2", 96, 256, 5, 1, 27, 10),
            new Shape("conv3", 256, 384, 3, 1, 13, 7),
            new Shape("conv4", 384, 384, 3, 1, 13, 7.5),
            new Shape("conv5", 384, 256, 3, 1, 13, 11),
            new Shape("fc1", 9216, 4096, 0, 1, 0, 3.12),
            new Shape("fc2", 4096, 4096, 0, 1, 0, 4),
            new Shape("fc3", 4096, 1000, 0, 1, 0, 4));

    private static final int FC_ITERATIONS = 1000;

    private AlexNetShapes() {
    }

    /** The paper's bound of each layer, in order. */
    public static double[] paperBounds() {
        return SHAPES.stream().mapToDouble(Shape::paperBound).toArray();
    }

    /**
     * Every layer's bound (the ReLU after each has slope 1; pooling and normalisation are contractive).
     *
     * @param done called after each layer
     */
    public static List<SpectralBounds.Layer> bounds(long seed, Consumer<SpectralBounds.Layer> done) {
        List<SpectralBounds.Layer> layers = new ArrayList<>();
        for (int l = 0; l < SHAPES.size(); l++) {
            Shape shape = SHAPES.get(l);
            double sigma = shape.kernel() > 0
                    ? ConvolutionBound.norm(heKernel(shape, seed + l), shape.grid(), shape.stride())
                    : denseNorm(shape.in(), shape.out(), seed + l);
            SpectralBounds.Layer layer = new SpectralBounds.Layer(l + 1, shape.describe(), sigma, 1, sigma);
            layers.add(layer);
            done.accept(layer);
        }
        return layers;
    }

    static double[][][][] heKernel(Shape shape, long seed) {
        Random random = new Random(seed);
        double std = Math.sqrt(2.0 / (shape.in() * shape.kernel() * shape.kernel()));
        double[][][][] kernel = new double[shape.out()][shape.in()][shape.kernel()][shape.kernel()];
        for (double[][][] o : kernel) {
            for (double[][] c : o) {
                for (double[] row : c) {
                    for (int b = 0; b < row.length; b++) {
                        row[b] = std * random.nextGaussian();
                    }
                }
            }
        }
        return kernel;
    }

    /**
     * A He-initialised in x out float matrix from {@link Random} (ND4J's own generator repeats blocks of values
     * in arrays this large, which inflates the largest singular value).
     */
    static INDArray heMatrix(int in, int out, long seed) {
        Random random = new Random(seed);
        float std = (float) Math.sqrt(2.0 / in);
        float[] values = new float[in * out];
        for (int i = 0; i < values.length; i++) {
            values[i] = std * (float) random.nextGaussian();
        }
        return Nd4j.create(values, new long[] {in, out}, DataType.FLOAT);
    }

    /** The largest singular value of a He-initialised in x out matrix, by power iteration on W^T W. */
    static double denseNorm(int in, int out, long seed) {
        INDArray w = heMatrix(in, out, seed);
        INDArray v = Nd4j.ones(DataType.FLOAT, out, 1);
        v.divi(v.norm2Number());
        double sigma = 0;
        for (int it = 0; it < FC_ITERATIONS; it++) {
            INDArray next = w.transpose().mmul(w.mmul(v));
            double norm = next.norm2Number().doubleValue();
            double estimate = Math.sqrt(norm);
            v = next.divi(norm);
            if (Math.abs(estimate - sigma) <= 1e-7 * estimate) {
                return estimate;
            }
            sigma = estimate;
        }
        return sigma;
    }
}
