package org.blindspot.engine.solver;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The outcome of one minimisation.
 *
 * @param x           [n] final point (the last accepted iterate), in the solver's data type
 * @param f           f at x
 * @param status      why the row stopped
 * @param iterations  number of accepted iterations
 * @param evaluations number of evaluations of f and g, including the one at x0
 */
public record LbfgsbResult(INDArray x, double f, RowStatus status, int iterations, int evaluations) {
}
