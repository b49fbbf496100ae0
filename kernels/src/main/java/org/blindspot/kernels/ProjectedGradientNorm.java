package org.blindspot.kernels;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Infinity norm of the projected gradient, {@code ||P(x - g) - x||_inf} (Byrd et al. 1995, section 6;
 * the Fortran's {@code projgr}): the stopping test {@code <= pgtol} of L-BFGS-B.
 */
public final class ProjectedGradientNorm {
    private ProjectedGradientNorm() {
    }

    /**
     * Batched norm.
     *
     * @param x     [B, n] feasible points
     * @param g     [B, n] gradients at x
     * @param lower [B, n] lower bounds
     * @param upper [B, n] upper bounds
     * @return [B] norms, in double precision
     */
    public static INDArray apply(INDArray x, INDArray g, INDArray lower, INDArray upper) {
        long[] shape = x.shape();
        HostRows.requireShape("g", g, shape);
        HostRows.requireShape("lower", lower, shape);
        HostRows.requireShape("upper", upper, shape);
        int rows = (int) shape[0];
        int n = (int) shape[1];
        double[] xs = HostRows.read(x);
        double[] gs = HostRows.read(g);
        double[] ls = HostRows.read(lower);
        double[] us = HostRows.read(upper);
        double[] out = new double[rows];
        for (int b = 0; b < rows; b++) {
            out[b] = norm(xs, gs, ls, us, b * n, n);
        }
        return HostRows.create(out, DataType.DOUBLE, rows);
    }

    /**
     * The norm for one row stored at {@code [off, off + n)} of the four arrays. Each term is
     * {@code max(min(u - x, -g), min(x - l, g))}, which equals {@code |max(x - u, g)|} for {@code g < 0} and
     * {@code |min(x - l, g)|} otherwise (the Fortran's {@code projgr}) for feasible x, without a data-dependent
     * branch; two running maxima, so that the loop is not one chain of dependent maxima.
     */
    public static double norm(double[] x, double[] g, double[] lower, double[] upper, int off, int n) {
        return norm(x, g, off, lower, upper, off, n);
    }

    /** {@link #norm(double[], double[], double[], double[], int, int)} with the bounds at their own offset. */
    public static double norm(double[] x, double[] g, int off, double[] lower, double[] upper, int boundOff, int n) {
        double norm0 = 0;
        double norm1 = 0;
        int b = boundOff - off;
        int end = off + n;
        int i = off;
        for (; i + 1 < end; i += 2) {
            norm0 = Math.max(norm0, term(x[i], g[i], lower[b + i], upper[b + i]));
            norm1 = Math.max(norm1, term(x[i + 1], g[i + 1], lower[b + i + 1], upper[b + i + 1]));
        }
        if (i < end) {
            norm0 = Math.max(norm0, term(x[i], g[i], lower[b + i], upper[b + i]));
        }
        return Math.max(norm0, norm1);
    }

    /** One variable's term of the norm: {@code |clip(x - g, l, u) - x|} for a feasible x. */
    public static double term(double x, double g, double lower, double upper) {
        return Math.max(Math.min(upper - x, -g), Math.min(x - lower, g));
    }

    /** Plain reference: {@code max_i |clip(x_i - g_i, l_i, u_i) - x_i|} per row. */
    public static double[] reference(double[][] x, double[][] g, double[][] lower, double[][] upper) {
        double[] out = new double[x.length];
        for (int b = 0; b < x.length; b++) {
            for (int i = 0; i < x[b].length; i++) {
                double p = Math.min(Math.max(x[b][i] - g[b][i], lower[b][i]), upper[b][i]);
                out[b] = Math.max(out[b], Math.abs(p - x[b][i]));
            }
        }
        return out;
    }
}
