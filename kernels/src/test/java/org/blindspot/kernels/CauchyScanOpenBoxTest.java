package org.blindspot.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link CauchyScan#accept} for an open box followed by a prepared scan must give exactly what accepting the
 * point by hand and the general scan give, bit for bit: variables on either bound with the gradient pointing in or out, zero
 * gradients inside and on the bounds, with and without history, the bounds read at their own offset; and a
 * prepared scan of another row is refused.
 */
class CauchyScanOpenBoxTest {
    private static final int N = 57;
    private static final int M = 4;

    @Test
    void acceptingWithTheFirstPassGivesTheGeneralResults() {
        Random random = new Random(11);
        for (int trial = 0; trial < 40; trial++) {
            int col = trial % (M + 1);
            double[] x = new double[N];
            double[] g = new double[N];
            double[] oldX = new double[N];
            double[] oldG = new double[N];
            double[] bounds = new double[3 * N];
            double[] lower = new double[3 * N];
            double[] upper = new double[3 * N];
            int boundOff = 2 * N;
            for (int i = 0; i < N; i++) {
                double l = random.nextDouble() - 0.5;
                double u = l + 0.01 + random.nextDouble();
                lower[boundOff + i] = l;
                upper[boundOff + i] = u;
                bounds[i] = l;
                bounds[N + i] = u;
                int at = random.nextInt(5);
                x[i] = at == 0 ? l : at == 1 ? u : l + random.nextDouble() * (u - l);
                g[i] = random.nextInt(6) == 0 ? 0.0 : random.nextGaussian();
                oldX[i] = l + random.nextDouble() * (u - l);
                oldG[i] = random.nextGaussian();
            }
            double[] s = new double[M * N];
            double[] y = new double[M * N];
            for (int k = 0; k < M * N; k++) {
                s[k] = random.nextGaussian();
                y[k] = s[k] + 0.1 * random.nextGaussian();
            }
            double[] middle = new double[4 * M * M];
            for (int a = 0; a < 2 * M; a++) {
                for (int b = 0; b <= a; b++) {
                    double v = 0.01 * random.nextGaussian();
                    middle[a * 2 * M + b] = v;
                    middle[b * 2 * M + a] = v;
                }
            }
            int head = random.nextInt(M);
            double theta = 0.5 + random.nextDouble();

            CauchyScan general = new CauchyScan(N, M);
            general.scan(x, g, java.util.Arrays.copyOfRange(bounds, 0, N), java.util.Arrays.copyOfRange(bounds, N, 2 * N),
                    0, s, y, 0, head, col, theta, middle, 0);
            double[] acceptedX = oldX.clone();
            double[] acceptedG = oldG.clone();
            double[] step = new double[N];
            double[] gradientChange = new double[N];
            CauchyScan open = new CauchyScan(N, M);
            open.accept(x, g, 0, acceptedX, acceptedG, 0, lower, upper, boundOff, true, step, gradientChange);
            double sy = 0;
            double norm = 0;
            for (int i = 0; i < N; i++) {
                assertEquals(x[i] - oldX[i], step[i], 0.0);
                assertEquals(g[i] - oldG[i], gradientChange[i], 0.0);
                sy += step[i] * gradientChange[i];
                norm = Math.max(norm, ProjectedGradientNorm.term(x[i], g[i], bounds[i], bounds[N + i]));
            }
            assertArrayEquals(x, acceptedX, 0.0);
            assertArrayEquals(g, acceptedG, 0.0);
            assertEquals(sy, open.acceptedCurvature(), 0.0);
            assertEquals(norm, open.acceptedProjectedGradientNorm(), 0.0);
            open.scan(acceptedX, acceptedG, lower, upper, 0, boundOff, true, s, y, 0, head, col, theta, middle, 0);

            String where = "trial " + trial + ", col " + col;
            assertArrayEquals(general.cauchyPoint(), open.cauchyPoint(), 0.0, where);
            assertArrayEquals(general.compactStep(), open.compactStep(), 0.0, where);
            assertArrayEquals(general.variableStates(), open.variableStates(), where);
            assertEquals(general.movingVariables(), open.movingVariables(), where);
            assertEquals(general.breakpointsPassed(), open.breakpointsPassed(), where);
        }
    }

    @Test
    void aPreparedScanOfAnotherRowIsRefused() {
        int n = 3;
        double[] x = {0.2, 0.5, 0.9, 0.1, 0.1, 0.1};
        double[] g = {1, -1, 0.5, 1, 1, 1};
        double[] lower = new double[2 * n];
        double[] upper = {1, 1, 1, 1, 1, 1};
        CauchyScan scan = new CauchyScan(n, 1);
        scan.accept(x.clone(), g.clone(), 0, x, g, 0, lower, upper, 0, true, new double[n], new double[n]);
        assertThrows(IllegalStateException.class, () -> scan.scan(x, g, lower, upper, n, n, true,
                new double[n], new double[n], 0, 0, 0, 1.0, new double[4], 0));
    }

    @Test
    void acceptingOutsideAnOpenBoxPreparesNothing() {
        int n = 3;
        double[] x = {0.2, 0.5, 0.9};
        double[] g = {1, -1, 0.5};
        double[] lower = {0, Double.NEGATIVE_INFINITY, 0.9};
        double[] upper = {1, 1, 0.9};
        double[] trial = {0.3, 0.25, 0.9};
        double[] grad = {0.5, -2, 4};
        double[] step = new double[n];
        double[] gradientChange = new double[n];
        CauchyScan scan = new CauchyScan(n, 1);
        scan.accept(trial, grad, 0, x, g, 0, lower, upper, 0, false, step, gradientChange);

        assertArrayEquals(trial, x, 0.0);
        assertArrayEquals(grad, g, 0.0);
        assertArrayEquals(new double[] {0.3 - 0.2, 0.25 - 0.5, 0.0}, step, 0.0);
        assertArrayEquals(new double[] {0.5 - 1, -2 + 1, 4 - 0.5}, gradientChange, 0.0);
        assertEquals((0.3 - 0.2) * (0.5 - 1) + (0.25 - 0.5) * (-2 + 1), scan.acceptedCurvature(), 1e-15);
        assertEquals(0.75, scan.acceptedProjectedGradientNorm(), 0.0, "|clip(x - g) - x| is 0.3, 0.75 and 0");
        assertThrows(IllegalStateException.class, () -> scan.scan(x, g, lower, upper, 0, 0, true,
                new double[n], new double[n], 0, 0, 0, 1.0, new double[4], 0));
    }
}
