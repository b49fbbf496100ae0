package org.blindspot.kernels;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Breakpoints of the projected steepest-descent path {@code x(t) = P(x - t g)} (Byrd et al. 1995,
 * eq. 4.1): {@code t_i = (x_i - u_i) / g_i} if {@code g_i < 0}, {@code (x_i - l_i) / g_i} if
 * {@code g_i > 0}, and {@code +Infinity} otherwise (also when the bound in the way is infinite).
 */
public final class Breakpoints {
    private Breakpoints() {
    }

    /**
     * Batched breakpoints.
     *
     * @param x     [B, n] feasible points
     * @param g     [B, n] gradients
     * @param lower [B, n] lower bounds
     * @param upper [B, n] upper bounds
     * @return [B, n] breakpoints, {@code >= 0} or {@code +Infinity}, same data type as {@code x}
     */
    public static INDArray apply(INDArray x, INDArray g, INDArray lower, INDArray upper) {
        long[] shape = x.shape();
        HostRows.requireShape("g", g, shape);
        HostRows.requireShape("lower", lower, shape);
        HostRows.requireShape("upper", upper, shape);
        double[] xs = HostRows.read(x);
        double[] out = new double[xs.length];
        compute(xs, HostRows.read(g), HostRows.read(lower), HostRows.read(upper), out, 0, xs.length);
        return HostRows.create(out, x.dataType(), shape);
    }

    /** Writes the breakpoints of elements {@code [off, off + n)} into {@code t} at the same offsets. */
    public static void compute(double[] x, double[] g, double[] lower, double[] upper, double[] t, int off, int n) {
        for (int i = off; i < off + n; i++) {
            t[i] = breakpoint(x[i], g[i], lower[i], upper[i]);
        }
    }

    /** The breakpoint of one element. */
    public static double breakpoint(double x, double g, double lower, double upper) {
        if (g < 0 && upper < Double.POSITIVE_INFINITY) {
            return (x - upper) / g;
        }
        if (g > 0 && lower > Double.NEGATIVE_INFINITY) {
            return (x - lower) / g;
        }
        return Double.POSITIVE_INFINITY;
    }

    /** Plain reference: the first {@code t >= 0} at which {@code x - t g} leaves the box, per element. */
    public static double[][] reference(double[][] x, double[][] g, double[][] lower, double[][] upper) {
        double[][] out = new double[x.length][];
        for (int b = 0; b < x.length; b++) {
            out[b] = new double[x[b].length];
            for (int i = 0; i < x[b].length; i++) {
                double bound = g[b][i] < 0 ? upper[b][i] : lower[b][i];
                out[b][i] = g[b][i] == 0 || Double.isInfinite(bound)
                        ? Double.POSITIVE_INFINITY : (x[b][i] - bound) / g[b][i];
            }
        }
        return out;
    }
}
