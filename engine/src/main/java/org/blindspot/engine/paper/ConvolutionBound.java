package org.blindspot.engine.paper;

import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * The operator norm of a multi-channel 2-D convolution (Szegedy et al. 2014, section 4.3), on an
 * N x N input with periodic boundaries and stride s (N divisible by s).
 *
 * <p>With the unitary 2-D DFT the stride-1 convolution is block-diagonal: at frequency (u, v) it
 * multiplies the input's coefficients by the Cout x Cin matrix A(u, v) = sum_{a,b} K[:, :, a, b]
 * e^{2 pi i (u a + v b) / N}. Subsampling by s then adds the s^2 frequencies that alias to each
 * output frequency (u', v') of the (N/s)^2 grid, with a factor 1/s, so the strided operator's norm is
 * max over (u', v') of sigma_max([A(u' + j N/s, v' + k N/s)]_{j,k}) / s, the largest singular value
 * of the Cout x (Cin s^2) matrix of the aliased blocks. Complex singular values come from the real
 * embedding [[Re, -Im], [Im, Re]]; each frequency's power iteration starts from the previous one's
 * singular vector (neighbouring frequencies have similar ones), which makes large layers affordable.
 */
public final class ConvolutionBound {

    private ConvolutionBound() {
    }

    /**
     * @param kernel [Cout][Cin][kh][kw]
     * @param size   N, the input's height and width
     * @param stride s
     * @return the largest singular value of the convolution as a linear map
     */
    public static double norm(double[][][][] kernel, int size, int stride) {
        if (size % stride != 0) {
            throw new IllegalArgumentException("size: " + size + " is not a multiple of the stride " + stride);
        }
        int cout = kernel.length;
        int cin = kernel[0].length;
        int out = size / stride;
        double best = 0;
        double[][] real = new double[2 * cout][2 * cin * stride * stride];
        double[] start = new Random(17).doubles(real[0].length).toArray();
        for (int u = 0; u < out; u++) {
            for (int v = 0; v < out; v++) {
                for (int j = 0; j < stride; j++) {
                    for (int k = 0; k < stride; k++) {
                        int block = (j * stride + k) * cin;
                        fill(real, kernel, u + j * out, v + k * out, size, block, cin * stride * stride);
                    }
                }
                best = Math.max(best, SpectralBounds.largestSingularValue(real, start));
            }
        }
        return best / stride;
    }

    /** Writes the real embedding of A(fu, fv) into the columns block..block+cin of each half. */
    private static void fill(double[][] real, double[][][][] kernel, int fu, int fv, int size, int block, int width) {
        int cout = kernel.length;
        int cin = kernel[0].length;
        int kh = kernel[0][0].length;
        int kw = kernel[0][0][0].length;
        double[] twiddleRe = new double[kh * kw];
        double[] twiddleIm = new double[kh * kw];
        for (int a = 0; a < kh; a++) {
            for (int b = 0; b < kw; b++) {
                double angle = 2 * Math.PI * (((long) fu * a + (long) fv * b) % size) / size;
                twiddleRe[a * kw + b] = Math.cos(angle);
                twiddleIm[a * kw + b] = Math.sin(angle);
            }
        }
        for (int o = 0; o < cout; o++) {
            for (int c = 0; c < cin; c++) {
                double re = 0;
                double im = 0;
                double[][] taps = kernel[o][c];
                for (int a = 0; a < kh; a++) {
                    for (int b = 0; b < kw; b++) {
                        re += taps[a][b] * twiddleRe[a * kw + b];
                        im += taps[a][b] * twiddleIm[a * kw + b];
                    }
                }
                real[o][block + c] = re;
                real[o][width + block + c] = -im;
                real[cout + o][block + c] = im;
                real[cout + o][width + block + c] = re;
            }
        }
    }

    /**
     * The same norm by power iteration on the operator itself (convolution, then its adjoint), for
     * checking {@link #norm}: y[o][p][q] = sum_{c,a,b} K[o][c][a][b] x[c][(s p + a) mod N][(s q + b) mod N].
     */
    public static double powerIteration(double[][][][] kernel, int size, int stride, int iterations, long seed) {
        return iterate(x -> adjoint(kernel, apply(kernel, x, stride), size, stride), kernel[0].length, size,
                iterations, seed);
    }

    /**
     * The norm of the "valid" convolution (no padding, stride 1) on a size x size input, by power iteration:
     * y[o][p][q] = sum_{c,a,b} K[o][c][a][b] x[c][p + a][q + b], p, q < size - k + 1. It is the restriction of
     * the periodic convolution on a grid of size + k - 1, so at most {@link #norm} on that grid.
     */
    public static double validPowerIteration(double[][][][] kernel, int size, int iterations, long seed) {
        int out = size - kernel[0][0].length + 1;
        return iterate(x -> adjoint(kernel, apply(kernel, x, 1, out), size, 1), kernel[0].length, size, iterations,
                seed);
    }

    /** sqrt of the largest eigenvalue of {@code normal} (an operator's A^T A), by power iteration from noise. */
    private static double iterate(UnaryOperator<double[][][]> normal, int channels, int size, int iterations,
                                  long seed) {
        Random random = new Random(seed);
        double[][][] x = new double[channels][size][size];
        for (double[][] plane : x) {
            for (double[] row : plane) {
                for (int i = 0; i < row.length; i++) {
                    row[i] = random.nextGaussian();
                }
            }
        }
        double sigma = 0;
        for (int it = 0; it < iterations; it++) {
            scale(x, 1 / norm(x));
            double[][][] back = normal.apply(x);
            sigma = Math.sqrt(norm(back));
            x = back;
        }
        return sigma;
    }

    static double[][][] apply(double[][][][] kernel, double[][][] x, int stride) {
        return apply(kernel, x, stride, x[0].length / stride);
    }

    /** The convolution's first {@code out} x {@code out} outputs (indices wrap round the grid past its edge). */
    private static double[][][] apply(double[][][][] kernel, double[][][] x, int stride, int out) {
        int size = x[0].length;
        double[][][] y = new double[kernel.length][out][out];
        for (int o = 0; o < kernel.length; o++) {
            for (int c = 0; c < x.length; c++) {
                double[][] taps = kernel[o][c];
                for (int p = 0; p < out; p++) {
                    for (int q = 0; q < out; q++) {
                        double s = 0;
                        for (int a = 0; a < taps.length; a++) {
                            for (int b = 0; b < taps[a].length; b++) {
                                s += taps[a][b] * x[c][(stride * p + a) % size][(stride * q + b) % size];
                            }
                        }
                        y[o][p][q] += s;
                    }
                }
            }
        }
        return y;
    }

    static double[][][] adjoint(double[][][][] kernel, double[][][] y, int size, int stride) {
        int cin = kernel[0].length;
        int out = y[0].length;
        double[][][] x = new double[cin][size][size];
        for (int o = 0; o < kernel.length; o++) {
            for (int c = 0; c < cin; c++) {
                double[][] taps = kernel[o][c];
                for (int p = 0; p < out; p++) {
                    for (int q = 0; q < out; q++) {
                        double value = y[o][p][q];
                        for (int a = 0; a < taps.length; a++) {
                            for (int b = 0; b < taps[a].length; b++) {
                                x[c][(stride * p + a) % size][(stride * q + b) % size] += taps[a][b] * value;
                            }
                        }
                    }
                }
            }
        }
        return x;
    }

    private static double norm(double[][][] t) {
        double s = 0;
        for (double[][] plane : t) {
            for (double[] row : plane) {
                for (double v : row) {
                    s += v * v;
                }
            }
        }
        return Math.sqrt(s);
    }

    private static void scale(double[][][] t, double factor) {
        for (double[][] plane : t) {
            for (double[] row : plane) {
                for (int i = 0; i < row.length; i++) {
                    row[i] *= factor;
                }
            }
        }
    }
}
