package org.blindspot.kernels;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Projection onto the box {@code l <= x <= u}: {@code P(x)_i = min(max(x_i, l_i), u_i)}
 * (Byrd et al. 1995, eq. 2.2). Infinite bounds leave the element unchanged.
 */
public final class BoxProjection {
    private BoxProjection() {
    }

    /**
     * Batched projection.
     *
     * @param x     [B, n] points
     * @param lower [B, n] lower bounds
     * @param upper [B, n] upper bounds
     * @return [B, n] projected points, same data type as {@code x}
     */
    public static INDArray apply(INDArray x, INDArray lower, INDArray upper) {
        long[] shape = x.shape();
        HostRows.requireShape("lower", lower, shape);
        HostRows.requireShape("upper", upper, shape);
        double[] out = HostRows.read(x);
        project(out, HostRows.read(lower), HostRows.read(upper), 0, out.length);
        return HostRows.create(out, x.dataType(), shape);
    }

    /** Projects {@code x[off, off + n)} in place onto the bounds at the same offsets. */
    public static void project(double[] x, double[] lower, double[] upper, int off, int n) {
        project(x, off, lower, upper, off, n);
    }

    /** Projects {@code x[off, off + n)} in place onto the bounds at {@code [boundOff, boundOff + n)}. */
    public static void project(double[] x, int off, double[] lower, double[] upper, int boundOff, int n) {
        int b = boundOff - off;
        for (int i = off; i < off + n; i++) {
            x[i] = Math.min(Math.max(x[i], lower[b + i]), upper[b + i]);
        }
    }

    /** Plain reference: {@code [B][n]} in, a new {@code [B][n]} out. */
    public static double[][] reference(double[][] x, double[][] lower, double[][] upper) {
        double[][] out = new double[x.length][];
        for (int b = 0; b < x.length; b++) {
            out[b] = new double[x[b].length];
            for (int i = 0; i < x[b].length; i++) {
                double v = x[b][i];
                if (v < lower[b][i]) {
                    v = lower[b][i];
                }
                if (v > upper[b][i]) {
                    v = upper[b][i];
                }
                out[b][i] = v;
            }
        }
        return out;
    }
}
