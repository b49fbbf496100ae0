package org.blindspot.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The scan's statistics on a closed form: with no history, {@code B = I}, so the quadratic along the projected
 * path is separable and its minimiser is at {@code t = 1}; from {@code x = 0.5} in [0, 1], variable i reaches
 * its bound at {@code t_i = 0.5 / |g_i|}, so the scan passes exactly the breakpoints of {@code |g_i| > 0.5}.
 */
class CauchyScanStatisticsTest {

    @Test
    void countsMovingVariablesAndTheBreakpointsBeforeTheMinimiser() {
        double[] g = {-0.2, 0.3, -0.7, 0.9, 2.0, 0.0, -3.0, 0.45, 1.0, 1.0};
        int n = g.length;
        double[] x = new double[n];
        double[] lower = new double[n];
        double[] upper = new double[n];
        java.util.Arrays.fill(x, 0.5);
        java.util.Arrays.fill(upper, 1.0);
        x[8] = 0.0;
        lower[9] = 0.5;
        upper[9] = 0.5;
        int m = 2;
        CauchyScan scan = new CauchyScan(n, m);
        scan.scan(x, g, lower, upper, 0, new double[m * n], new double[m * n], 0, 0, 0, 1.0,
                new double[4 * m * m], 0);

        assertEquals(7, scan.movingVariables(), "all but g = 0, the variable stuck at its lower bound, the fixed one");
        assertEquals(4, scan.breakpointsPassed(), "|g| = 0.7, 0.9, 2 and 3");
        byte[] where = scan.variableStates();
        assertEquals(CauchyScan.AT_UPPER, where[6]);
        assertEquals(CauchyScan.AT_LOWER, where[4]);
        assertEquals(CauchyScan.FREE, where[7]);
        assertEquals(0.5 - 0.45, scan.cauchyPoint()[7], 1e-12, "x - t g at t = 1 for the variables left moving");
    }
}
