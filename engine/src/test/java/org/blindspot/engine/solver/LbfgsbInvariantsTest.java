package org.blindspot.engine.solver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Invariants of the batched solver: bounds hold exactly, f never increases, a row solved in a batch equals the
 * row solved alone, evaluation counts add up, a failing row leaves the others alone, slots can be restarted.
 */
class LbfgsbInvariantsTest {
    private static final int N = 40;

    /** Solves the problems in one batch. */
    private static BatchedLbfgsb solveBatch(ProblemObjective objective) {
        BatchedLbfgsb solver = new BatchedLbfgsb(LbfgsbOptions.DEFAULTS, objective.problems.length, N, DataType.DOUBLE);
        for (int k = 0; k < objective.problems.length; k++) {
            TestProblem p = objective.problems[k];
            solver.start(k, p.x0, p.lower, p.upper);
        }
        solver.solve(objective);
        return solver;
    }

    private static BatchedLbfgsb solveAlone(TestProblem problem) {
        return solveBatch(new ProblemObjective(problem));
    }

    private static void assertSameRow(BatchedLbfgsb expected, int expectedRow, BatchedLbfgsb actual, int actualRow) {
        assertEquals(expected.status(expectedRow), actual.status(actualRow));
        assertEquals(expected.iterations(expectedRow), actual.iterations(actualRow));
        assertEquals(expected.evaluations(expectedRow), actual.evaluations(actualRow));
        assertEquals(expected.f(expectedRow), actual.f(actualRow), 1e-12 * (1 + Math.abs(expected.f(expectedRow))));
        assertArrayEquals(expected.x(expectedRow).toDoubleVector(), actual.x(actualRow).toDoubleVector(), 1e-12);
    }

    @Test
    void rowInBatchOf256EqualsRowSolvedAloneAndCountsAddUp() {
        ProblemObjective objective = new ProblemObjective(RandomProblems.batch(256, N, 11));
        BatchedLbfgsb batch = solveBatch(objective);
        long total = 0;
        for (int k = 0; k < 256; k++) {
            assertTrue(batch.status(k).isConverged(), "row " + k + ": " + batch.status(k));
            total += batch.evaluations(k);
        }
        assertEquals(objective.rowsEvaluated, total);
        assertEquals(0, objective.boundViolations);
        int[] previous = java.util.stream.IntStream.range(0, 256).toArray();
        for (int[] rows : objective.rowsPerCall) {
            for (int t = 0; t < rows.length; t++) {
                assertTrue(t == 0 || rows[t - 1] < rows[t], "rows passed in ascending order");
                assertTrue(java.util.Arrays.binarySearch(previous, rows[t]) >= 0, "a finished row came back");
            }
            previous = rows;
        }
        assertTrue(objective.rowsPerCall.get(objective.rowsPerCall.size() - 1).length < 256, "finished rows drop out");
        for (int row : new int[] {0, 1, 2, 3, 4, 128, 254, 255}) {
            assertSameRow(solveAlone(objective.problems[row]), 0, batch, row);
        }
    }

    @Test
    void resultsDoNotDependOnTheNumberOfThreads() {
        ProblemObjective objective = new ProblemObjective(RandomProblems.batch(24, N, 17));
        BatchedLbfgsb parallel = startedOnTwoThreads(objective);
        parallel.solve(objective);
        assertSameAsOneThread(parallel);
    }

    @Test
    void readingRowsBetweenPipelinedStepsDoesNotChangeResults() {
        ProblemObjective objective = new ProblemObjective(RandomProblems.batch(24, N, 17));
        BatchedLbfgsb parallel = startedOnTwoThreads(objective);
        double[] last = new double[24];
        java.util.Arrays.fill(last, Double.POSITIVE_INFINITY);
        int steps = 0;
        while (parallel.step(objective)) {
            steps++;
            for (int k = 0; k < 24; k++) {
                parallel.status(k);
                if ((k + steps) % 5 == 0) {
                    double f = parallel.f(k);
                    assertTrue(!(f > last[k]), "row " + k + ": f rose from " + last[k] + " to " + f);
                    last[k] = Double.isNaN(f) ? last[k] : f;
                }
            }
        }
        assertSameAsOneThread(parallel);
    }

    @Test
    void aRowWithItsOwnBoundsStartedWhileRowsSharingOneBoxAreInFlight() {
        ProblemObjective objective = new ProblemObjective(RandomProblems.batch(8, N, 21));
        BatchedLbfgsb parallel = new BatchedLbfgsb(LbfgsbOptions.DEFAULTS, 8, N, DataType.DOUBLE, 2);
        for (int k = 0; k < 7; k++) {
            TestProblem p = inUnitBox(objective.problems[k]);
            parallel.start(k, p.x0, p.lower, p.upper);
        }
        for (int s = 0; s < 4; s++) {
            parallel.step(objective);
        }
        TestProblem own = objective.problems[7];
        parallel.start(7, own.x0, own.lower, own.upper);
        parallel.solve(objective);
        for (int k = 0; k < 7; k++) {
            assertSameRow(solveAlone(inUnitBox(RandomProblems.problem(k, N, 21))), 0, parallel, k);
        }
        assertSameRow(solveAlone(RandomProblems.problem(7, N, 21)), 0, parallel, 7);
    }

    /** {@code problem} with its bounds replaced by [-1, 1] in every variable. */
    private static TestProblem inUnitBox(TestProblem problem) {
        java.util.Arrays.fill(problem.lower, -1);
        java.util.Arrays.fill(problem.upper, 1);
        return problem;
    }

    /** A two-thread solver with the 24 problems of {@code objective} started. */
    private static BatchedLbfgsb startedOnTwoThreads(ProblemObjective objective) {
        BatchedLbfgsb parallel = new BatchedLbfgsb(LbfgsbOptions.DEFAULTS, 24, N, DataType.DOUBLE, 2);
        for (int k = 0; k < 24; k++) {
            parallel.start(k, objective.problems[k].x0, objective.problems[k].lower, objective.problems[k].upper);
        }
        return parallel;
    }

    /** Every row of {@code parallel} as the same 24 problems (seed 17) solved on one thread. */
    private static void assertSameAsOneThread(BatchedLbfgsb parallel) {
        BatchedLbfgsb single = solveBatch(new ProblemObjective(RandomProblems.batch(24, N, 17)));
        for (int k = 0; k < 24; k++) {
            assertSameRow(single, k, parallel, k);
        }
    }

    @Test
    void boundsHoldExactlyAndFNeverIncreasesAtEveryIterate() {
        ProblemObjective objective = new ProblemObjective(RandomProblems.batch(20, N, 12));
        BatchedLbfgsb solver = new BatchedLbfgsb(LbfgsbOptions.DEFAULTS, 20, N, DataType.DOUBLE);
        for (int k = 0; k < 20; k++) {
            solver.start(k, objective.problems[k].x0, objective.problems[k].lower, objective.problems[k].upper);
        }
        double[] last = new double[20];
        java.util.Arrays.fill(last, Double.POSITIVE_INFINITY);
        while (solver.step(objective)) {
            for (int k = 0; k < 20; k++) {
                double f = solver.f(k);
                assertTrue(f <= last[k], "row " + k + ": f rose from " + last[k] + " to " + f);
                last[k] = f;
                double[] x = solver.x(k).toDoubleVector();
                TestProblem p = objective.problems[k];
                for (int i = 0; i < N; i++) {
                    assertTrue(x[i] >= p.lower[i] && x[i] <= p.upper[i], "row " + k + " element " + i);
                }
            }
        }
        assertEquals(0, objective.boundViolations);
    }

    @Test
    void nanInOneRowLeavesOtherRowsUnchanged() {
        BatchedLbfgsb clean = solveBatch(new ProblemObjective(RandomProblems.batch(16, N, 13)));
        ProblemObjective poisoned = new ProblemObjective(RandomProblems.batch(16, N, 13));
        poisoned.nanSlot = 5;
        poisoned.nanAfter = 4;
        BatchedLbfgsb solver = solveBatch(poisoned);
        assertEquals(RowStatus.NON_FINITE, solver.status(5));
        assertTrue(Double.isFinite(solver.f(5)));
        assertEquals(5, solver.evaluations(5));
        for (int k = 0; k < 16; k++) {
            if (k != 5) {
                assertSameRow(clean, k, solver, k);
            }
        }
    }

    @Test
    void restartingASlotLeavesTheOthersAndSolvesTheNewProblem() {
        BatchedLbfgsb clean = solveBatch(new ProblemObjective(RandomProblems.batch(10, N, 14)));
        ProblemObjective objective = new ProblemObjective(RandomProblems.batch(10, N, 14));
        BatchedLbfgsb solver = new BatchedLbfgsb(LbfgsbOptions.DEFAULTS, 10, N, DataType.DOUBLE);
        for (int k = 0; k < 10; k++) {
            solver.start(k, objective.problems[k].x0, objective.problems[k].lower, objective.problems[k].upper);
        }
        for (int s = 0; s < 6; s++) {
            solver.step(objective);
        }
        TestProblem replacement = RandomProblems.problem(3, N, 99);
        objective.problems[3] = replacement;
        solver.start(3, replacement.x0, replacement.lower, replacement.upper);
        solver.solve(objective);
        for (int k = 0; k < 10; k++) {
            if (k != 3) {
                assertSameRow(clean, k, solver, k);
            }
        }
        assertSameRow(solveAlone(replacement), 0, solver, 3);
    }

    @Test
    void clippedQuadraticReachesClipOfCenterInBothPrecisions() {
        TestProblem p = RandomProblems.problem(1, N, 15);
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            LbfgsbOptions tight = LbfgsbOptions.DEFAULTS.withFactr(type == DataType.DOUBLE ? 10 : 1e7)
                    .withPgtol(type == DataType.DOUBLE ? 1e-12 : 1e-5);
            BatchedLbfgsb solver = new BatchedLbfgsb(tight, 1, N, type);
            solver.start(0, p.x0, p.lower, p.upper);
            solver.solve(new ProblemObjective(p));
            assertTrue(solver.status(0).isConverged(), type + ": " + solver.status(0));
            assertEquals(type, solver.x(0).dataType());
            double[] x = solver.x(0).toDoubleVector();
            double[] g = new double[N];
            double[] c = new double[N];
            p.evaluate(new double[N], g);
            for (int i = 0; i < N; i++) {
                c[i] = Math.min(Math.max(-g[i] / gradientScale(p, i), p.lower[i]), p.upper[i]);
            }
            assertArrayEquals(c, x, type == DataType.DOUBLE ? 1e-8 : 1e-3, type.toString());
        }
    }

    /** w_i of the clipped quadratic, recovered from its gradient at e_i and at 0. */
    private static double gradientScale(TestProblem p, int i) {
        double[] unit = new double[p.n];
        unit[i] = 1;
        double[] g1 = new double[p.n];
        double[] g0 = new double[p.n];
        p.evaluate(unit, g1);
        p.evaluate(new double[p.n], g0);
        return g1[i] - g0[i];
    }

    @Test
    void limitsStopTheRowWithTheirStatus() {
        TestProblem p = RandomProblems.problem(3, N, 16);
        BatchedLbfgsb byIterations = new BatchedLbfgsb(LbfgsbOptions.DEFAULTS.withMaxIterations(3), 1, N,
                DataType.DOUBLE);
        byIterations.start(0, p.x0, p.lower, p.upper);
        byIterations.solve(new ProblemObjective(p));
        assertEquals(RowStatus.ITERATION_LIMIT, byIterations.status(0));
        assertEquals(3, byIterations.iterations(0));
        BatchedLbfgsb byEvaluations = new BatchedLbfgsb(LbfgsbOptions.DEFAULTS.withMaxEvaluations(5), 1, N,
                DataType.DOUBLE);
        byEvaluations.start(0, p.x0, p.lower, p.upper);
        byEvaluations.solve(new ProblemObjective(p));
        assertEquals(RowStatus.EVALUATION_LIMIT, byEvaluations.status(0));
        assertEquals(5, byEvaluations.evaluations(0));
    }
}
