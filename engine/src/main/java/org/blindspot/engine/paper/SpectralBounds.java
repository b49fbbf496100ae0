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
        int rows = a.length;
        int cols = a[0].length;
        Random random = new Random(seed);
        double[] v = new double[cols];
        for (int j = 0; j < cols; j++) {
            v[j] = random.nextGaussian();
        }
        normalise(v);
        double sigma = 0;
        double[] u = new double[rows];
        for (int it = 0; it < ITERATIONS; it++) {
            for (int i = 0; i < rows; i++) {
                double s = 0;
                for (int j = 0; j < cols; j++) {
                    s += a[i][j] * v[j];
                }
                u[i] = s;
            }
            double[] next = new double[cols];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    next[j] += a[i][j] * u[i];
                }
            }
            double norm = normalise(next);
            double estimate = Math.sqrt(norm);
            v = next;
            if (Math.abs(estimate - sigma) <= 1e-12 * estimate) {
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
