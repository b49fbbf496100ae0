package org.blindspot.engine.solver;

import java.util.Arrays;
import org.blindspot.kernels.CauchyScan;

/**
 * The limited-memory BFGS matrices of a batch in compact form, {@code B = theta I - W M W^T} with
 * {@code W = [Y, theta S]} and {@code M = [[-D, L^T], [L, theta S^T S]]^{-1}}, one history per row.
 *
 * <p>References: Byrd, Lu, Nocedal and Zhu (1995), section 3, eq. 3.2-3.5 (compact form), and section 5.1,
 * eq. 5.4-5.11 (reduced matrix of the subspace problem); the Fortran routines {@code matupd}, {@code formt},
 * {@code bmv} and {@code formk} of L-BFGS-B 3.0.
 *
 * <p>Symbols, per row: {@code S, Y} the last {@code col <= m} pairs {@code s_k = x_{k+1} - x_k},
 * {@code y_k = g_{k+1} - g_k}; {@code theta = y^T y / s^T y} of the newest pair; {@code D = diag(s_i^T y_i)};
 * {@code L} the strictly lower triangle of {@code S^T Y} (oldest first). Storage is fixed-shape: pairs in a ring
 * of {@code m} physical slots ({@code [B, m, n]}), Gram matrices {@code S^T S}, {@code S^T Y} indexed by slot
 * ({@code [B, m, m]}), and {@code M} in the compact layout of {@link org.blindspot.kernels.CompactProducts}
 * ({@code [B, 2m, 2m]}, zero outside the first {@code col} entries of each half): {@code col} is the row's
 * history validity mask.
 *
 * <p>Departures from the Fortran: {@code M} is formed explicitly (from the Cholesky factor of
 * {@code T = theta S^T S + L D^{-1} L^T}, as {@code formt}) so that every product with it is one small
 * matrix-vector product; the reduced matrix of the subspace problem is kept as three Gram blocks over the
 * free set of the previous iteration ({@code Y^T Z Z^T Y}, {@code S^T Z Z^T Y}, {@code S^T Z Z^T S},
 * {@code S^T A A^T S}) and
 * updated by the variables entering and leaving that set, which is what {@code formk} does; the blocks are
 * indexed by slot, not shifted, when the oldest pair is dropped.
 */
final class CompactLbfgsMatrix {
    private final int rows;
    private final int n;
    private final int m;
    private final double[] s;
    private final double[] y;
    private final int[] head;
    private final int[] col;
    private final double[] theta;
    private final double[] ss;
    private final double[] sy;
    private final double[] yzy;
    private final double[] szy;
    private final double[] sas;
    private final double[] szs;
    /** Per row and variable, 1 if the variable was free at the row's last Cauchy point, else 0. */
    private final byte[] free;
    private final double[] middle;
    /** Work arrays of one thread (rows can be advanced in parallel, each thread with its own). */
    static final class Scratch {
        final int[] freeIdx;
        final int[] activeIdx;
        final int[] changed;
        final int[] order;
        final double[] chol;
        final double[] dinv;
        final double[] lower;
        final double[] cholInv;
        final double[] tInv;

        Scratch(int n, int m) {
            freeIdx = new int[n];
            activeIdx = new int[n];
            changed = new int[n];
            order = new int[m];
            chol = new double[m * m];
            dinv = new double[m];
            lower = new double[m * m];
            cholInv = new double[m];
            tInv = new double[m * m];
        }
    }

    /** History of capacity {@code m} for {@code rows} rows of {@code n} variables, all empty. */
    CompactLbfgsMatrix(int rows, int n, int m) {
        this.rows = rows;
        this.n = n;
        this.m = m;
        long size = (long) rows * m * n;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("batchSize * m * n must be < 2^31, got " + size);
        }
        this.s = new double[(int) size];
        this.y = new double[(int) size];
        this.head = new int[rows];
        this.col = new int[rows];
        this.theta = new double[rows];
        this.ss = new double[rows * m * m];
        this.sy = new double[rows * m * m];
        this.yzy = new double[rows * m * m];
        this.szy = new double[rows * m * m];
        this.sas = new double[rows * m * m];
        this.szs = new double[rows * m * m];
        this.free = new byte[rows * n];
        this.middle = new double[rows * 4 * m * m];
        for (int r = 0; r < rows; r++) {
            reset(r);
        }
    }

    int m() {
        return m;
    }

    /** New work arrays for one thread. */
    Scratch newScratch() {
        return new Scratch(n, m);
    }

    int col(int row) {
        return col[row];
    }

    int head(int row) {
        return head[row];
    }

    double theta(int row) {
        return theta[row];
    }

    double[] steps() {
        return s;
    }

    double[] gradientChanges() {
        return y;
    }

    int historyOffset(int row) {
        return row * m * n;
    }

    double[] middle() {
        return middle;
    }

    int middleOffset(int row) {
        return row * 4 * m * m;
    }

    /** Fills {@code order[j]} with the slot of the j-th oldest pair of {@code row}; returns col. */
    private int slotOrder(int row, int[] order) {
        for (int j = 0; j < col[row]; j++) {
            order[j] = (head[row] + j) % m;
        }
        return col[row];
    }

    /** Empties the history of {@code row}: {@code col = 0}, {@code theta = 1} (the Fortran's memory refresh). */
    void reset(int row) {
        head[row] = 0;
        col[row] = 0;
        theta[row] = 1.0;
        Arrays.fill(middle, middleOffset(row), middleOffset(row) + 4 * m * m, 0.0);
        Arrays.fill(free, row * n, row * n + n, (byte) 1);
    }

    /**
     * The history of the same steps for an objective that gained a quadratic term of Hessian {@code sigma I}: every
     * {@code y_k} becomes {@code y_k + sigma s_k}, which is the exact gradient change of the new objective over the
     * same step. The Gram blocks follow in closed form ({@code S^T Y += sigma S^T S}, {@code S^T Z Z^T Y += sigma
     * S^T Z Z^T S}, {@code Y^T Z Z^T Y += sigma (S^T Z Z^T Y + its transpose) + sigma^2 S^T Z Z^T S}); theta is that
     * of the newest pair again, and M is formed anew.
     *
     * @return false if a pair's curvature {@code s^T y} is no longer positive or T is not positive definite; the
     *         caller then resets the row
     */
    boolean shiftCurvature(int row, double sigma, Scratch w) {
        int[] order = w.order;
        int cols = slotOrder(row, order);
        if (cols == 0 || sigma == 0) {
            return true;
        }
        double newestSquared = shiftPairs(row, order, cols, sigma);
        shiftGramBlocks(row, order, cols, sigma);
        int g = row * m * m;
        for (int a = 0; a < cols; a++) {
            double curvature = sy[g + order[a] * m + order[a]];
            if (!(curvature > 0) || Double.isInfinite(curvature)) {
                return false;
            }
        }
        int newest = order[cols - 1];
        theta[row] = newestSquared / sy[g + newest * m + newest];
        return Double.isFinite(theta[row]) && formMiddle(row, w);
    }

    /**
     * {@code y_k += sigma s_k} for the row's pairs, oldest first; returns {@code y^T y} of the newest. (The steps of
     * {@link #shiftCurvature} are separate methods so that the JIT compiles each on its own: as one method it was
     * compiled five times in a 1,000-image attack, on-stack twice.)
     */
    private double shiftPairs(int row, int[] order, int cols, double sigma) {
        int hist = historyOffset(row);
        double newestSquared = 0;
        for (int j = 0; j < cols; j++) {
            int o = hist + order[j] * n;
            double squared = 0;
            for (int i = o; i < o + n; i++) {
                double yi = y[i] + sigma * s[i];
                y[i] = yi;
                squared += yi * yi;
            }
            newestSquared = squared;
        }
        return newestSquared;
    }

    /** The Gram blocks of {@link #shiftCurvature} in closed form, from those of the unshifted pairs. */
    private void shiftGramBlocks(int row, int[] order, int cols, double sigma) {
        int g = row * m * m;
        for (int a = 0; a < cols; a++) {
            int ka = g + order[a] * m;
            for (int b = 0; b < cols; b++) {
                int ab = ka + order[b];
                int ba = g + order[b] * m + order[a];
                sy[ab] += sigma * ss[ab];
                yzy[ab] += sigma * (szy[ab] + szy[ba]) + sigma * sigma * szs[ab];
            }
        }
        for (int a = 0; a < cols; a++) {
            for (int b = 0; b < cols; b++) {
                int ab = g + order[a] * m + order[b];
                szy[ab] += sigma * szs[ab];
            }
        }
    }

    /**
     * Adds the pair {@code (s, y)} (dropping the oldest when full), sets {@code theta = y^T y / s^T y} and forms
     * {@code M} (matupd and formt). The caller has checked the curvature {@code s^T y > eps ...}.
     *
     * @return false if {@code T} is not positive definite; the caller then resets the row
     */
    boolean update(int row, double[] sv, int sOff, double[] yv, int yOff, Scratch w) {
        int[] freeIdx = w.freeIdx;
        int[] activeIdx = w.activeIdx;
        int slot;
        if (col[row] < m) {
            slot = (head[row] + col[row]) % m;
            col[row]++;
        } else {
            slot = head[row];
            head[row] = (head[row] + 1) % m;
        }
        int hist = historyOffset(row);
        System.arraycopy(sv, sOff, s, hist + slot * n, n);
        System.arraycopy(yv, yOff, y, hist + slot * n, n);
        int nFree = 0;
        int nActive = 0;
        for (int i = 0; i < n; i++) {
            int isFree = free[row * n + i];
            freeIdx[nFree] = i;
            activeIdx[nActive] = i;
            nFree += isFree;
            nActive += 1 - isFree;
        }
        int sn = hist + slot * n;
        int[] order = w.order;
        int cols = slotOrder(row, order);
        for (int j = 0; j < cols; j += 2) {
            int k1 = order[j];
            int k2 = j + 1 < cols ? order[j + 1] : k1;
            newGramEntries(row, sn, slot, k1, k2, freeIdx, nFree, activeIdx, nActive);
        }
        double yy = 0;
        for (int i = sn; i < sn + n; i++) {
            yy += y[i] * y[i];
        }
        int g = row * m * m;
        theta[row] = yy / sy[g + slot * m + slot];
        return formMiddle(row, w);
    }

    /**
     * The new pair's entries of the Gram matrices against the pairs in slots {@code k1} and {@code k2} (two at
     * a time, so each element of the new pair is loaded once for both): {@code S^T S}, {@code S^T Y} over all
     * variables, {@code Y^T Z Z^T Y}, {@code S^T Z Z^T Y} over the free ones, {@code S^T A A^T S} over the others.
     */
    private void newGramEntries(int row, int sn, int slot, int k1, int k2, int[] freeIdx, int nFree,
                                int[] activeIdx, int nActive) {
        int hist = historyOffset(row);
        int o1 = hist + k1 * n;
        int o2 = hist + k2 * n;
        double yFree1 = 0;
        double syNewFree1 = 0;
        double syOldFree1 = 0;
        double ssFree1 = 0;
        double yFree2 = 0;
        double syNewFree2 = 0;
        double syOldFree2 = 0;
        double ssFree2 = 0;
        for (int t = 0; t < nFree; t++) {
            int i = freeIdx[t];
            double sNew = s[sn + i];
            double yNew = y[sn + i];
            double s1 = s[o1 + i];
            double y1 = y[o1 + i];
            double s2 = s[o2 + i];
            double y2 = y[o2 + i];
            yFree1 += yNew * y1;
            syNewFree1 += sNew * y1;
            syOldFree1 += s1 * yNew;
            ssFree1 += sNew * s1;
            yFree2 += yNew * y2;
            syNewFree2 += sNew * y2;
            syOldFree2 += s2 * yNew;
            ssFree2 += sNew * s2;
        }
        double syNewActive1 = 0;
        double syOldActive1 = 0;
        double ssActive1 = 0;
        double syNewActive2 = 0;
        double syOldActive2 = 0;
        double ssActive2 = 0;
        for (int t = 0; t < nActive; t++) {
            int i = activeIdx[t];
            double sNew = s[sn + i];
            double yNew = y[sn + i];
            double s1 = s[o1 + i];
            double s2 = s[o2 + i];
            syNewActive1 += sNew * y[o1 + i];
            syOldActive1 += s1 * yNew;
            ssActive1 += sNew * s1;
            syNewActive2 += sNew * y[o2 + i];
            syOldActive2 += s2 * yNew;
            ssActive2 += sNew * s2;
        }
        storeGramEntries(row, slot, k1, yFree1, syNewFree1, syOldFree1, ssFree1, syNewActive1, syOldActive1,
                ssActive1);
        if (k2 != k1) {
            storeGramEntries(row, slot, k2, yFree2, syNewFree2, syOldFree2, ssFree2, syNewActive2, syOldActive2,
                    ssActive2);
        }
    }

    private void storeGramEntries(int row, int slot, int k, double yFree, double syNewFree, double syOldFree,
                                  double ssFree, double syNewActive, double syOldActive, double ssActive) {
        int g = row * m * m;
        ss[g + slot * m + k] = ssFree + ssActive;
        ss[g + k * m + slot] = ssFree + ssActive;
        sy[g + slot * m + k] = syNewFree + syNewActive;
        sy[g + k * m + slot] = syOldFree + syOldActive;
        yzy[g + slot * m + k] = yFree;
        yzy[g + k * m + slot] = yFree;
        szy[g + slot * m + k] = syNewFree;
        szy[g + k * m + slot] = syOldFree;
        sas[g + slot * m + k] = ssActive;
        sas[g + k * m + slot] = ssActive;
        szs[g + slot * m + k] = ssFree;
        szs[g + k * m + slot] = ssFree;
    }

    /**
     * Moves the Gram blocks of the subspace problem to the free set given by {@code where} (variables in
     * state {@link CauchyScan#FREE} are free): each variable that enters or leaves adds or removes its outer
     * products (the Fortran's {@code formk}, "modify the old parts ... due to changes in the set of free variables").
     * The variables that changed are listed first, in a sweep without data-dependent branches (about one in six
     * changes per iteration in the attack, unpredictably placed), then their products are added in order.
     *
     * @return the number of variables that entered or left the free set
     */
    int syncFreeSet(int row, byte[] where, Scratch w) {
        int[] order = w.order;
        int cols = slotOrder(row, order);
        int hist = historyOffset(row);
        int g = row * m * m;
        int[] changed = w.changed;
        int base = row * n;
        int changes = 0;
        for (int i = 0; i < n; i++) {
            int nowFree = (where[i] - 1) >>> 31; // 1 for FREE (0), 0 for the states 1-3
            changed[changes] = i;
            changes += nowFree ^ free[base + i];
            free[base + i] = (byte) nowFree;
        }
        for (int t = 0; t < changes; t++) {
            int i = changed[t];
            double sign = 2 * free[base + i] - 1;
            for (int a = 0; a < cols; a++) {
                int ka = order[a];
                double sa = sign * s[hist + ka * n + i];
                double ya = sign * y[hist + ka * n + i];
                int rowBase = g + ka * m;
                for (int b = 0; b < cols; b++) {
                    int kb = order[b];
                    double sb = s[hist + kb * n + i];
                    double yb = y[hist + kb * n + i];
                    yzy[rowBase + kb] += ya * yb;
                    szy[rowBase + kb] += sa * yb;
                    sas[rowBase + kb] -= sa * sb;
                    szs[rowBase + kb] += sa * sb;
                }
            }
        }
        return changes;
    }

    /**
     * The reduced matrix {@code K = M^{-1} - W^T Z Z^T W / theta} of the subspace problem (Byrd et al. 1995,
     * eq. 5.10-5.11; the Fortran's {@code formk} before factorisation), packed as a dense
     * {@code 2col x 2col} row-major matrix, Y part first:
     * {@code [[-D - Y^T Z Z^T Y / theta, L^T - Y^T Z Z^T S], [L - S^T Z Z^T Y, theta S^T A A^T S]]}.
     */
    void reducedMatrix(int row, double[] k, Scratch w) {
        int[] order = w.order;
        int cols = slotOrder(row, order);
        int size = 2 * cols;
        int g = row * m * m;
        double th = theta[row];
        for (int a = 0; a < cols; a++) {
            int ka = order[a];
            for (int b = 0; b < cols; b++) {
                int kb = order[b];
                double lab = a > b ? sy[g + ka * m + kb] : 0.0;
                double lba = b > a ? sy[g + kb * m + ka] : 0.0;
                double k11 = -yzy[g + ka * m + kb] / th - (a == b ? sy[g + ka * m + ka] : 0.0);
                k[a * size + b] = k11;
                k[a * size + cols + b] = lba - szy[g + kb * m + ka];
                k[(cols + a) * size + b] = lab - szy[g + ka * m + kb];
                k[(cols + a) * size + cols + b] = th * sas[g + ka * m + kb];
            }
        }
    }

    /**
     * {@code out = W^T Z Z^T W v} in the compact layout, from the free-set Gram blocks (no pass over the
     * history): {@code [[Y'ZZ'Y, theta Y'ZZ'S], [theta S'ZZ'Y, theta^2 S'ZZ'S]] v}.
     */
    void freeGramTimes(int row, double[] v, double[] out, Scratch w) {
        int[] order = w.order;
        int cols = slotOrder(row, order);
        int g = row * m * m;
        double th = theta[row];
        Arrays.fill(out, 0, 2 * m, 0.0);
        for (int a = 0; a < cols; a++) {
            int ka = order[a];
            double ty = 0;
            double ts = 0;
            for (int b = 0; b < cols; b++) {
                int kb = order[b];
                ty += yzy[g + ka * m + kb] * v[b] + th * szy[g + kb * m + ka] * v[m + b];
                ts += szy[g + ka * m + kb] * v[b] + th * szs[g + ka * m + kb] * v[m + b];
            }
            out[a] = ty;
            out[m + a] = th * ts;
        }
    }

    /** Makes the diagonal block of M at {@code (start, start)} exactly symmetric (M is, up to rounding). */
    private void symmetrize(int off, int start, int cols) {
        int m2 = 2 * m;
        for (int a = 0; a < cols; a++) {
            for (int b = a + 1; b < cols; b++) {
                int ab = off + (start + a) * m2 + start + b;
                int ba = off + (start + b) * m2 + start + a;
                double mean = 0.5 * (middle[ab] + middle[ba]);
                middle[ab] = mean;
                middle[ba] = mean;
            }
        }
    }

    /** {@code out = M v} in the compact layout (vectors of length 2m). */
    void applyMiddle(int row, double[] v, double[] out) {
        int off = middleOffset(row);
        int m2 = 2 * m;
        int cols = col[row];
        Arrays.fill(out, 0, m2, 0.0);
        for (int a = 0; a < m2; a++) {
            if (a >= cols && a < m || a >= m + cols) {
                continue;
            }
            double t = 0;
            for (int j = 0; j < cols; j++) {
                t += middle[off + a * m2 + j] * v[j] + middle[off + a * m2 + m + j] * v[m + j];
            }
            out[a] = t;
        }
    }

    /**
     * Forms M explicitly by blocks: {@code T = theta S^T S + L D^{-1} L^T = J J^T} (formt), then, with
     * {@code T^{-1}} from the Cholesky factor, {@code M22 = T^{-1}}, {@code M21 = T^{-1} L D^{-1}},
     * {@code M12 = M21^T}, {@code M11 = -D^{-1} + D^{-1} L^T M21} (the block inverse of eq. 3.4, which
     * {@code bmv} applies implicitly); the diagonal blocks are then made exactly symmetric, which the Cauchy
     * scan's product relies on.
     */
    private boolean formMiddle(int row, Scratch w) {
        int cols = slotOrder(row, w.order);
        if (!factorMiddle(row, cols, w)) {
            return false;
        }
        invertFactor(cols, w);
        fillMiddle(row, cols, w);
        return true;
    }

    /**
     * {@code D^{-1}}, {@code L} and the Cholesky factor {@code J} of {@code T = theta S^T S + L D^{-1} L^T} into the
     * scratch ({@code formt}); false if T is not positive definite. (The three steps of {@link #formMiddle} are
     * separate methods so that the JIT compiles each on its own: as one method it was recompiled several times
     * while the histories filled.)
     */
    private boolean factorMiddle(int row, int cols, Scratch w) {
        int[] order = w.order;
        double[] chol = w.chol;
        double[] dinv = w.dinv;
        double[] lower = w.lower;
        double[] cholInv = w.cholInv;
        int g = row * m * m;
        double th = theta[row];
        for (int a = 0; a < cols; a++) {
            int ka = order[a];
            dinv[a] = 1.0 / sy[g + ka * m + ka];
            for (int c = 0; c < cols; c++) {
                lower[a * m + c] = c < a ? sy[g + ka * m + order[c]] : 0.0;
            }
        }
        for (int a = 0; a < cols; a++) {
            for (int b = 0; b <= a; b++) {
                double t = th * ss[g + order[a] * m + order[b]];
                for (int c = 0; c < b; c++) {
                    t += lower[a * m + c] * lower[b * m + c] * dinv[c];
                }
                chol[a * m + b] = t;
            }
        }
        for (int a = 0; a < cols; a++) {
            for (int b = 0; b <= a; b++) {
                double t = chol[a * m + b];
                for (int c = 0; c < b; c++) {
                    t -= chol[a * m + c] * chol[b * m + c];
                }
                if (a == b) {
                    if (!(t > 0) || Double.isInfinite(t)) {
                        return false;
                    }
                    chol[a * m + a] = Math.sqrt(t);
                    cholInv[a] = 1.0 / chol[a * m + a];
                } else {
                    chol[a * m + b] = t * cholInv[b];
                }
            }
        }
        return true;
    }

    /** {@code T^{-1}} from the Cholesky factor, column by column (two triangular solves). */
    private void invertFactor(int cols, Scratch w) {
        double[] chol = w.chol;
        double[] cholInv = w.cholInv;
        double[] tInv = w.tInv;
        for (int e = 0; e < cols; e++) {
            for (int a = 0; a < cols; a++) {
                double t = a == e ? 1.0 : 0.0;
                for (int c = 0; c < a; c++) {
                    t -= chol[a * m + c] * tInv[c * m + e];
                }
                tInv[a * m + e] = t * cholInv[a];
            }
            for (int a = cols - 1; a >= 0; a--) {
                double t = tInv[a * m + e];
                for (int c = a + 1; c < cols; c++) {
                    t -= chol[c * m + a] * tInv[c * m + e];
                }
                tInv[a * m + e] = t * cholInv[a];
            }
        }
    }

    /** The blocks of M from {@code T^{-1}}, {@code L} and {@code D^{-1}}, then its diagonal blocks made symmetric. */
    private void fillMiddle(int row, int cols, Scratch w) {
        double[] dinv = w.dinv;
        double[] lower = w.lower;
        double[] tInv = w.tInv;
        int off = middleOffset(row);
        int m2 = 2 * m;
        Arrays.fill(middle, off, off + m2 * m2, 0.0);
        for (int a = 0; a < cols; a++) {
            for (int b = 0; b < cols; b++) {
                double t = 0;
                for (int c = b + 1; c < cols; c++) {
                    t += tInv[a * m + c] * lower[c * m + b];
                }
                t *= dinv[b];
                middle[off + (m + a) * m2 + b] = t;
                middle[off + b * m2 + m + a] = t;
                middle[off + (m + a) * m2 + m + b] = tInv[a * m + b];
            }
        }
        for (int a = 0; a < cols; a++) {
            for (int b = 0; b < cols; b++) {
                double t = 0;
                for (int c = a + 1; c < cols; c++) {
                    t += lower[c * m + a] * middle[off + (m + c) * m2 + b];
                }
                middle[off + a * m2 + b] = dinv[a] * t - (a == b ? dinv[a] : 0.0);
            }
        }
        symmetrize(off, 0, cols);
        symmetrize(off, m, cols);
    }
}
