package org.blindspot.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.blindspot.engine.testing.InputGradientCheck;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Input and weight gradients of every zoo architecture against central finite differences, in float64. */
class DenseNetworkGradientTest {

    private static final int INPUTS = 784;
    private static final int CLASSES = 10;

    @ParameterizedTest
    @ValueSource(strings = {"fc10-1e-4", "fc100-100-10", "fc200-200-10", "fc123-456-10", "ae400-10",
            "fc30-20-10:relu", "fc30-10:tanh"})
    void inputGradientMatchesFiniteDifferences(String name) {
        DenseNetwork net = network(name);
        Random random = new Random(7);
        int batch = 3;
        INDArray x = randomImages(batch, random);
        int[] targets = {3, 0, 9};
        INDArray loss = net.lossAndInputGradient(x, targets, Nd4j.create(DataType.DOUBLE, batch, INPUTS));
        assertEquals(batch, loss.length());
        InputGradientCheck.assertMatchesFiniteDifferences(net, x, targets, name, 12, random);
    }

    @ParameterizedTest
    @ValueSource(strings = {"fc10-1e-2", "fc100-100-10", "fc30-20-10:relu"})
    void weightGradientsMatchFiniteDifferences(String name) {
        DenseNetwork net = network(name);
        Random random = new Random(11);
        INDArray x = randomImages(4, random);
        int[] targets = {1, 2, 3, 4};
        List<INDArray[]> grads = new ArrayList<>();
        for (DenseLayer layer : net.layers()) {
            grads.add(new INDArray[] {Nd4j.create(DataType.DOUBLE, layer.in(), layer.out()),
                    Nd4j.create(DataType.DOUBLE, 1, layer.out())});
        }
        net.lossAndWeightGradients(x, targets, grads);
        double h = 1e-6;
        for (int l = 0; l < net.layers().size(); l++) {
            DenseLayer layer = net.layers().get(l);
            for (int p = 0; p < 2; p++) {
                INDArray param = p == 0 ? layer.weights() : layer.bias();
                for (int trial = 0; trial < 4; trial++) {
                    int r = random.nextInt((int) param.rows());
                    int c = random.nextInt((int) param.columns());
                    double saved = param.getDouble(r, c);
                    param.putScalar(r, c, saved + h);
                    double up = net.lossAndInputGradient(x, targets, Nd4j.create(DataType.DOUBLE, 4, INPUTS)).sumNumber().doubleValue();
                    param.putScalar(r, c, saved - h);
                    double down = net.lossAndInputGradient(x, targets, Nd4j.create(DataType.DOUBLE, 4, INPUTS)).sumNumber().doubleValue();
                    param.putScalar(r, c, saved);
                    double numeric = (up - down) / (2 * h);
                    assertEquals(numeric, grads.get(l)[p].getDouble(r, c), 1e-6 * (1 + Math.abs(numeric)),
                            name + " layer " + (l + 1) + (p == 0 ? " W" : " b") + "[" + r + "," + c + "]");
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 64})
    void batchRowsAreIndependentOfTheirNeighbours(int batch) {
        DenseNetwork net = network("fc100-100-10");
        Random random = new Random(3);
        INDArray x = randomImages(batch, random);
        int[] targets = new int[batch];
        for (int b = 0; b < batch; b++) {
            targets[b] = b % CLASSES;
        }
        INDArray grad = Nd4j.create(DataType.DOUBLE, batch, INPUTS);
        INDArray loss = net.lossAndInputGradient(x, targets, grad);
        int row = batch / 2;
        INDArray single = Nd4j.create(DataType.DOUBLE, 1, INPUTS);
        INDArray alone = net.lossAndInputGradient(x.getRow(row, true), new int[] {targets[row]}, single);
        assertEquals(alone.getDouble(0), loss.getDouble(row), 1e-12);
        assertTrue(single.equalsWithEps(grad.getRow(row, true), 1e-12));
    }

    static DenseNetwork network(String name) {
        String[] parts = name.split(":");
        Activation act = parts.length > 1 ? Activation.parse(parts[1]) : Activation.SIGMOID;
        return ModelFactory.initialise(ModelSpec.named(parts[0], act), INPUTS, CLASSES, 42, DataType.DOUBLE);
    }

    static INDArray randomImages(int batch, Random random) {
        double[] values = new double[batch * INPUTS];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextDouble();
        }
        return Nd4j.create(values, new long[] {batch, INPUTS}, DataType.DOUBLE);
    }
}
