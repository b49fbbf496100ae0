package org.blindspot.engine.paper;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.blindspot.engine.data.Dataset;
import org.blindspot.engine.model.DenseNetwork;
import org.blindspot.engine.model.Predictions;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Section 3 of Szegedy et al. (2014), "units of phi(x)": the held-out images that maximise the
 * activation of one hidden unit, argmax_x &lt;phi(x), e_i&gt;, are compared with those that maximise
 * a random direction of the same layer, argmax_x &lt;phi(x), v&gt;. The paper finds both equally
 * coherent. The quantitative check here is the label purity of the top-k images (the share of the
 * most frequent label among them), averaged over directions.
 */
public final class UnitAnalysis {

    /**
     * The outcome.
     *
     * @param layer         the hidden layer (1-based)
     * @param units         its width
     * @param unitTop       per unit direction analysed: the indices of its top-k test images, best first
     * @param randomTop     per random direction: the same
     * @param unitPurity    mean label purity of the top-k over unit directions
     * @param randomPurity  mean label purity over random directions
     * @param chancePurity  mean label purity of k test images drawn at random (the floor)
     */
    public record Result(int layer, int units, List<int[]> unitTop, List<int[]> randomTop, double unitPurity,
                         double randomPurity, double chancePurity) {
    }

    private UnitAnalysis() {
    }

    /**
     * Runs the analysis on every unit of {@code layer} and as many random directions (Gaussian,
     * normalised), seeded.
     *
     * @param k images per direction
     */
    public static Result analyse(DenseNetwork network, int layer, Dataset heldOut, int k, long seed) {
        INDArray phi = network.hiddenActivationsInChunks(heldOut.features(network.dataType()), layer)
                .castTo(DataType.DOUBLE);
        double[][] activations = Predictions.hostRows(phi);
        int units = activations[0].length;
        int[] labels = heldOut.labels();
        Random random = new Random(seed);
        List<int[]> unitTop = new ArrayList<>();
        List<int[]> randomTop = new ArrayList<>();
        double unitPurity = 0;
        double randomPurity = 0;
        for (int u = 0; u < units; u++) {
            double[] direction = new double[units];
            direction[u] = 1;
            int[] top = top(activations, direction, k);
            unitTop.add(top);
            unitPurity += purity(top, labels) / units;
            double[] v = new double[units];
            double norm = 0;
            for (int j = 0; j < units; j++) {
                v[j] = random.nextGaussian();
                norm += v[j] * v[j];
            }
            for (int j = 0; j < units; j++) {
                v[j] /= Math.sqrt(norm);
            }
            int[] topRandom = top(activations, v, k);
            randomTop.add(topRandom);
            randomPurity += purity(topRandom, labels) / units;
        }
        double chance = 0;
        int draws = 1000;
        for (int d = 0; d < draws; d++) {
            int[] sample = new int[k];
            for (int i = 0; i < k; i++) {
                sample[i] = random.nextInt(labels.length);
            }
            chance += purity(sample, labels) / draws;
        }
        return new Result(layer, units, unitTop, randomTop, unitPurity, randomPurity, chance);
    }

    /** Indices of the k rows with the largest &lt;row, direction&gt;, best first. */
    static int[] top(double[][] rows, double[] direction, int k) {
        double[] scores = new double[rows.length];
        Integer[] order = new Integer[rows.length];
        for (int i = 0; i < rows.length; i++) {
            double s = 0;
            for (int j = 0; j < direction.length; j++) {
                s += rows[i][j] * direction[j];
            }
            scores[i] = s;
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
        int[] out = new int[Math.min(k, rows.length)];
        for (int i = 0; i < out.length; i++) {
            out[i] = order[i];
        }
        return out;
    }

    /** The share of the most frequent label among the given images. */
    static double purity(int[] indices, int[] labels) {
        int[] counts = new int[Dataset.CLASSES];
        int best = 0;
        for (int i : indices) {
            best = Math.max(best, ++counts[labels[i]]);
        }
        return indices.length == 0 ? 0 : best / (double) indices.length;
    }
}
