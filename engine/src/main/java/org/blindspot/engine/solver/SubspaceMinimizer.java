package org.blindspot.engine.solver;

import org.blindspot.kernels.CauchyScan;
import org.blindspot.kernels.CompactProducts;

/**
 * Stage 2 of an iteration: minimises the quadratic model over the variables free at the Cauchy point, then
 * brings the result back into the box.
 *
 * <p>References: Byrd, Lu, Nocedal and Zhu (1995), section 5.1, the direct primal method: reduced gradient
 * {@code r^c = Z^T (g + theta (x^c - x) - W M c)} (eq. 5.4), unconstrained subspace step
 * {@code d^u = -B_hat^{-1} r^c} with {@code B_hat^{-1} = (1/theta) I + (1/theta^2) Z^T W K^{-1} W^T Z}
 * (eq. 5.10-5.11, Sherman-Morrison-Woodbury; {@code K} from {@link CompactLbfgsMatrix#reducedMatrix}); then
 * Morales and Nocedal (2011), section 2: project {@code x^c + d^u} onto the box and, if a bound was hit and
 * the projected direction is not a descent direction at {@code x_k}, backtrack instead along {@code d^u}
 * from {@code x^c} to the boundary (the Fortran's {@code subsm}, version 3.0).
 *
 * <p>Departures: with {@code r^0 = -Z^T (g + theta (x^c - x))}, {@code -r^c = r^0 + Z^T W M c}, so
 * {@code -W^T Z r^c = W^T Z r^0 + (W^T Z Z^T W) M c} takes its last term from the free-set Gram blocks, and
 * {@code d^u = r^0 / theta + Z^T W (M c / theta - K^{-1} W^T Z r^c / theta^2)}: two passes over the history
 * instead of three, the same vectors up to rounding. {@code K} (at most {@code 2m x 2m}, symmetric
 * indefinite) is solved by Gaussian elimination with partial pivoting rather than the Fortran's block
 * {@code LEL^T} factorisation; the result is the same
 * linear solve. A singular or non-finite {@code K} returns false and the caller refreshes the memory, as the
 * Fortran does on {@code info != 0}.
 */
final class SubspaceMinimizer {
    private final int n;
    private final int m;
    private final int[] idx;
    private final double[] r;
    private final double[] du;
    private final double[] mc;
    private final double[] wv;
    private final double[] sol;
    private final double[] gmc;
    private final double[] k;
    private final double[] rhs;

    /** Scratch for rows of {@code n} variables and histories of capacity {@code m}. */
    SubspaceMinimizer(int n, int m) {
        this.n = n;
        this.m = m;
        this.idx = new int[n];
        this.r = new double[n];
        this.du = new double[n];
        this.mc = new double[2 * m];
        this.wv = new double[2 * m];
        this.sol = new double[2 * m];
        this.gmc = new double[2 * m];
        this.k = new double[4 * m * m];
        this.rhs = new double[2 * m];
    }

    /**
     * Writes the subspace minimiser of {@code row} into {@code z[0, n)}; {@code z = x^c} when no variable is
     * free or the history is empty.
     *
     * @return false if the reduced matrix is singular
     */
    boolean minimize(int row, double[] x, double[] g, double[] lower, double[] upper, int boundOff, CauchyScan cauchy,
                     CompactLbfgsMatrix history, CompactLbfgsMatrix.Scratch scratch, double[] z) {
        int off = row * n;
        double[] xcp = cauchy.cauchyPoint();
        byte[] where = cauchy.variableStates();
        System.arraycopy(xcp, 0, z, 0, n);
        int cols = history.col(row);
        int nsub = 0;
        for (int i = 0; i < n; i++) {
            idx[nsub] = i;
            nsub += where[i] == CauchyScan.FREE ? 1 : 0;
        }
        if (nsub == 0 || cols == 0) {
            return true;
        }
        double theta = history.theta(row);
        double[] s = history.steps();
        double[] y = history.gradientChanges();
        int hist = history.historyOffset(row);
        int head = history.head(row);
        for (int t = 0; t < nsub; t++) {
            int i = idx[t];
            r[t] = -theta * (xcp[i] - x[off + i]) - g[off + i];
        }
        history.applyMiddle(row, cauchy.compactStep(), mc);
        CompactProducts.transposeTimesSubset(s, y, hist, m, head, cols, theta, n, idx, nsub, r, wv);
        history.freeGramTimes(row, mc, gmc, scratch);
        int size = 2 * cols;
        for (int j = 0; j < cols; j++) {
            rhs[j] = wv[j] + gmc[j];
            rhs[cols + j] = wv[m + j] + gmc[m + j];
        }
        history.reducedMatrix(row, k, scratch);
        if (!solve(k, rhs, size)) {
            return false;
        }
        java.util.Arrays.fill(sol, 0.0);
        double theta2 = theta * theta;
        for (int j = 0; j < cols; j++) {
            sol[j] = mc[j] / theta + rhs[j] / theta2;
            sol[m + j] = mc[m + j] / theta + rhs[cols + j] / theta2;
        }
        for (int t = 0; t < nsub; t++) {
            du[t] = r[t] / theta;
        }
        CompactProducts.timesSubsetAdd(s, y, hist, m, head, cols, theta, n, sol, 1.0, idx, nsub, du);
        projectOrBacktrack(off, x, g, boundOff, lower, upper, xcp, nsub, z);
        return true;
    }

    /** Morales and Nocedal (2011): projection of {@code x^c + d^u}, or backtracking if it is not descent. */
    private void projectOrBacktrack(int off, double[] x, double[] g, int boundOff, double[] lower, double[] upper,
                                    double[] xcp, int nsub, double[] z) {
        boolean hitBound = false;
        for (int t = 0; t < nsub; t++) {
            int i = idx[t];
            double v = Math.min(Math.max(xcp[i] + du[t], lower[boundOff + i]), upper[boundOff + i]);
            z[i] = v;
            hitBound |= v == lower[boundOff + i] || v == upper[boundOff + i];
        }
        if (!hitBound) {
            return;
        }
        double slope = 0;
        for (int i = 0; i < n; i++) {
            slope += (z[i] - x[off + i]) * g[off + i];
        }
        if (slope <= 0) {
            return;
        }
        System.arraycopy(xcp, 0, z, 0, n);
        double alpha = 1.0;
        int limiting = -1;
        for (int t = 0; t < nsub; t++) {
            int i = idx[t];
            double dk = du[t];
            double step = alpha;
            if (dk < 0 && lower[boundOff + i] > Double.NEGATIVE_INFINITY) {
                double room = lower[boundOff + i] - z[i];
                step = room >= 0 ? 0.0 : (dk * alpha < room ? room / dk : alpha);
            } else if (dk > 0 && upper[boundOff + i] < Double.POSITIVE_INFINITY) {
                double room = upper[boundOff + i] - z[i];
                step = room <= 0 ? 0.0 : (dk * alpha > room ? room / dk : alpha);
            }
            if (step < alpha) {
                alpha = step;
                limiting = t;
            }
        }
        if (alpha < 1.0) {
            int i = idx[limiting];
            double dk = du[limiting];
            if (dk > 0) {
                z[i] = upper[boundOff + i];
                du[limiting] = 0;
            } else if (dk < 0) {
                z[i] = lower[boundOff + i];
                du[limiting] = 0;
            }
        }
        for (int t = 0; t < nsub; t++) {
            z[idx[t]] += alpha * du[t];
        }
    }

    /** Solves {@code a x = b} in place ({@code b} becomes x), {@code a} dense row-major {@code size x size}. */
    private static boolean solve(double[] a, double[] b, int size) {
        for (int c = 0; c < size; c++) {
            int pivot = c;
            for (int rr = c + 1; rr < size; rr++) {
                if (Math.abs(a[rr * size + c]) > Math.abs(a[pivot * size + c])) {
                    pivot = rr;
                }
            }
            double p = a[pivot * size + c];
            if (p == 0 || !Double.isFinite(p)) {
                return false;
            }
            if (pivot != c) {
                for (int j = 0; j < size; j++) {
                    double t = a[c * size + j];
                    a[c * size + j] = a[pivot * size + j];
                    a[pivot * size + j] = t;
                }
                double t = b[c];
                b[c] = b[pivot];
                b[pivot] = t;
            }
            for (int rr = c + 1; rr < size; rr++) {
                double factor = a[rr * size + c] / p;
                if (factor != 0) {
                    for (int j = c; j < size; j++) {
                        a[rr * size + j] -= factor * a[c * size + j];
                    }
                    b[rr] -= factor * b[c];
                }
            }
        }
        for (int c = size - 1; c >= 0; c--) {
            double t = b[c];
            for (int j = c + 1; j < size; j++) {
                t -= a[c * size + j] * b[j];
            }
            b[c] = t / a[c * size + c];
            if (!Double.isFinite(b[c])) {
                return false;
            }
        }
        return true;
    }
}
