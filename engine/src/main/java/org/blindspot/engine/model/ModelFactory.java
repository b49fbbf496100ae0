package org.blindspot.engine.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Builds freshly initialised networks for a {@link ModelSpec}. */
public final class ModelFactory {

    private ModelFactory() {
    }

    /**
     * A network with Glorot-uniform weights (scaled by 4 for sigmoid layers, as Glorot and Bengio
     * 2010 advise) and zero biases, drawn from a {@link Random} seeded with {@code seed} so that the
     * same seed gives the same network on every backend.
     */
    public static DenseNetwork initialise(ModelSpec spec, int inputs, int classes, long seed, DataType type) {
        Random random = new Random(seed);
        int[] sizes = spec.layerSizes(inputs, classes);
        double[] decay = spec.weightDecay();
        List<DenseLayer> layers = new ArrayList<>();
        for (int l = 0; l + 1 < sizes.length; l++) {
            boolean last = l + 2 == sizes.length;
            Activation act = last ? Activation.IDENTITY : spec.activation();
            layers.add(new DenseLayer(glorot(sizes[l], sizes[l + 1], act, random, type),
                    Nd4j.zeros(type, 1, sizes[l + 1]), act, decay[l], true));
        }
        return new DenseNetwork(layers);
    }

    /** A [in, out] matrix uniform in +-sqrt(6 / (in + out)), times 4 for sigmoid. */
    static INDArray glorot(int in, int out, Activation act, Random random, DataType type) {
        double limit = Math.sqrt(6.0 / (in + out)) * (act == Activation.SIGMOID ? 4 : 1);
        double[] values = new double[in * out];
        for (int i = 0; i < values.length; i++) {
            values[i] = (2 * random.nextDouble() - 1) * limit;
        }
        return Nd4j.create(values, new long[] {in, out}, type);
    }
}
