package org.blindspot.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Every kernel's batched INDArray entry point against its plain-Java reference, on seeded random data. */
class KernelReferenceTest {
    private static final int B = 5;
    private static final int N = 23;
    private static final int M = 4;

    /** Random box problems: some infinite bounds, some fixed variables, some points on a bound. */
    private static final class Box {
        final double[][] x = new double[B][N];
        final double[][] g = new double[B][N];
        final double[][] lower = new double[B][N];
        final double[][] upper = new double[B][N];

        Box(long seed) {
            Random random = new Random(seed);
            for (int b = 0; b < B; b++) {
                for (int i = 0; i < N; i++) {
                    double l = random.nextDouble() - 1;
                    double u = l + random.nextDouble() * 2;
                    int kind = random.nextInt(8);
                    lower[b][i] = kind == 0 ? Double.NEGATIVE_INFINITY : l;
                    upper[b][i] = kind == 1 ? Double.POSITIVE_INFINITY : (kind == 2 ? l : u);
                    double inside = l + random.nextDouble() * (u - l);
                    int at = random.nextInt(6);
                    double start = at == 0 ? lower[b][i] : at == 1 ? upper[b][i] : inside;
                    x[b][i] = Math.min(Math.max(Double.isFinite(start) ? start : inside, lower[b][i]), upper[b][i]);
                    g[b][i] = random.nextGaussian();
                }
            }
        }
    }

    private static INDArray array(double[][] a) {
        return Nd4j.createFromArray(a);
    }

    private static double[][] matrix(INDArray a) {
        return a.castTo(DataType.DOUBLE).toDoubleMatrix();
    }

    @Test
    void boxProjectionMatchesReference() {
        Box box = new Box(1);
        Random random = new Random(2);
        double[][] points = new double[B][N];
        for (int b = 0; b < B; b++) {
            for (int i = 0; i < N; i++) {
                points[b][i] = 3 * random.nextGaussian();
            }
        }
        double[][] expected = BoxProjection.reference(points, box.lower, box.upper);
        double[][] actual = matrix(BoxProjection.apply(array(points), array(box.lower), array(box.upper)));
        for (int b = 0; b < B; b++) {
            assertArrayEquals(expected[b], actual[b], 0.0);
        }
    }

    @Test
    void projectedGradientNormMatchesReference() {
        Box box = new Box(3);
        double[] expected = ProjectedGradientNorm.reference(box.x, box.g, box.lower, box.upper);
        double[] actual = ProjectedGradientNorm.apply(array(box.x), array(box.g), array(box.lower),
                array(box.upper)).toDoubleVector();
        assertArrayEquals(expected, actual, 1e-15);
    }

    @Test
    void breakpointsMatchReference() {
        Box box = new Box(4);
        double[][] expected = Breakpoints.reference(box.x, box.g, box.lower, box.upper);
        double[][] actual = matrix(Breakpoints.apply(array(box.x), array(box.g), array(box.lower), array(box.upper)));
        for (int b = 0; b < B; b++) {
            assertArrayEquals(expected[b], actual[b], 1e-15);
        }
    }

    @Test
    void compactTransposeTimesMatchesReference() {
        Random random = new Random(5);
        double[][][] s = new double[B][M][N];
        double[][][] y = new double[B][M][N];
        double[][] v = new double[B][N];
        int[] head = new int[B];
        int[] col = new int[B];
        double[] theta = new double[B];
        for (int b = 0; b < B; b++) {
            head[b] = random.nextInt(M);
            col[b] = b % (M + 1);
            theta[b] = 0.5 + random.nextDouble();
            for (int i = 0; i < N; i++) {
                v[b][i] = random.nextGaussian();
                for (int k = 0; k < M; k++) {
                    s[b][k][i] = random.nextGaussian();
                    y[b][k][i] = random.nextGaussian();
                }
            }
        }
        double[][] expected = CompactProducts.transposeTimesReference(s, y, head, col, theta, v);
        double[][] actual = matrix(CompactProducts.transposeTimes(Nd4j.createFromArray(s), Nd4j.createFromArray(y),
                head, col, theta, array(v)));
        for (int b = 0; b < B; b++) {
            assertArrayEquals(expected[b], actual[b], 1e-12);
        }
    }

    @Test
    void cauchyScanMatchesDenseReference() {
        Box box = new Box(6);
        Random random = new Random(7);
        double[][][] s = new double[B][M][N];
        double[][][] y = new double[B][M][N];
        double[][][] middle = new double[B][2 * M][2 * M];
        int[] head = new int[B];
        int[] col = new int[B];
        double[] theta = new double[B];
        double[][][] dense = new double[B][][];
        for (int b = 0; b < B; b++) {
            head[b] = random.nextInt(M);
            col[b] = b % (M + 1);
            double[][] hessian = randomSpd(random);
            for (int k = 0; k < M; k++) {
                for (int i = 0; i < N; i++) {
                    s[b][k][i] = random.nextGaussian();
                }
                for (int i = 0; i < N; i++) {
                    for (int j = 0; j < N; j++) {
                        y[b][k][i] += hessian[i][j] * s[b][k][j];
                    }
                }
            }
            int newest = (head[b] + Math.max(col[b], 1) - 1) % M;
            theta[b] = dot(y[b][newest], y[b][newest]) / dot(s[b][newest], y[b][newest]);
            dense[b] = compactMatrix(s[b], y[b], head[b], col[b], theta[b], middle[b]);
        }
        double[][] actual = matrix(CauchyScan.apply(array(box.x), array(box.g), array(box.lower), array(box.upper),
                Nd4j.createFromArray(s), Nd4j.createFromArray(y), head, col, theta, Nd4j.createFromArray(middle)));
        for (int b = 0; b < B; b++) {
            double[] expected = CauchyScan.reference(box.x[b], box.g[b], box.lower[b], box.upper[b], dense[b]);
            for (int i = 0; i < N; i++) {
                assertEquals(expected[i], actual[b][i], 1e-10, "row " + b + " element " + i);
            }
        }
    }

    private static double[][] randomSpd(Random random) {
        double[][] a = new double[N][N];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                a[i][j] = random.nextGaussian() / Math.sqrt(N);
            }
        }
        double[][] spd = new double[N][N];
        for (int i = 0; i < N; i++) {
            spd[i][i] = 0.5;
            for (int j = 0; j < N; j++) {
                for (int k = 0; k < N; k++) {
                    spd[i][j] += a[k][i] * a[k][j];
                }
            }
        }
        return spd;
    }

    /**
     * Fills {@code middle} (compact layout) with {@code M = [[-D, L^T], [L, theta S^T S]]^{-1}} by dense
     * inversion and returns the dense {@code B = theta I - W M W^T}.
     */
    private static double[][] compactMatrix(double[][] s, double[][] y, int head, int col, double theta,
                                            double[][] middle) {
        int size = 2 * col;
        double[][] inverse = new double[size][size];
        for (int a = 0; a < col; a++) {
            double[] sa = s[(head + a) % M];
            for (int b = 0; b < col; b++) {
                double[] sb = s[(head + b) % M];
                double[] yb = y[(head + b) % M];
                double[] ya = y[(head + a) % M];
                inverse[a][b] = a == b ? -dot(sa, ya) : 0.0;
                inverse[col + a][b] = a > b ? dot(sa, yb) : 0.0;
                inverse[b][col + a] = inverse[col + a][b];
                inverse[col + a][col + b] = theta * dot(sa, sb);
            }
        }
        double[][] mid = invert(inverse);
        double[][] w = new double[N][size];
        for (int i = 0; i < N; i++) {
            for (int a = 0; a < col; a++) {
                w[i][a] = y[(head + a) % M][i];
                w[i][col + a] = theta * s[(head + a) % M][i];
            }
        }
        for (int a = 0; a < size; a++) {
            for (int b = 0; b < size; b++) {
                int ca = a < col ? a : M + a - col;
                int cb = b < col ? b : M + b - col;
                middle[ca][cb] = mid[a][b];
            }
        }
        double[][] dense = new double[N][N];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                double t = i == j ? theta : 0.0;
                for (int a = 0; a < size; a++) {
                    for (int b = 0; b < size; b++) {
                        t -= w[i][a] * mid[a][b] * w[j][b];
                    }
                }
                dense[i][j] = t;
            }
        }
        return dense;
    }

    private static double[][] invert(double[][] a) {
        int n = a.length;
        double[][] aug = new double[n][2 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, aug[i], 0, n);
            aug[i][n + i] = 1;
        }
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(aug[r][c]) > Math.abs(aug[p][c])) {
                    p = r;
                }
            }
            double[] t = aug[c];
            aug[c] = aug[p];
            aug[p] = t;
            double pivot = aug[c][c];
            for (int j = 0; j < 2 * n; j++) {
                aug[c][j] /= pivot;
            }
            for (int r = 0; r < n; r++) {
                if (r != c && aug[r][c] != 0) {
                    double factor = aug[r][c];
                    for (int j = 0; j < 2 * n; j++) {
                        aug[r][j] -= factor * aug[c][j];
                    }
                }
            }
        }
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(aug[i], n, out[i], 0, n);
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double t = 0;
        for (int i = 0; i < a.length; i++) {
            t += a[i] * b[i];
        }
        return t;
    }
}
