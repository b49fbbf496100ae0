package org.blindspot.engine.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.blindspot.kernels.CauchyScan;
import org.junit.jupiter.api.Test;

/**
 * The compact matrices against dense formulas (Byrd et al. 1995, eq. 3.4 and 5.11) after the ring has wrapped
 * and the free set has changed many times: M times its dense inverse is I, and the incrementally updated
 * reduced matrix K and free-set products {@code W^T Z Z^T W v} equal those computed from scratch.
 */
class CompactLbfgsMatrixTest {
    private static final int N = 15;
    private static final int M = 3;
    private static final int ROWS = 2;

    @Test
    void middleAndReducedMatricesMatchDenseFormulas() {
        Random random = new Random(31);
        CompactLbfgsMatrix h = new CompactLbfgsMatrix(ROWS, N, M);
        CompactLbfgsMatrix.Scratch scratch = h.newScratch();
        byte[] where = new byte[N];
        byte[] before = new byte[N];
        int row = 1;
        for (int update = 0; update < 7; update++) {
            addRandomPair(h, row, random, scratch);
            randomFreeSet(where, random, CauchyScan.AT_LOWER);
            int changed = 0;
            for (int i = 0; i < N; i++) {
                changed += (where[i] == CauchyScan.FREE) != (before[i] == CauchyScan.FREE) ? 1 : 0;
            }
            assertEquals(changed, h.syncFreeSet(row, where, scratch), "variables entering or leaving the free set");
            System.arraycopy(where, 0, before, 0, N);
            checkMiddle(h, row);
            checkReduced(h, row, where, scratch);
            checkFreeGram(h, row, where, random, scratch);
        }
        assertEquals(0, h.col(0));
    }

    @Test
    void curvatureShiftGivesTheMatricesOfTheShiftedPairs() {
        Random random = new Random(47);
        CompactLbfgsMatrix h = new CompactLbfgsMatrix(ROWS, N, M);
        CompactLbfgsMatrix.Scratch scratch = h.newScratch();
        byte[] where = new byte[N];
        int row = 0;
        for (int update = 0; update < 5; update++) {
            addRandomPair(h, row, random, scratch);
            randomFreeSet(where, random, CauchyScan.AT_UPPER);
            h.syncFreeSet(row, where, scratch);
        }
        double[][] steps = pairs(h, row, true);
        double[][] before = pairs(h, row, false);
        for (double sigma : new double[] {2.5, -0.4}) {
            assertTrue(h.shiftCurvature(row, sigma, scratch), "shift " + sigma);
            double[][] after = pairs(h, row, false);
            for (int j = 0; j < h.col(row); j++) {
                for (int i = 0; i < N; i++) {
                    before[j][i] += sigma * steps[j][i];
                    assertEquals(before[j][i], after[j][i], 1e-12, "y of pair " + j);
                }
            }
            double[] newest = after[h.col(row) - 1];
            double[] newestStep = steps[h.col(row) - 1];
            assertEquals(dot(newest, newest, null, true) / dot(newestStep, newest, null, true), h.theta(row), 1e-9);
            checkMiddle(h, row);
            checkReduced(h, row, where, scratch);
            checkFreeGram(h, row, where, random, scratch);
        }
        assertFalse(h.shiftCurvature(row, -100, scratch), "a shift that makes s^T y negative is refused");
    }

    /** A random pair of positive curvature, {@code y = s (1 + U(0, 1)) + 0.1 N(0, 1)} elementwise. */
    private static void addRandomPair(CompactLbfgsMatrix h, int row, Random random, CompactLbfgsMatrix.Scratch scratch) {
        double[] s = new double[N];
        double[] y = new double[N];
        for (int i = 0; i < N; i++) {
            s[i] = random.nextGaussian();
            y[i] = s[i] * (1 + random.nextDouble()) + 0.1 * random.nextGaussian();
        }
        assertTrue(h.update(row, s, 0, y, 0, scratch));
    }

    /** About a third of the variables at a bound ({@code bound}), the others free. */
    private static void randomFreeSet(byte[] where, Random random, byte bound) {
        for (int i = 0; i < N; i++) {
            where[i] = random.nextInt(3) == 0 ? bound : CauchyScan.FREE;
        }
    }

    private static double[][] pairs(CompactLbfgsMatrix h, int row, boolean steps) {
        double[] data = steps ? h.steps() : h.gradientChanges();
        double[][] out = new double[h.col(row)][N];
        for (int j = 0; j < h.col(row); j++) {
            int slot = (h.head(row) + j) % M;
            System.arraycopy(data, h.historyOffset(row) + slot * N, out[j], 0, N);
        }
        return out;
    }

    private static double dot(double[] a, double[] b, byte[] where, boolean free) {
        double t = 0;
        for (int i = 0; i < N; i++) {
            if (where == null || (where[i] == CauchyScan.FREE) == free) {
                t += a[i] * b[i];
            }
        }
        return t;
    }

    private static void checkMiddle(CompactLbfgsMatrix h, int row) {
        int col = h.col(row);
        double[][] s = pairs(h, row, true);
        double[][] y = pairs(h, row, false);
        double theta = h.theta(row);
        double[] v = new double[2 * M];
        double[] out = new double[2 * M];
        for (int e = 0; e < 2 * col; e++) {
            java.util.Arrays.fill(v, 0);
            int ce = e < col ? e : M + e - col;
            v[ce] = 1;
            h.applyMiddle(row, v, out);
            for (int a = 0; a < 2 * col; a++) {
                double t = 0;
                for (int b = 0; b < 2 * col; b++) {
                    int cb = b < col ? b : M + b - col;
                    t += inverseEntry(s, y, theta, a, b, col) * out[cb];
                }
                assertEquals(a == e ? 1.0 : 0.0, t, 1e-9, "M^-1 M at " + a + "," + e);
            }
        }
    }

    private static double inverseEntry(double[][] s, double[][] y, double theta, int a, int b, int col) {
        if (a < col && b < col) {
            return a == b ? -dot(s[a], y[a], null, true) : 0.0;
        }
        if (a >= col && b >= col) {
            return theta * dot(s[a - col], s[b - col], null, true);
        }
        int i = Math.max(a, b) - col;
        int j = Math.min(a, b);
        return i > j ? dot(s[i], y[j], null, true) : 0.0;
    }

    private static void checkReduced(CompactLbfgsMatrix h, int row, byte[] where, CompactLbfgsMatrix.Scratch scratch) {
        int col = h.col(row);
        int size = 2 * col;
        double[][] s = pairs(h, row, true);
        double[][] y = pairs(h, row, false);
        double theta = h.theta(row);
        double[] k = new double[size * size];
        h.reducedMatrix(row, k, scratch);
        for (int a = 0; a < size; a++) {
            for (int b = 0; b < size; b++) {
                double[] wa = a < col ? y[a] : scaled(s[a - col], theta);
                double[] wb = b < col ? y[b] : scaled(s[b - col], theta);
                double expected = inverseEntry(s, y, theta, a, b, col) - dot(wa, wb, where, true) / theta;
                assertEquals(expected, k[a * size + b], 1e-9 * (1 + Math.abs(expected)), "K at " + a + "," + b);
            }
        }
    }

    private static void checkFreeGram(CompactLbfgsMatrix h, int row, byte[] where, Random random,
                                      CompactLbfgsMatrix.Scratch scratch) {
        int col = h.col(row);
        double[][] s = pairs(h, row, true);
        double[][] y = pairs(h, row, false);
        double theta = h.theta(row);
        double[] v = new double[2 * M];
        for (int j = 0; j < col; j++) {
            v[j] = random.nextGaussian();
            v[M + j] = random.nextGaussian();
        }
        double[] out = new double[2 * M];
        h.freeGramTimes(row, v, out, scratch);
        double[] wv = new double[N];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < col; j++) {
                wv[i] += y[j][i] * v[j] + theta * s[j][i] * v[M + j];
            }
        }
        for (int a = 0; a < col; a++) {
            double[] sa = scaled(s[a], theta);
            assertEquals(dot(y[a], wv, where, true), out[a], 1e-9, "Y part " + a);
            assertEquals(dot(sa, wv, where, true), out[M + a], 1e-9, "S part " + a);
        }
    }

    private static double[] scaled(double[] v, double factor) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = factor * v[i];
        }
        return out;
    }
}
