package org.blindspot.engine.solver;

import java.util.Arrays;
import org.blindspot.kernels.CauchyScan;

/**
 * Stage 1 of an iteration: the generalised Cauchy point {@code x^c} of one row and the set of variables
 * free at it.
 *
 * <p>References: Byrd, Lu, Nocedal and Zhu (1995), section 4 (Algorithm CP); L-BFGS-B 3.0's {@code mainlb},
 * which skips the Cauchy point of an unconstrained problem once it has curvature pairs ({@code x^c = x},
 * every variable free, {@code c = 0}), so that the iteration is plain L-BFGS; this class does the same.
 * The scan itself is the kernel {@link CauchyScan}, on the row's host arrays.
 */
final class CauchyPoint {
    private final int n;
    private final CauchyScan scan;
    private boolean scanned;

    /** Scratch for rows of {@code n} variables and histories of capacity {@code m}. */
    CauchyPoint(int n, int m) {
        this.n = n;
        this.scan = new CauchyScan(n, m);
    }

    /**
     * Computes the Cauchy point of {@code row} (data at {@code [row n, row n + n)} of x and g, bounds at
     * {@code [boundOff, boundOff + n)}).
     *
     * @param prepared      whether {@link CauchyScan#accept} did the scan's first pass for this row
     * @param unconstrained whether every bound of the row is infinite
     * @return the scan, holding {@code x^c} [n], {@code c = W^T (x^c - x)} [2m] and the variable states [n]
     */
    CauchyScan compute(int row, double[] x, double[] g, double[] lower, double[] upper, int boundOff, boolean prepared,
                       boolean unconstrained, CompactLbfgsMatrix history) {
        int off = row * n;
        scanned = !(unconstrained && history.col(row) > 0);
        if (!scanned) {
            System.arraycopy(x, off, scan.cauchyPoint(), 0, n);
            Arrays.fill(scan.compactStep(), 0.0);
            Arrays.fill(scan.variableStates(), CauchyScan.FREE);
            return scan;
        }
        scan.scan(x, g, lower, upper, off, boundOff, prepared, history.steps(), history.gradientChanges(), history.historyOffset(row),
                history.head(row), history.col(row), history.theta(row), history.middle(), history.middleOffset(row));
        return scan;
    }

    /** The scan kernel (for {@link CauchyScan#accept}, which prepares its next scan). */
    CauchyScan kernel() {
        return scan;
    }

    /** Whether the last {@link #compute} scanned the path (false: the unconstrained shortcut). */
    boolean scanned() {
        return scanned;
    }
}
