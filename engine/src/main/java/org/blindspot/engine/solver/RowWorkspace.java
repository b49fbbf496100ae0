package org.blindspot.engine.solver;

/**
 * The work arrays of one thread advancing rows of a {@link BatchedLbfgsb}: the Cauchy-point and subspace
 * stages' scratch, the compact matrices' scratch, the subspace result {@code z} and the new correction pair
 * and the row's gradient (length n each).
 */
final class RowWorkspace {
    final CauchyPoint cauchyPoint;
    final SubspaceMinimizer subspace;
    final double[] z;
    final double[] step;
    final double[] gradientChange;
    /** The gradient of the row being advanced, widened to double, host term included. */
    final double[] gradient;
    final CompactLbfgsMatrix.Scratch matrix;

    RowWorkspace(int n, CompactLbfgsMatrix history) {
        int m = history.m();
        this.matrix = history.newScratch();
        this.cauchyPoint = new CauchyPoint(n, m);
        this.subspace = new SubspaceMinimizer(n, m);
        this.z = new double[n];
        this.step = new double[n];
        this.gradientChange = new double[n];
        this.gradient = new double[n];
    }
}
