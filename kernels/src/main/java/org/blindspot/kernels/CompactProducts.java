package org.blindspot.kernels;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Products with the compact-form factor {@code W = [Y, theta S]} of the L-BFGS matrix
 * {@code B = theta I - W M W^T} (Byrd et al. 1995, eq. 3.2-3.4): {@code W^T v} (length {@code 2m}) and
 * {@code W p} (length {@code n}), optionally restricted to a subset of the variables (the free variables
 * {@code Z} of the subspace minimisation, section 5).
 *
 * <p>History layout: {@code s} and {@code y} hold {@code m} slots of {@code n} values per row, slot
 * {@code k} of the row at {@code histOff + k n}; the {@code j}-th oldest pair is in slot
 * {@code (head + j) % m}, {@code j < col}. Compact vectors: {@code [Y part (m), S part (m)]}, entries at and
 * past {@code col} in each half are zero.
 */
public final class CompactProducts {
    private CompactProducts() {
    }

    /**
     * Batched {@code W^T v}.
     *
     * @param s     [B, m, n] correction pairs' steps, physical slots
     * @param y     [B, m, n] gradient differences, physical slots
     * @param head  [B] slot of the oldest pair
     * @param col   [B] number of stored pairs
     * @param theta [B] scaling of the S part
     * @param v     [B, n] vectors
     * @return [B, 2m] in double precision
     */
    public static INDArray transposeTimes(INDArray s, INDArray y, int[] head, int[] col, double[] theta, INDArray v) {
        long[] shape = s.shape();
        HostRows.requireShape("y", y, shape);
        int rows = (int) shape[0];
        int m = (int) shape[1];
        int n = (int) shape[2];
        HostRows.requireShape("v", v, rows, n);
        double[] ss = HostRows.read(s);
        double[] ys = HostRows.read(y);
        double[] vs = HostRows.read(v);
        double[] out = new double[rows * 2 * m];
        double[] row = new double[2 * m];
        for (int b = 0; b < rows; b++) {
            transposeTimes(ss, ys, b * m * n, m, head[b], col[b], theta[b], n, vs, b * n, row);
            System.arraycopy(row, 0, out, b * 2 * m, 2 * m);
        }
        return HostRows.create(out, DataType.DOUBLE, rows, 2L * m);
    }

    /** {@code out = W^T v} for one row; {@code v} at {@code [vOff, vOff + n)}, {@code out} of length 2m. */
    public static void transposeTimes(double[] s, double[] y, int histOff, int m, int head, int col, double theta,
                                      int n, double[] v, int vOff, double[] out) {
        java.util.Arrays.fill(out, 0, 2 * m, 0.0);
        for (int j = 0; j < col; j++) {
            int slot = histOff + ((head + j) % m) * n;
            double ty = 0;
            double ts = 0;
            for (int i = 0; i < n; i++) {
                double vi = v[vOff + i];
                ty += y[slot + i] * vi;
                ts += s[slot + i] * vi;
            }
            out[j] = ty;
            out[m + j] = theta * ts;
        }
    }

    /**
     * {@code out = W^T Z Z^T v} for one row: the sum runs over the {@code count} variables {@code idx[0..count)}
     * only, and {@code v} is indexed by position in that list ({@code v[k]} belongs to variable {@code idx[k]}).
     * Two pairs per pass over the subset, so that four independent sums hide the latency of each.
     */
    public static void transposeTimesSubset(double[] s, double[] y, int histOff, int m, int head, int col,
                                            double theta, int n, int[] idx, int count, double[] v, double[] out) {
        java.util.Arrays.fill(out, 0, 2 * m, 0.0);
        for (int j = 0; j < col; j += 2) {
            int slot1 = histOff + ((head + j) % m) * n;
            int slot2 = j + 1 < col ? histOff + ((head + j + 1) % m) * n : slot1;
            double ty1 = 0;
            double ts1 = 0;
            double ty2 = 0;
            double ts2 = 0;
            for (int k = 0; k < count; k++) {
                int i = idx[k];
                double vk = v[k];
                ty1 += y[slot1 + i] * vk;
                ts1 += s[slot1 + i] * vk;
                ty2 += y[slot2 + i] * vk;
                ts2 += s[slot2 + i] * vk;
            }
            out[j] = ty1;
            out[m + j] = theta * ts1;
            if (j + 1 < col) {
                out[j + 1] = ty2;
                out[m + j + 1] = theta * ts2;
            }
        }
    }

    /**
     * {@code out[k] += scale (W p)_{idx[k]}} for {@code k < count}: the product restricted to a subset of the
     * variables, accumulated into a vector indexed by position in the subset (two pairs per pass).
     */
    public static void timesSubsetAdd(double[] s, double[] y, int histOff, int m, int head, int col, double theta,
                                      int n, double[] p, double scale, int[] idx, int count, double[] out) {
        for (int j = 0; j < col; j += 2) {
            int slot1 = histOff + ((head + j) % m) * n;
            double py1 = scale * p[j];
            double ps1 = scale * theta * p[m + j];
            boolean two = j + 1 < col;
            int slot2 = two ? histOff + ((head + j + 1) % m) * n : slot1;
            double py2 = two ? scale * p[j + 1] : 0.0;
            double ps2 = two ? scale * theta * p[m + j + 1] : 0.0;
            for (int k = 0; k < count; k++) {
                int i = idx[k];
                out[k] += y[slot1 + i] * py1 + s[slot1 + i] * ps1 + y[slot2 + i] * py2 + s[slot2 + i] * ps2;
            }
        }
    }

    /** Plain reference of {@code W^T v}: {@code s, y} as {@code [B][m][n]} physical slots. */
    public static double[][] transposeTimesReference(double[][][] s, double[][][] y, int[] head, int[] col,
                                                     double[] theta, double[][] v) {
        int m = s[0].length;
        double[][] out = new double[s.length][2 * m];
        for (int b = 0; b < s.length; b++) {
            for (int j = 0; j < col[b]; j++) {
                int k = (head[b] + j) % m;
                for (int i = 0; i < v[b].length; i++) {
                    out[b][j] += y[b][k][i] * v[b][i];
                    out[b][m + j] += theta[b] * s[b][k][i] * v[b][i];
                }
            }
        }
        return out;
    }
}
