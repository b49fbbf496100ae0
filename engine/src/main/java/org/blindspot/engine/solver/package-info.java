/**
 * The batched L-BFGS-B solver: B independent bound-constrained problems advanced in lockstep, one batched
 * objective call per {@link org.blindspot.engine.solver.BatchedLbfgsb#step step}.
 *
 * <p>References: R. H. Byrd, P. Lu, J. Nocedal and C. Zhu, "A limited memory algorithm for bound
 * constrained optimization", SIAM J. Sci. Comput. 16(5), 1995; J. L. Morales and J. Nocedal, "Remark on
 * Algorithm 778", ACM TOMS 38(1), 2011; J. J. Moré and D. J. Thuente, "Line search algorithms with
 * guaranteed sufficient decrease", ACM TOMS 20(3), 1994. The stage classes ({@code CompactLbfgsMatrix},
 * {@code CauchyPoint}, {@code SubspaceMinimizer}, {@code MoreThuenteLineSearch}) are package-private; the
 * public surface is {@link org.blindspot.engine.solver.BatchedLbfgsb}, {@link
 * org.blindspot.engine.solver.BatchObjective}, {@link org.blindspot.engine.solver.LbfgsbOptions}, {@link
 * org.blindspot.engine.solver.RowStatus} and {@link org.blindspot.engine.solver.LbfgsbResult}.
 */
package org.blindspot.engine.solver;
