package org.blindspot.engine.solver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Rows that cannot make progress, fixed variables and infeasible starts, each without disturbing other rows. */
class LbfgsbEdgeCasesTest {
    private static final int N = 6;

    /** Row 0: {@code 0.5 |x - 2|^2}; row 1: the same value with the gradient's sign flipped (a wrong gradient). */
    private static final class TwoRows implements BatchObjective {
        boolean nanGradient;

        @Override
        public INDArray evaluate(int[] rows, INDArray x, INDArray grad) {
            double[][] xs = x.toDoubleMatrix();
            double[][] gs = new double[rows.length][N];
            double[] fs = new double[rows.length];
            for (int t = 0; t < rows.length; t++) {
                for (int i = 0; i < N; i++) {
                    double r = xs[t][i] - 2;
                    fs[t] += 0.5 * r * r;
                    gs[t][i] = rows[t] == 1 ? -r : r;
                }
                if (rows[t] == 1 && nanGradient) {
                    gs[t][3] = Double.NaN;
                }
            }
            grad.assign(Nd4j.createFromArray(gs));
            return Nd4j.createFromArray(fs);
        }
    }

    private static BatchedLbfgsb solve(TwoRows objective) {
        BatchedLbfgsb solver = new BatchedLbfgsb(LbfgsbOptions.DEFAULTS, 2, N, DataType.DOUBLE);
        double[] lower = {0, 0, 0, 1.5, -5, Double.NEGATIVE_INFINITY};
        double[] upper = {1, 3, 3, 1.5, 5, Double.POSITIVE_INFINITY};
        double[] x0 = {-4, 9, 0.5, 1.5, 0, 0};
        solver.start(0, x0, lower, upper);
        solver.start(1, x0, lower, upper);
        solver.solve(objective);
        return solver;
    }

    @Test
    void aWrongGradientEndsInLineSearchFailureAndTheOtherRowConverges() {
        BatchedLbfgsb solver = solve(new TwoRows());
        assertEquals(RowStatus.LINE_SEARCH_FAILED, solver.status(1));
        assertTrue(solver.status(0).isConverged(), solver.status(0).toString());
        assertArrayEquals(new double[] {1, 2, 2, 1.5, 2, 2}, solver.x(0).toDoubleVector(), 1e-8);
    }

    @Test
    void aNonFiniteGradientEndsTheRowAtItsStart() {
        TwoRows objective = new TwoRows();
        objective.nanGradient = true;
        BatchedLbfgsb solver = solve(objective);
        assertEquals(RowStatus.NON_FINITE, solver.status(1));
        assertEquals(1, solver.evaluations(1));
        assertArrayEquals(new double[] {0, 3, 0.5, 1.5, 0, 0}, solver.x(1).toDoubleVector(), 0.0);
        assertTrue(solver.status(0).isConverged());
    }

    @Test
    void idleRowsAreNeverEvaluated() {
        BatchedLbfgsb solver = new BatchedLbfgsb(LbfgsbOptions.DEFAULTS, 3, N, DataType.DOUBLE);
        double[] lower = new double[N];
        double[] upper = new double[N];
        java.util.Arrays.fill(upper, 1);
        solver.start(0, new double[N], lower, upper);
        ProblemObjective counting = new ProblemObjective(RandomProblems.batch(3, N, 5));
        solver.solve((rows, x, grad) -> {
            assertArrayEquals(new int[] {0}, rows);
            return counting.evaluate(rows, x, grad);
        });
        assertEquals(RowStatus.IDLE, solver.status(1));
        assertEquals(RowStatus.IDLE, solver.status(2));
        assertTrue(solver.status(0).isFinished());
    }
}
