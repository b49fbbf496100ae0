package org.blindspot.engine.train;

import java.util.Random;
import org.blindspot.engine.model.DenseNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fast trainer: minibatch Adam on the mean cross-entropy plus the paper's weight decay
 * (lambda / 2) * (sum(W^2) + sum(b^2)) per layer, with a cosine learning-rate decay. Seeded shuffling; with one
 * ND4J thread on the CPU backend, the same seed gives the same network.
 */
public final class AdamTrainer {

    private final TrainOptions options;
    private final TrainingListener listener;

    public AdamTrainer(TrainOptions options, TrainingListener listener) {
        this.options = options;
        this.listener = listener;
    }

    /**
     * Trains the trainable layers of {@code net} in place.
     *
     * @param stage    name shown in progress reports
     * @param features [N, m] training inputs, in the network's data type
     * @param labels   N labels
     * @return the final epoch's mean training loss (data term plus decay)
     */
    public double train(String stage, DenseNetwork net, INDArray features, int[] labels) {
        return train(stage, net, features, labels, (epoch, loss) -> { });
    }

    /** Called after each epoch (1-based) with its mean training loss. */
    @FunctionalInterface
    public interface EpochListener {
        void finished(int epoch, double loss);
    }

    /** {@link #train(String, DenseNetwork, INDArray, int[])} with a call after every epoch. */
    public double train(String stage, DenseNetwork net, INDArray features, int[] labels, EpochListener epochs) {
        int n = (int) features.rows();
        if (labels.length != n) {
            throw new IllegalArgumentException("labels: " + labels.length + " labels for " + n + " images");
        }
        int batch = Math.min(options.batchSize(), n);
        int stepsPerEpoch = n / batch;
        long total = (long) stepsPerEpoch * options.epochs();
        AdamStep adam = new AdamStep(net);
        Random random = new Random(options.seed());
        int[] order = Shuffle.identity(n);
        int[] rows = new int[batch];
        int[] targets = new int[batch];
        double epochLoss = Double.NaN;
        long done = 0;
        for (int epoch = 0; epoch < options.epochs(); epoch++) {
            Shuffle.inPlace(order, random);
            double rate = cosine(options.learningRate(), epoch, options.epochs());
            double sum = 0;
            for (int s = 0; s < stepsPerEpoch; s++) {
                for (int i = 0; i < batch; i++) {
                    rows[i] = order[s * batch + i];
                    targets[i] = labels[rows[i]];
                }
                INDArray x = Nd4j.pullRows(features, 1, rows);
                double loss = adam.step(x, targets, rate);
                sum += loss;
                done++;
                if (!Double.isFinite(loss)) {
                    throw new IllegalStateException(stage + ": training loss became " + loss + " at epoch "
                            + (epoch + 1) + "; try a smaller --learning-rate");
                }
                listener.progress(stage, done, total, sum / (s + 1));
            }
            epochLoss = sum / stepsPerEpoch;
            epochs.finished(epoch + 1, epochLoss);
        }
        return epochLoss;
    }

    /** Learning rate at {@code epoch}: from {@code base} down to base / 100 along a half cosine. */
    static double cosine(double base, int epoch, int epochs) {
        double floor = base / 100;
        if (epochs == 1) {
            return base;
        }
        double phase = Math.PI * epoch / (epochs - 1);
        return floor + (base - floor) * 0.5 * (1 + Math.cos(phase));
    }
}
