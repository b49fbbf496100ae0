package org.blindspot.engine.solver;

import org.nd4j.linalg.api.ndarray.INDArray;

/** A batch of independent objectives f_b: R^n -> R, evaluated for the active rows only. */
public interface BatchObjective {
    /**
     * Evaluates k rows at once.
     * @param rows the batch slots of the k rows, ascending (length k); lets the objective pick per-row parameters
     * @param x    [k, n] points, in the solver's data type
     * @param grad [k, n] buffer to fill with the gradient of each row's f at x
     * @return f per row, shape [k], same data type; a non-finite value (or non-finite gradient) marks that row NON_FINITE
     */
    INDArray evaluate(int[] rows, INDArray x, INDArray grad);

    /**
     * An optional term added on the host after {@link #evaluate}, for cheap elementwise parts of f (a distance
     * penalty, say) that are not worth device operations: returns its value at the point {@code x[xOff, xOff + n)}
     * of slot {@code row} and adds its gradient into {@code grad[gOff, gOff + n)}. Called only when
     * {@link #hasHostTerm()}, after {@link #evaluate} returned, once per evaluated row, possibly from several of the
     * solver's threads at once (for different rows); the default has none.
     */
    default double hostTerm(int row, double[] x, int xOff, double[] grad, int gOff) {
        return 0;
    }

    /** Whether {@link #hostTerm} is part of f. */
    default boolean hasHostTerm() {
        return false;
    }
}
