package org.blindspot.engine.train;

import java.util.List;
import org.blindspot.engine.model.DenseLayer;
import org.blindspot.engine.model.DenseNetwork;
import org.blindspot.engine.model.ModelFactory;
import org.blindspot.engine.model.ModelSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Trains a model of the zoo from its {@link ModelSpec}: a supervised network directly, or for
 * AE400-10 the sparse autoencoder first (without labels), then the softmax on its frozen codes.
 */
public final class ModelTrainer {

    private final TrainOptions options;
    private final TrainingListener listener;

    public ModelTrainer(TrainOptions options, TrainingListener listener) {
        this.options = options;
        this.listener = listener;
    }

    /**
     * @param features [N, m] training images (float32)
     * @param labels   N labels in [0, classes)
     */
    public DenseNetwork train(ModelSpec spec, INDArray features, int[] labels, int classes) {
        int inputs = (int) features.columns();
        DenseNetwork net = ModelFactory.initialise(spec, inputs, classes, options.seed(), features.dataType());
        if (spec.autoencoder()) {
            return trainOnAutoencoder(spec, net, features, labels);
        }
        return switch (options.method()) {
            case ADAM -> {
                new AdamTrainer(options, listener).train(spec.name(), net, features, labels);
                yield net;
            }
            case LBFGS -> new FullBatchLbfgsTrainer(options, listener).train(spec.name(), net, features, labels);
        };
    }

    /**
     * AE400-10: the sparse autoencoder without labels, then the softmax on its frozen codes by
     * full-batch L-BFGS (at most {@link #SOFTMAX_ITERATIONS} iterations), as the paper trains its
     * models. The codes are computed once. Adam left this convex problem visibly unconverged (2.9%
     * training error against 1.3% after L-BFGS on the same codes).
     */
    private DenseNetwork trainOnAutoencoder(ModelSpec spec, DenseNetwork initial, INDArray features, int[] labels) {
        DenseLayer encoder = new SparseAutoencoderTrainer(options, SparseAutoencoderTrainer.Settings.defaults(),
                listener).train(features, spec.hidden()[0]);
        DenseNetwork codes = new DenseNetwork(List.of(encoder, initial.layers().get(1)));
        INDArray hidden = codes.hiddenActivationsInChunks(features, 1);
        DenseLayer top = initial.layers().get(1);
        DenseNetwork softmax = new DenseNetwork(List.of(top));
        new FullBatchLbfgsTrainer(options.withMaxIterations(Math.min(options.maxIterations(), SOFTMAX_ITERATIONS)),
                listener).train(spec.name(), softmax, hidden, labels);
        return new DenseNetwork(List.of(encoder, top));
    }

    /** L-BFGS iterations of AE400-10's softmax layer. */
    public static final int SOFTMAX_ITERATIONS = 500;

    /** The data type training runs in. */
    public static DataType dataType() {
        return DataType.FLOAT;
    }
}
