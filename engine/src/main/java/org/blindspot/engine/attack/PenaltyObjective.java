package org.blindspot.engine.attack;

import org.blindspot.engine.model.Classifier;
import org.blindspot.engine.solver.BatchObjective;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The penalty problem of section 4.1 for every slot of the solver's batch, over x' = x + r:
 *
 * <pre>
 *   f_b(x') = c_b * d(x' - x_b) + CE(model(x'), l_b),   0 <= x' <= 1
 * </pre>
 *
 * Each slot has its own original image x_b, target l_b and trade-off constant c_b, set with
 * {@link #assign}. One call evaluates the active rows with one batched model call.
 */
final class PenaltyObjective implements BatchObjective {

    private final Classifier model;
    private final Penalty penalty;
    private final INDArray originals;
    private final int[] targets;
    private final double[] tradeOffs;
    private long evaluations;
    private long modelNanos;

    /**
     * @param slots number of solver slots
     */
    PenaltyObjective(Classifier model, Penalty penalty, int slots) {
        this.model = model;
        this.penalty = penalty;
        this.originals = Nd4j.create(model.dataType(), slots, model.inputSize());
        this.targets = new int[slots];
        this.tradeOffs = new double[slots];
    }

    /** Sets the problem of {@code slot}: original image ([m] values), target label and c. */
    void assign(int slot, float[] original, int target, double c) {
        originals.putRow(slot, Nd4j.createFromArray(original).castTo(model.dataType()));
        targets[slot] = target;
        tradeOffs[slot] = c;
    }

    /** Changes c of {@code slot}, keeping its image and target. */
    void setTradeOff(int slot, double c) {
        tradeOffs[slot] = c;
    }

    /** Seconds spent in the model's loss-and-gradient calls so far. */
    double modelSeconds() {
        return modelNanos / 1e9;
    }

    /** Rows evaluated so far. */
    long evaluations() {
        return evaluations;
    }

    @Override
    public INDArray evaluate(int[] rows, INDArray x, INDArray grad) {
        int k = rows.length;
        evaluations += k;
        int[] rowTargets = new int[k];
        double[] c = new double[k];
        for (int i = 0; i < k; i++) {
            rowTargets[i] = targets[rows[i]];
            c[i] = tradeOffs[rows[i]];
        }
        long start = System.nanoTime();
        INDArray loss = model.lossAndInputGradient(x, rowTargets, grad);
        modelNanos += System.nanoTime() - start;
        INDArray r = x.sub(k == originals.rows() ? originals : Nd4j.pullRows(originals, 1, rows));
        INDArray cColumn = Nd4j.createFromArray(c).castTo(x.dataType()).reshape(k, 1);
        INDArray squared = r.mul(r).sum(1);
        if (penalty == Penalty.L2SQ) {
            grad.addi(r.muliColumnVector(cColumn.mul(2.0)));
            return loss.addi(squared.muli(cColumn.reshape(k)));
        }
        INDArray norm = Transforms.sqrt(squared.addi(Penalty.EPSILON * Penalty.EPSILON), false);
        grad.addi(r.diviColumnVector(norm.reshape(k, 1)).muliColumnVector(cColumn));
        return loss.addi(norm.muli(cColumn.reshape(k)));
    }
}
