package org.blindspot.engine.paper;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.blindspot.engine.model.Activation;
import org.blindspot.engine.model.DenseLayer;
import org.blindspot.engine.model.DenseNetwork;

/**
 * Section 4.3 of Szegedy et al. (2014): upper Lipschitz bounds of each layer and of the network,
 * ||phi(x) - phi(x + r)|| <= L ||r||. A fully connected layer act(W x + b) is bounded by the largest
 * singular value of W times the activation's largest slope (1/4 for the sigmoid, 1 for ReLU and
 * tanh); the network by the product over layers. Convolutions: {@link ConvolutionBound}.
 */
public final class SpectralBounds {

    private static final int ITERATIONS = 500;

    /**
     * One layer's bound.
     *
     * @param layer      1-based
     * @param shape      "784x100" and the like
     * @param operator   largest singular value of W
     * @param activation the activation's Lipschitz constant
     * @param bound      operator * activation
     */
    public record Layer(int layer, String shape, double operator, double activation, double bound) {
    }

    private SpectralBounds() {
    }

    /** Bounds of every layer of a dense network (the logits layer has no activation: factor 1). */
    public static List<Layer> of(DenseNetwork network, long seed) {
        List<Layer> layers = new ArrayList<>();
        List<DenseLayer> dense = network.layers();
        for (int l = 0; l < dense.size(); l++) {
            DenseLayer layer = dense.get(l);
            double sigma = largestSingularValue(layer.weights().toDoubleMatrix(), seed + l);
            Activation act = layer.activation();
            layers.add(new Layer(l + 1, layer.in() + "x" + layer.out(), sigma, act.lipschitz(), sigma * act.lipschitz()));
        }
        return layers;
    }

    /** The product of the layers' bounds: a Lipschitz bound of the whole network up to the logits. */
    public static double product(List<Layer> layers) {
        double product = 1;
        for (Layer layer : layers) {
            product *= layer.bound();
        }
        return product;
    }

    /**
     * The largest singular value of a real matrix by power iteration on A^T A (seeded start, run to
     * relative change 1e-12 or {@value #ITERATIONS} iterations).
     */
    public static double largestSingularValue(double[][] a, long seed) {
        Random random = new Random(seed);
        double[] v = new double[a[0].length];
        for (int j = 0; j < v.length; j++) {
            v[j] = random.nextGaussian();
        }
        return largestSingularValue(a, v);
    }

    /**
     * The same from the start vector {@code v} (length: A's columns), which is left holding the last iterate: a
     * warm start for a next, similar matrix (the convolution bound's neighbouring frequencies).
     */
    static double largestSingularValue(double[][] a, double[] v) {
        int rows = a.length;
        int cols = a[0].length;
        if (normalise(v) == 0) {
            v[0] = 1;
        }
        double sigma = 0;
        double[] u = new double[rows];
        double[] next = new double[cols];
        for (int it = 0; it < ITERATIONS; it++) {
            for (int i = 0; i < rows; i++) {
                double s = 0;
                double[] row = a[i];
                for (int j = 0; j < cols; j++) {
                    s += row[j] * v[j];
                }
                u[i] = s;
            }
            java.util.Arrays.fill(next, 0.0);
            for (int i = 0; i < rows; i++) {
                double ui = u[i];
                double[] row = a[i];
                for (int j = 0; j < cols; j++) {
                    next[j] += row[j] * ui;
                }
            }
            double norm = normalise(next);
            double estimate = Math.sqrt(norm);
            System.arraycopy(next, 0, v, 0, cols);
            if (norm == 0 || Math.abs(estimate - sigma) <= 1e-12 * estimate) {
                return estimate;
            }
            sigma = estimate;
        }
        return sigma;
    }

    static double normalise(double[] v) {
        double norm = 0;
        for (double x : v) {
            norm += x * x;
        }
        norm = Math.sqrt(norm);
        if (norm > 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] /= norm;
            }
        }
        return norm;
    }
}
