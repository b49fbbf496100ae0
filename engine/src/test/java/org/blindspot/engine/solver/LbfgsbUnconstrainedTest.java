package org.blindspot.engine.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Infinite bounds give plain L-BFGS; the one-problem convenience on n = 200,000 (the model trainer's size),
 * with an objective written in ND4J ops: {@code f = 0.5 sum w (x - c)^2}, minimiser c.
 */
class LbfgsbUnconstrainedTest {
    @Test
    void minimizesALargeUnconstrainedProblem() {
        int n = 200_000;
        Nd4j.getRandom().setSeed(21);
        INDArray w = Nd4j.rand(DataType.DOUBLE, 1, n).muli(9).addi(1);
        INDArray c = Nd4j.randn(DataType.DOUBLE, 1, n);
        BatchObjective objective = (rows, x, grad) -> {
            INDArray r = x.sub(c);
            grad.assign(r.mul(w));
            return r.mul(r).mul(w).sum(1).muli(0.5);
        };
        INDArray x0 = Nd4j.zeros(DataType.DOUBLE, n);
        INDArray lower = Nd4j.valueArrayOf(new long[] {n}, Double.NEGATIVE_INFINITY, DataType.DOUBLE);
        INDArray upper = Nd4j.valueArrayOf(new long[] {n}, Double.POSITIVE_INFINITY, DataType.DOUBLE);
        LbfgsbResult result = BatchedLbfgsb.minimize(LbfgsbOptions.DEFAULTS, objective, x0, lower, upper);
        assertTrue(result.status().isConverged(), result.status().toString());
        assertEquals(n, result.x().length());
        double error = Transforms.abs(result.x().sub(c.reshape(n))).maxNumber().doubleValue();
        assertTrue(error < 1e-3, "max error " + error);
        assertTrue(result.evaluations() < 200, "evaluations " + result.evaluations());
    }
}
