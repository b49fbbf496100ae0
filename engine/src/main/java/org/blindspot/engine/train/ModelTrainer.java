package org.blindspot.engine.train;

import java.util.ArrayList;
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
            DenseLayer encoder = new SparseAutoencoderTrainer(options, SparseAutoencoderTrainer.Settings.defaults(),
                    listener).train(features, spec.hidden()[0]);
            List<DenseLayer> layers = new ArrayList<>(net.layers());
            layers.set(0, encoder);
            net = new DenseNetwork(layers);
        }
        return switch (options.method()) {
            case ADAM -> {
                new AdamTrainer(options, listener).train(spec.name(), net, features, labels);
                yield net;
            }
            case LBFGS -> new FullBatchLbfgsTrainer(options, listener).train(spec.name(), net, features, labels);
        };
    }

    /** The data type training runs in. */
    public static DataType dataType() {
        return DataType.FLOAT;
    }
}
