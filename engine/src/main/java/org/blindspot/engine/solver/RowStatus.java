package org.blindspot.engine.solver;

/** The state of one slot of a {@link BatchedLbfgsb}; every value but IDLE and RUNNING is final. */
public enum RowStatus {
    /** Never started. */
    IDLE,
    /** Being minimised: the row takes part in the next batched evaluation. */
    RUNNING,
    /** Converged: infinity norm of the projected gradient {@code <= pgtol}. */
    CONVERGED_PGTOL,
    /** Converged: {@code (f_k - f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) <= factr * epsmch}. */
    CONVERGED_FACTR,
    /** Stopped after {@code maxIterations} iterations. */
    ITERATION_LIMIT,
    /** Stopped after {@code maxEvaluations} evaluations of f and g. */
    EVALUATION_LIMIT,
    /** The line search failed from a steepest-descent start (no usable curvature left). */
    LINE_SEARCH_FAILED,
    /** The objective returned a non-finite value or gradient; x is the last finite iterate. */
    NON_FINITE;

    /** Whether the row has stopped (converged or failed). */
    public boolean isFinished() {
        return this != IDLE && this != RUNNING;
    }

    /** Whether the row stopped because one of the two convergence tests passed. */
    public boolean isConverged() {
        return this == CONVERGED_PGTOL || this == CONVERGED_FACTR;
    }
}
