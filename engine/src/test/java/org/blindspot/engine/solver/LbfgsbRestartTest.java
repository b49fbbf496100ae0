package org.blindspot.engine.solver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.junit.jupiter.api.Test;

/**
 * {@link BatchedLbfgsb#restart}: a row restarted with its history shifted to a changed quadratic term solves the new
 * problem (the same optimum as a fresh start, in float64), stays in its box, and needs fewer evaluations; a shift
 * that leaves a pair without positive curvature falls back to an empty history, exactly a fresh start.
 */
class LbfgsbRestartTest {
    private static final int N = 40;
    private static final int ROWS = 8;
    private static final LbfgsbOptions OPTIONS = LbfgsbOptions.DEFAULTS.withM(5).withPgtol(1e-10).withFactr(10)
            .withMaxIterations(500).withMaxEvaluations(1000);

    /**
     * Per row {@code f(x) = sum_k softplus((B x)_k) - q.x + c ||x - a||^2} on [0, 1]^n: smooth, not quadratic,
     * strictly convex for c > 0, so each (row, c) has one minimiser. Counts points outside the box.
     */
    private static final class PenalisedSoftplus implements BatchObjective {
        final double[][][] b = new double[ROWS][][];
        final double[][] q = new double[ROWS][N];
        final double[][] a = new double[ROWS][N];
        final double[] c = new double[ROWS];
        int outside;

        PenalisedSoftplus(long seed) {
            Random random = new Random(seed);
            for (int r = 0; r < ROWS; r++) {
                b[r] = new double[N / 2][N];
                for (double[] line : b[r]) {
                    for (int i = 0; i < N; i++) {
                        line[i] = random.nextGaussian();
                    }
                }
                for (int i = 0; i < N; i++) {
                    q[r][i] = 3 * random.nextGaussian();
                    a[r][i] = random.nextDouble();
                }
                c[r] = 1;
            }
        }

        @Override
        public INDArray evaluate(int[] rows, INDArray x, INDArray grad) {
            double[][] xs = x.castTo(DataType.DOUBLE).toDoubleMatrix();
            double[][] gs = new double[rows.length][N];
            double[] fs = new double[rows.length];
            for (int t = 0; t < rows.length; t++) {
                fs[t] = value(rows[t], xs[t], gs[t]);
            }
            grad.assign(Nd4j.createFromArray(gs).castTo(grad.dataType()));
            return Nd4j.createFromArray(fs).castTo(x.dataType());
        }

        private double value(int r, double[] x, double[] g) {
            double f = 0;
            for (int i = 0; i < N; i++) {
                outside += x[i] >= 0 && x[i] <= 1 ? 0 : 1;
                double d = x[i] - a[r][i];
                f += c[r] * d * d - q[r][i] * x[i];
                g[i] = 2 * c[r] * d - q[r][i];
            }
            for (double[] line : b[r]) {
                double z = 0;
                for (int i = 0; i < N; i++) {
                    z += line[i] * x[i];
                }
                f += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
                double sigmoid = 1 / (1 + Math.exp(-z));
                for (int i = 0; i < N; i++) {
                    g[i] += sigmoid * line[i];
                }
            }
            return f;
        }
    }

    private static double[] filled(double value) {
        double[] v = new double[N];
        Arrays.fill(v, value);
        return v;
    }

    /**
     * Solves every row at c = 1 from the box's centre, then at {@code next[r]} from that minimiser: restarted with the
     * history shifted by {@code shift} (NaN: the exact shift {@code 2 (c' - c)}), or started afresh when null.
     */
    private static BatchedLbfgsb solveThenRestart(PenalisedSoftplus objective, double[] next, Double shift) {
        BatchedLbfgsb solver = new BatchedLbfgsb(OPTIONS, ROWS, N, DataType.DOUBLE);
        for (int r = 0; r < ROWS; r++) {
            solver.start(r, filled(0.5), filled(0), filled(1));
        }
        solver.solve(objective);
        double[] x = new double[N];
        for (int r = 0; r < ROWS; r++) {
            solver.copyX(r, x);
            double exact = 2 * (next[r] - objective.c[r]);
            objective.c[r] = next[r];
            if (shift == null) {
                solver.start(r, x, filled(0), filled(1));
            } else {
                solver.restart(r, x, shift.isNaN() ? exact : shift);
            }
        }
        solver.solve(objective);
        return solver;
    }

    @Test
    void keptHistoryReachesTheFreshOptimumWithFewerEvaluations() {
        double[] next = {10, 0.1, 3, 0.3, 100, 0.01, 1.5, 0.7};
        PenalisedSoftplus keptObjective = new PenalisedSoftplus(5);
        PenalisedSoftplus freshObjective = new PenalisedSoftplus(5);
        BatchedLbfgsb kept = solveThenRestart(keptObjective, next, Double.NaN);
        BatchedLbfgsb fresh = solveThenRestart(freshObjective, next, null);
        int keptEvaluations = 0;
        int freshEvaluations = 0;
        for (int r = 0; r < ROWS; r++) {
            assertTrue(kept.status(r).isConverged(), "row " + r + ": " + kept.status(r));
            assertTrue(fresh.status(r).isConverged(), "row " + r + ": " + fresh.status(r));
            double reference = fresh.f(r);
            assertEquals(reference, kept.f(r), 1e-8 * (1 + Math.abs(reference)), "row " + r);
            keptEvaluations += kept.evaluations(r);
            freshEvaluations += fresh.evaluations(r);
        }
        assertEquals(0, keptObjective.outside, "points outside the box");
        assertTrue(keptEvaluations < freshEvaluations,
                "kept history " + keptEvaluations + " evaluations, fresh " + freshEvaluations);
    }

    @Test
    void aShiftThatBreaksCurvatureRestartsWithAnEmptyHistory() {
        double[] next = {3, 0.5, 3, 0.5, 3, 0.5, 3, 0.5};
        BatchedLbfgsb kept = solveThenRestart(new PenalisedSoftplus(9), next, -1e6);
        BatchedLbfgsb fresh = solveThenRestart(new PenalisedSoftplus(9), next, null);
        for (int r = 0; r < ROWS; r++) {
            assertEquals(fresh.evaluations(r), kept.evaluations(r), "row " + r);
            assertEquals(fresh.f(r), kept.f(r), 0.0, "row " + r);
            assertArrayEquals(fresh.x(r).toDoubleVector(), kept.x(r).toDoubleVector(), 0.0, "row " + r);
        }
    }

    /**
     * Solves every row at c = 1, then restarts it at {@code next[r]} with the history shifted exactly, evaluating the
     * restart point ({@code known} false) or passing f and g there ({@code known} true), on {@code threads} threads.
     */
    private static BatchedLbfgsb restartedWithKnownStart(PenalisedSoftplus objective, double[] next, boolean known,
                                                         int threads) {
        BatchedLbfgsb solver = new BatchedLbfgsb(OPTIONS, ROWS, N, DataType.DOUBLE, threads);
        for (int r = 0; r < ROWS; r++) {
            solver.start(r, filled(0.5), filled(0), filled(1));
        }
        solver.solve(objective);
        double[] x = new double[N];
        double[] g = new double[N];
        for (int r = 0; r < ROWS; r++) {
            solver.copyX(r, x);
            double shift = 2 * (next[r] - objective.c[r]);
            objective.c[r] = next[r];
            if (known) {
                double f = objective.value(r, x, g);
                solver.restart(r, x, shift, f, g);
            } else {
                solver.restart(r, x, shift);
            }
        }
        solver.solve(objective);
        return solver;
    }

    @Test
    void aKnownStartTakesTheSameIteratesWithOneEvaluationFewer() {
        double[] next = {10, 0.1, 3, 0.3, 100, 0.01, 1.5, 0.7};
        for (int threads : new int[] {1, 2}) {
            BatchedLbfgsb evaluated = restartedWithKnownStart(new PenalisedSoftplus(5), next, false, threads);
            PenalisedSoftplus knownObjective = new PenalisedSoftplus(5);
            BatchedLbfgsb known = restartedWithKnownStart(knownObjective, next, true, threads);
            for (int r = 0; r < ROWS; r++) {
                assertTrue(known.status(r).isConverged(), "row " + r + ": " + known.status(r));
                assertEquals(evaluated.evaluations(r) - 1, known.evaluations(r), "row " + r + ", threads " + threads);
                assertEquals(evaluated.iterations(r), known.iterations(r), "row " + r + ", threads " + threads);
                assertEquals(evaluated.f(r), known.f(r), 0.0, "row " + r + ", threads " + threads);
                assertArrayEquals(evaluated.x(r).toDoubleVector(), known.x(r).toDoubleVector(), 0.0, "row " + r);
            }
            assertEquals(0, knownObjective.outside, "points outside the box");
        }
    }

    @Test
    void aKnownStartOutsideTheBoxOrNotFiniteIsEvaluated() {
        BatchedLbfgsb solver = new BatchedLbfgsb(OPTIONS, 1, N, DataType.DOUBLE);
        PenalisedSoftplus objective = new PenalisedSoftplus(3);
        solver.start(0, filled(0.5), filled(0), filled(1));
        solver.solve(objective);
        double[] g = new double[N];
        solver.restart(0, filled(2), 0, 1.0, g);
        solver.solve(objective);
        int outsideStart = solver.evaluations(0);
        assertTrue(solver.status(0).isConverged(), solver.status(0).toString());
        BatchedLbfgsb again = new BatchedLbfgsb(OPTIONS, 1, N, DataType.DOUBLE);
        again.start(0, filled(0.5), filled(0), filled(1));
        again.solve(objective);
        again.restart(0, filled(2), 0);
        again.solve(objective);
        assertEquals(again.evaluations(0), outsideStart, "a start projected onto the box is evaluated");
        g[3] = Double.NaN;
        solver.restart(0, filled(0.5), 0, 1.0, g);
        assertTrue(Double.isNaN(solver.f(0)), "a non-finite gradient is not taken: the start waits for its evaluation");
        assertThrows(IllegalArgumentException.class, () -> solver.restart(0, filled(0.5), 0, 1.0, new double[N - 1]));
    }

    @Test
    void restartChecksItsArguments() {
        BatchedLbfgsb solver = new BatchedLbfgsb(OPTIONS, 2, N, DataType.DOUBLE);
        assertThrows(IllegalStateException.class, () -> solver.restart(0, filled(0.5), 1));
        solver.start(0, filled(0.5), filled(0), filled(1));
        assertThrows(IllegalArgumentException.class, () -> solver.restart(0, filled(0.5), Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> solver.restart(0, filled(Double.NaN), 1));
        assertThrows(IllegalArgumentException.class, () -> solver.restart(0, new double[N - 1], 1));
        assertThrows(IllegalArgumentException.class, () -> solver.restart(2, filled(0.5), 1));
    }
}
