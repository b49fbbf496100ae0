package org.blindspot.engine.train;

import java.util.Random;
import org.blindspot.engine.model.Activation;
import org.blindspot.engine.model.DenseLayer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The unsupervised layer of AE400-10: a sigmoid sparse autoencoder (Ng, "Sparse autoencoder",
 * CS294A lecture notes, 2011) trained with minibatch Adam on
 *
 * <pre>
 *   J = (1 / 2B) sum_b ||sigmoid(sigmoid(x_b W1 + b1) W2 + b2) - x_b||^2
 *       + (lambda / 2) (||W1||^2 + ||W2||^2) + beta * sum_j KL(rho || rhohat_j)
 * </pre>
 *
 * with rhohat_j the mean activation of hidden unit j over the minibatch. Only the encoder
 * (W1, b1) is kept; the paper puts a softmax on top of it without fine-tuning.
 */
public final class SparseAutoencoderTrainer {

    /** Sparsity target rho, penalty weight beta and weight decay lambda (the notes' values). */
    public record Settings(double rho, double beta, double lambda) {
        public Settings {
            if (!(rho > 0 && rho < 1)) {
                throw new IllegalArgumentException("rho: must lie in (0, 1), got " + rho);
            }
            if (!(beta >= 0) || !(lambda >= 0)) {
                throw new IllegalArgumentException("beta, lambda: must be >= 0, got " + beta + ", " + lambda);
            }
        }

        /** rho = 0.1, beta = 3, lambda = 3e-3. */
        public static Settings defaults() {
            return new Settings(0.1, 3, 3e-3);
        }
    }

    private final TrainOptions options;
    private final Settings settings;
    private final TrainingListener listener;

    public SparseAutoencoderTrainer(TrainOptions options, Settings settings, TrainingListener listener) {
        this.options = options;
        this.settings = settings;
        this.listener = listener;
    }

    /**
     * Trains an encoder of {@code units} sigmoid units on {@code features} ([N, m], no labels).
     *
     * @return the encoder as a frozen sigmoid layer [m, units]
     */
    public DenseLayer train(INDArray features, int units) {
        DataType type = features.dataType();
        int n = (int) features.rows();
        int m = (int) features.columns();
        int batch = Math.min(options.batchSize(), n);
        Random random = new Random(options.seed());
        double limit = Math.sqrt(6.0 / (m + units + 1));
        INDArray w1 = uniform(m, units, limit, random, type);
        INDArray w2 = uniform(units, m, limit, random, type);
        INDArray b1 = Nd4j.zeros(type, 1, units);
        INDArray b2 = Nd4j.zeros(type, 1, m);
        INDArray[] params = {w1, b1, w2, b2};
        INDArray[] grads = new INDArray[params.length];
        Adam[] adam = new Adam[params.length];
        for (int p = 0; p < params.length; p++) {
            grads[p] = Nd4j.zerosLike(params[p]);
            adam[p] = new Adam(params[p]);
        }

        int steps = n / batch;
        long total = (long) steps * options.epochs();
        long done = 0;
        int[] order = Shuffle.identity(n);
        int[] rows = new int[batch];
        for (int epoch = 0; epoch < options.epochs(); epoch++) {
            Shuffle.inPlace(order, random);
            double rate = AdamTrainer.cosine(options.learningRate(), epoch, options.epochs());
            double sum = 0;
            for (int s = 0; s < steps; s++) {
                System.arraycopy(order, s * batch, rows, 0, batch);
                INDArray x = Nd4j.pullRows(features, 1, rows);
                double loss = lossAndGradients(x, params, grads);
                for (int p = 0; p < params.length; p++) {
                    adam[p].step(grads[p], rate);
                }
                sum += loss;
                done++;
                if (!Double.isFinite(loss)) {
                    throw new IllegalStateException("autoencoder: loss became " + loss + " at epoch " + (epoch + 1));
                }
                listener.progress("autoencoder", done, total, sum / (s + 1));
            }
        }
        return new DenseLayer(w1, b1, Activation.SIGMOID, 0, false);
    }

    /**
     * The objective J on one minibatch and its gradients.
     *
     * @param x      [B, m] inputs
     * @param params {W1 [m, h], b1 [1, h], W2 [h, m], b2 [1, m]}
     * @param grads  buffers of the same shapes, filled with dJ / d param
     * @return J
     */
    double lossAndGradients(INDArray x, INDArray[] params, INDArray[] grads) {
        INDArray w1 = params[0];
        INDArray w2 = params[2];
        int batch = (int) x.rows();
        INDArray hidden = Transforms.sigmoid(x.mmul(w1).addiRowVector(params[1]), false);
        INDArray output = Transforms.sigmoid(hidden.mmul(w2).addiRowVector(params[3]), false);
        INDArray error = output.sub(x);
        INDArray rhoHat = hidden.mean(true, 0);
        double loss = 0.5 * sq(error) / batch + 0.5 * settings.lambda() * (sq(w1) + sq(w2))
                + settings.beta() * kl(rhoHat);

        INDArray dOut = error.muli(output.rsub(1.0).muli(output)).divi(batch);
        Nd4j.gemm(hidden, dOut, grads[2], true, false, 1.0, 0.0);
        grads[2].addi(w2.mul(settings.lambda()));
        grads[3].assign(dOut.sum(true, 0));
        INDArray sparsity = rhoHat.rdiv(-settings.rho())
                .addi(rhoHat.rsub(1.0).rdivi(1 - settings.rho())).muli(settings.beta() / batch);
        INDArray dHidden = dOut.mmul(w2.transpose()).addiRowVector(sparsity)
                .muli(hidden.rsub(1.0).muli(hidden));
        Nd4j.gemm(x, dHidden, grads[0], true, false, 1.0, 0.0);
        grads[0].addi(w1.mul(settings.lambda()));
        grads[1].assign(dHidden.sum(true, 0));
        return loss;
    }

    private double kl(INDArray rhoHat) {
        double rho = settings.rho();
        double total = 0;
        for (double r : rhoHat.toDoubleVector()) {
            double q = Math.min(Math.max(r, 1e-12), 1 - 1e-12);
            total += rho * Math.log(rho / q) + (1 - rho) * Math.log((1 - rho) / (1 - q));
        }
        return total;
    }

    private static double sq(INDArray w) {
        double norm = w.norm2Number().doubleValue();
        return norm * norm;
    }

    private static INDArray uniform(int rows, int cols, double limit, Random random, DataType type) {
        double[] values = new double[rows * cols];
        for (int i = 0; i < values.length; i++) {
            values[i] = (2 * random.nextDouble() - 1) * limit;
        }
        return Nd4j.create(values, new long[] {rows, cols}, type);
    }
}
