package org.blindspot.engine.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.blindspot.engine.model.DenseLayer;
import org.blindspot.engine.model.DenseNetwork;
import org.blindspot.engine.solver.BatchObjective;
import org.blindspot.engine.solver.BatchedLbfgsb;
import org.blindspot.engine.solver.LbfgsbOptions;
import org.blindspot.engine.solver.LbfgsbResult;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The paper's trainer: full-batch L-BFGS on the mean cross-entropy over all training images plus
 * the weight decay, with the engine's own solver (one row, infinite bounds: plain L-BFGS).
 *
 * <p>Stopping rule ("until convergence"): the solver's tests with SciPy's defaults, projected
 * gradient inf-norm <= 1e-5 or relative reduction of f below 1e7 * machine epsilon, or
 * {@code maxIterations}. The parameters live in float64 in the solver; the network computes in its
 * own type.
 */
public final class FullBatchLbfgsTrainer {

    private final TrainOptions options;
    private final TrainingListener listener;

    public FullBatchLbfgsTrainer(TrainOptions options, TrainingListener listener) {
        this.options = options;
        this.listener = listener;
    }

    /** Trains the trainable layers of {@code net} in place; returns it. */
    public DenseNetwork train(String stage, DenseNetwork net, INDArray features, int[] labels) {
        List<DenseLayer> trainable = new ArrayList<>();
        for (DenseLayer layer : net.layers()) {
            if (layer.trainable()) {
                trainable.add(layer);
            }
        }
        int n = 0;
        for (DenseLayer layer : trainable) {
            n += (int) (layer.weights().length() + layer.bias().length());
        }
        Objective objective = new Objective(stage, net, trainable, features, labels, n);
        INDArray infinite = Nd4j.valueArrayOf(new long[] {n}, Double.POSITIVE_INFINITY, DataType.DOUBLE);
        LbfgsbOptions solverOptions = LbfgsbOptions.DEFAULTS.withMaxIterations(options.maxIterations())
                .withMaxEvaluations(options.maxIterations() * 2);
        LbfgsbResult result = BatchedLbfgsb.minimize(solverOptions, objective, objective.flatten(),
                infinite.neg(), infinite);
        objective.unflatten(result.x().reshape(1, n));
        return net;
    }

    /** f(theta) = mean CE + sum of penalties, over all images in chunks. */
    private final class Objective implements BatchObjective {
        private final String stage;
        private final DenseNetwork net;
        private final List<DenseLayer> trainable;
        private final INDArray features;
        private final int[] labels;
        private final int n;
        private final List<INDArray[]> grads = new ArrayList<>();
        private int evaluations;

        Objective(String stage, DenseNetwork net, List<DenseLayer> trainable, INDArray features, int[] labels,
                  int n) {
            this.stage = stage;
            this.net = net;
            this.trainable = trainable;
            this.features = features;
            this.labels = labels;
            this.n = n;
            for (DenseLayer layer : net.layers()) {
                grads.add(new INDArray[] {Nd4j.zerosLike(layer.weights()), Nd4j.zerosLike(layer.bias())});
            }
        }

        INDArray flatten() {
            INDArray flat = Nd4j.create(DataType.DOUBLE, n);
            int offset = 0;
            for (DenseLayer layer : trainable) {
                offset = put(flat, offset, layer.weights());
                offset = put(flat, offset, layer.bias());
            }
            return flat;
        }

        void unflatten(INDArray x) {
            int offset = 0;
            for (DenseLayer layer : trainable) {
                offset = take(x, offset, layer.weights());
                offset = take(x, offset, layer.bias());
            }
        }

        @Override
        public INDArray evaluate(int[] rows, INDArray x, INDArray grad) {
            unflatten(x);
            int count = (int) features.rows();
            List<INDArray[]> sums = new ArrayList<>();
            for (INDArray[] g : grads) {
                sums.add(new INDArray[] {Nd4j.zerosLike(g[0]), Nd4j.zerosLike(g[1])});
            }
            double loss = 0;
            int chunk = Math.max(options.batchSize(), 10_000);
            for (int from = 0; from < count; from += chunk) {
                int to = Math.min(count, from + chunk);
                INDArray part = features.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
                int[] partLabels = Arrays.copyOfRange(labels, from, to);
                loss += net.lossAndWeightGradients(part, partLabels, grads).sumNumber().doubleValue();
                for (int l = 0; l < grads.size(); l++) {
                    if (net.layers().get(l).trainable()) {
                        sums.get(l)[0].addi(grads.get(l)[0]);
                        sums.get(l)[1].addi(grads.get(l)[1]);
                    }
                }
            }
            loss /= count;
            int offset = 0;
            INDArray row = grad.reshape(n);
            for (int l = 0; l < net.layers().size(); l++) {
                DenseLayer layer = net.layers().get(l);
                if (!layer.trainable()) {
                    continue;
                }
                INDArray gw = sums.get(l)[0].divi(count);
                INDArray gb = sums.get(l)[1].divi(count);
                layer.addPenaltyGradient(gw, gb);
                loss += layer.penalty();
                offset = put(row, offset, gw);
                offset = put(row, offset, gb);
            }
            evaluations++;
            listener.progress(stage, evaluations,
                    options.maxIterations(), loss);
            return Nd4j.createFromArray(loss).castTo(x.dataType()).reshape(1);
        }

        private static int put(INDArray flat, int offset, INDArray values) {
            int length = (int) values.length();
            flat.get(NDArrayIndex.interval(offset, offset + length))
                    .assign(values.reshape(length).castTo(flat.dataType()));
            return offset + length;
        }

        private static int take(INDArray flat, int offset, INDArray target) {
            int length = (int) target.length();
            target.assign(flat.reshape(flat.length()).get(NDArrayIndex.interval(offset, offset + length))
                    .castTo(target.dataType()).reshape(target.shape()));
            return offset + length;
        }
    }
}
