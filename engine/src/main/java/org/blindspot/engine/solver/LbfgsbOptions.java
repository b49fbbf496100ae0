package org.blindspot.engine.solver;

/**
 * Options of {@link BatchedLbfgsb}, with SciPy's meanings and defaults ({@code scipy.optimize.minimize(method=
 * "L-BFGS-B")}: {@code maxcor, factr = ftol / epsmch, gtol, maxiter, maxfun, maxls}). Immutable; checked when
 * built.
 *
 * @param m              number of correction pairs kept (SciPy's {@code maxcor}), {@code >= 1}
 * @param factr          relative-reduction test: stop when {@code (f_k - f_{k+1}) / max(|f_k|, |f_{k+1}|, 1)
 *                       <= factr * epsmch}; {@code >= 0}
 * @param pgtol          stop when the projected gradient's infinity norm is {@code <= pgtol}; {@code >= 0}
 * @param maxIterations  iteration limit per row, {@code >= 1}
 * @param maxEvaluations limit on evaluations of f and g per row, {@code >= 1}
 * @param maxLineSearch  limit on evaluations in one line search, {@code >= 1}
 */
public record LbfgsbOptions(int m, double factr, double pgtol, int maxIterations, int maxEvaluations,
                            int maxLineSearch) {

    /** SciPy's defaults: m = 10, factr = 1e7, pgtol = 1e-5, maxiter = maxfun = 15000, maxls = 20. */
    public static final LbfgsbOptions DEFAULTS = new LbfgsbOptions(10, 1e7, 1e-5, 15000, 15000, 20);

    /** Checks every field; the message names the field and the rule. */
    public LbfgsbOptions {
        if (m < 1) {
            throw new IllegalArgumentException("m must be >= 1, got " + m);
        }
        if (!(factr >= 0) || Double.isInfinite(factr)) {
            throw new IllegalArgumentException("factr must be finite and >= 0, got " + factr);
        }
        if (!(pgtol >= 0) || Double.isInfinite(pgtol)) {
            throw new IllegalArgumentException("pgtol must be finite and >= 0, got " + pgtol);
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be >= 1, got " + maxIterations);
        }
        if (maxEvaluations < 1) {
            throw new IllegalArgumentException("maxEvaluations must be >= 1, got " + maxEvaluations);
        }
        if (maxLineSearch < 1) {
            throw new IllegalArgumentException("maxLineSearch must be >= 1, got " + maxLineSearch);
        }
    }

    /** A copy with another {@code m}. */
    public LbfgsbOptions withM(int value) {
        return new LbfgsbOptions(value, factr, pgtol, maxIterations, maxEvaluations, maxLineSearch);
    }

    /** A copy with another {@code factr}. */
    public LbfgsbOptions withFactr(double value) {
        return new LbfgsbOptions(m, value, pgtol, maxIterations, maxEvaluations, maxLineSearch);
    }

    /** A copy with another {@code pgtol}. */
    public LbfgsbOptions withPgtol(double value) {
        return new LbfgsbOptions(m, factr, value, maxIterations, maxEvaluations, maxLineSearch);
    }

    /** A copy with another {@code maxIterations}. */
    public LbfgsbOptions withMaxIterations(int value) {
        return new LbfgsbOptions(m, factr, pgtol, value, maxEvaluations, maxLineSearch);
    }

    /** A copy with another {@code maxEvaluations}. */
    public LbfgsbOptions withMaxEvaluations(int value) {
        return new LbfgsbOptions(m, factr, pgtol, maxIterations, value, maxLineSearch);
    }

    /** A copy with another {@code maxLineSearch}. */
    public LbfgsbOptions withMaxLineSearch(int value) {
        return new LbfgsbOptions(m, factr, pgtol, maxIterations, maxEvaluations, value);
    }
}
