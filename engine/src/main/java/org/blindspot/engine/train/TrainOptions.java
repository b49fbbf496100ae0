package org.blindspot.engine.train;

/**
 * Settings of a training run, checked when built.
 *
 * @param method       ADAM (minibatch) or LBFGS (full batch, the paper's)
 * @param epochs       passes over the data (Adam) ; ignored by L-BFGS
 * @param batchSize    minibatch size (Adam); chunk size of the full-batch evaluation (L-BFGS)
 * @param learningRate Adam's initial step, decayed by a cosine schedule to 1% of it at the last epoch
 * @param maxIterations L-BFGS iteration limit
 * @param seed         initialisation and shuffling seed
 */
public record TrainOptions(Method method, int epochs, int batchSize, double learningRate, int maxIterations,
                           long seed) {

    /** Default Adam epochs. */
    public static final int DEFAULT_EPOCHS = 40;
    /** Default minibatch size. */
    public static final int DEFAULT_BATCH = 128;
    /** Default Adam step. */
    public static final double DEFAULT_LEARNING_RATE = 2e-3;
    /** Default L-BFGS iteration limit. */
    public static final int DEFAULT_MAX_ITERATIONS = 2000;

    /** Which trainer. */
    public enum Method { ADAM, LBFGS }

    public TrainOptions {
        if (method == null) {
            throw new IllegalArgumentException("method: required");
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs: must be >= 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize: must be >= 1, got " + batchSize);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate: must be finite and > 0, got " + learningRate);
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations: must be >= 1, got " + maxIterations);
        }
    }

    /** Defaults: Adam, 40 epochs of minibatches of 128, step 2e-3, 2,000 L-BFGS iterations, seed 1. */
    public static TrainOptions defaults() {
        return new TrainOptions(Method.ADAM, DEFAULT_EPOCHS, DEFAULT_BATCH, DEFAULT_LEARNING_RATE,
                DEFAULT_MAX_ITERATIONS, 1);
    }

    public TrainOptions withMethod(Method value) {
        return new TrainOptions(value, epochs, batchSize, learningRate, maxIterations, seed);
    }

    public TrainOptions withEpochs(int value) {
        return new TrainOptions(method, value, batchSize, learningRate, maxIterations, seed);
    }

    public TrainOptions withBatchSize(int value) {
        return new TrainOptions(method, epochs, value, learningRate, maxIterations, seed);
    }

    public TrainOptions withLearningRate(double value) {
        return new TrainOptions(method, epochs, batchSize, value, maxIterations, seed);
    }

    public TrainOptions withMaxIterations(int value) {
        return new TrainOptions(method, epochs, batchSize, learningRate, value, seed);
    }

    public TrainOptions withSeed(long value) {
        return new TrainOptions(method, epochs, batchSize, learningRate, maxIterations, value);
    }
}
