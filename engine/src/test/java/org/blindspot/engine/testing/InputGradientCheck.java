package org.blindspot.engine.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.blindspot.engine.model.Classifier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Compares a classifier's input gradient with central finite differences, in float64. */
public final class InputGradientCheck {

    private InputGradientCheck() {
    }

    /**
     * Casts {@code network} to float64 and checks d loss_b / d x_b at every coordinate of a random batch.
     *
     * @param batch rows drawn from N(0, 1) with {@code seed}; targets are b mod k
     */
    public static void assertMatchesFiniteDifferences(Classifier network, int batch, long seed, String label) {
        Classifier net = network.castTo(DataType.DOUBLE);
        int m = net.inputSize();
        Random random = new Random(seed);
        double[] values = new double[batch * m];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextGaussian();
        }
        int[] targets = new int[batch];
        for (int b = 0; b < batch; b++) {
            targets[b] = b % net.numClasses();
        }
        assertMatchesFiniteDifferences(net, Nd4j.create(values, new long[] {batch, m}, DataType.DOUBLE), targets,
                label);
    }

    /**
     * Checks d loss_b / d x_b of a float64 classifier at every coordinate of {@code x} ([B, m], float64; it is
     * perturbed and restored) against central differences with step 1e-6, to 1e-7 relative.
     */
    public static void assertMatchesFiniteDifferences(Classifier net, INDArray x, int[] targets, String label) {
        assertMatchesFiniteDifferences(net, x, targets, label, Integer.MAX_VALUE, null);
    }

    /**
     * As {@link #assertMatchesFiniteDifferences(Classifier, INDArray, int[], String)}, at {@code samples}
     * coordinates drawn with {@code random} instead of all of them (for wide inputs, where each coordinate
     * costs two evaluations); every coordinate when {@code samples >= B m}.
     */
    public static void assertMatchesFiniteDifferences(Classifier net, INDArray x, int[] targets, String label,
                                                      int samples, Random random) {
        int batch = (int) x.rows();
        int m = (int) x.columns();
        INDArray grad = Nd4j.create(DataType.DOUBLE, batch, m);
        net.lossAndInputGradient(x, targets, grad);
        boolean all = (long) samples >= (long) batch * m;
        int count = all ? batch * m : samples;
        for (int k = 0; k < count; k++) {
            int b = all ? k / m : random.nextInt(batch);
            int i = all ? k % m : random.nextInt(m);
            double numeric = centralDifference(net, x, targets, b, i);
            assertEquals(numeric, grad.getDouble(b, i), 1e-7 * (1 + Math.abs(numeric)),
                    label + " row " + b + " input " + i);
        }
    }

    private static double centralDifference(Classifier net, INDArray x, int[] targets, int b, int i) {
        double h = 1e-6;
        int batch = (int) x.rows();
        int m = (int) x.columns();
        double saved = x.getDouble(b, i);
        x.putScalar(b, i, saved + h);
        double up = net.lossAndInputGradient(x, targets, Nd4j.create(DataType.DOUBLE, batch, m)).getDouble(b);
        x.putScalar(b, i, saved - h);
        double down = net.lossAndInputGradient(x, targets, Nd4j.create(DataType.DOUBLE, batch, m)).getDouble(b);
        x.putScalar(b, i, saved);
        return (up - down) / (2 * h);
    }
}
