package org.blindspot.engine.attack;

import org.blindspot.engine.model.Classifier;
import org.blindspot.engine.solver.BatchObjective;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The penalty problem of section 4.1 for every slot of the solver's batch, over x' = x + r:
 *
 * <pre>
 *   f_b(x') = c_b * d(x' - x_b) + CE(model(x'), l_b),   0 <= x' <= 1
 * </pre>
 *
 * Each slot has its own original image x_b, target l_b and trade-off constant c_b, set with
 * {@link #assign}. One call evaluates the active rows with one batched model call; the distance term, cheap and
 * elementwise, is added on the host ({@link #hostTerm}) rather than by a dozen device operations per call.
 */
final class PenaltyObjective implements BatchObjective {

    private final Classifier model;
    private final Penalty penalty;
    private final int inputs;
    /** The slots' original images, as given (float32: half the bytes that the host term reads per row). */
    private final float[] originals;
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
        this.inputs = model.inputSize();
        this.originals = new float[slots * inputs];
        this.targets = new int[slots];
        this.tradeOffs = new double[slots];
    }

    /** Sets the problem of {@code slot}: original image ([m] values), target label and c. */
    void assign(int slot, float[] original, int target, double c) {
        System.arraycopy(original, 0, originals, slot * inputs, inputs);
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
        for (int i = 0; i < k; i++) {
            rowTargets[i] = targets[rows[i]];
        }
        long start = System.nanoTime();
        INDArray loss = model.lossAndInputGradient(x, rowTargets, grad);
        modelNanos += System.nanoTime() - start;
        return loss;
    }

    @Override
    public boolean hasHostTerm() {
        return true;
    }

    /**
     * c_b d(x' - x_b): {@code c ||r||^2} (gradient {@code 2 c r}) in one pass over the row, or
     * {@code c sqrt(||r||^2 + eps^2)} (gradient {@code c r / sqrt(...)}) in two, its scale known only after the
     * norm.
     */
    @Override
    public double hostTerm(int row, double[] x, int xOff, double[] grad, int gOff) {
        return addDistance(row, tradeOffs[row], x, xOff, grad, gOff);
    }

    /**
     * f and its gradient at {@code x} ([m]; the gradient in {@code grad}, updated in place) moved from trade-off
     * constant {@code from} to {@code to}: the objective changes by {@code (to - from) d(x - x_b)}.
     *
     * @return f under {@code to}
     */
    double shiftTradeOff(int slot, double[] x, double from, double to, double f, double[] grad) {
        return f + addDistance(slot, to - from, x, 0, grad, 0);
    }

    /** Adds {@code c} times the gradient of d(x - x_b) of {@code row} to {@code grad}; returns {@code c d(x - x_b)}. */
    private double addDistance(int row, double c, double[] x, int xOff, double[] grad, int gOff) {
        int o = row * inputs;
        double squared = 0;
        if (penalty == Penalty.L2SQ) {
            double scale = 2 * c;
            for (int i = 0; i < inputs; i++) {
                double r = x[xOff + i] - originals[o + i];
                squared += r * r;
                grad[gOff + i] += scale * r;
            }
            return c * squared;
        }
        for (int i = 0; i < inputs; i++) {
            double r = x[xOff + i] - originals[o + i];
            squared += r * r;
        }
        double norm = Math.sqrt(squared + Penalty.EPSILON * Penalty.EPSILON);
        double scale = c / norm;
        for (int i = 0; i < inputs; i++) {
            grad[gOff + i] += scale * (x[xOff + i] - originals[o + i]);
        }
        return c * norm;
    }
}
