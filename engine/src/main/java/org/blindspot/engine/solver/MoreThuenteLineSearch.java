package org.blindspot.engine.solver;

/**
 * The line search of one row: finds a step satisfying the strong Wolfe conditions
 * {@code f(stp) <= f(0) + ftol stp f'(0)} and {@code |f'(stp)| <= gtol |f'(0)|} by safeguarded cubic and
 * quadratic interpolation, in reverse communication (the caller evaluates f and f' at {@link #step()}).
 *
 * <p>References: J. J. Moré and D. J. Thuente, "Line search algorithms with guaranteed sufficient decrease",
 * ACM TOMS 20(3), 1994 (the search: section 2; the step update, cases 1-4: section 4); MINPACK-2's
 * {@code dcsrch} and {@code dcstep}, which L-BFGS-B 3.0 calls with {@code ftol = 1e-3}, {@code gtol = 0.9},
 * {@code xtol = 0.1}, {@code stpmin = 0} and {@code stpmax} the largest step that stays in the box
 * (Byrd et al. 1995, section 6). Departure: none; the warnings of {@code dcsrch} (rounding errors, xtol test,
 * stp at stpmax) end the search with the last step, as in L-BFGS-B, and are reported as {@link Task#WARNING}.
 */
final class MoreThuenteLineSearch {
    /** Sufficient decrease constant of L-BFGS-B. */
    static final double FTOL = 1e-3;
    /** Curvature constant of L-BFGS-B. */
    static final double GTOL = 0.9;
    /** Relative width of the interval of uncertainty at which the search stops. */
    static final double XTOL = 0.1;

    private static final double XTRAPL = 1.1;
    private static final double XTRAPU = 4.0;

    /** What the caller does next. */
    enum Task {
        /** Evaluate f and f' at {@link #step()} and call {@link #iterate}. */
        EVALUATE,
        /** The strong Wolfe conditions hold at {@link #step()}. */
        CONVERGED,
        /** The search cannot make progress; {@link #step()} is the best step found and gives decrease. */
        WARNING,
        /** Invalid input (ascent direction, step outside [0, stpmax]). */
        ERROR
    }

    private boolean brackt;
    private int stage;
    private double ginit;
    private double gtest;
    private double gx;
    private double gy;
    private double finit;
    private double fx;
    private double fy;
    private double stx;
    private double sty;
    private double stmin;
    private double stmax;
    private double width;
    private double width1;
    private double stp;
    private double stpmax;

    /**
     * Starts a search (dcsrch with task START).
     *
     * @param f0      f at step 0
     * @param g0      directional derivative at step 0, must be negative
     * @param initial first trial step, in {@code [0, stpmax]}
     * @param maxStep largest step allowed
     * @return EVALUATE, or ERROR if the input is invalid
     */
    Task start(double f0, double g0, double initial, double maxStep) {
        stp = initial;
        stpmax = maxStep;
        if (!(initial >= 0) || initial > maxStep || !(g0 < 0)) {
            return Task.ERROR;
        }
        brackt = false;
        stage = 1;
        finit = f0;
        ginit = g0;
        gtest = FTOL * ginit;
        width = maxStep;
        width1 = width / 0.5;
        stx = 0;
        fx = finit;
        gx = ginit;
        sty = 0;
        fy = finit;
        gy = ginit;
        stmin = 0;
        stmax = stp + XTRAPU * stp;
        return Task.EVALUATE;
    }

    /** The step to evaluate next, or the accepted step once the search has ended. */
    double step() {
        return stp;
    }

    /** The directional derivative at step 0. */
    double initialSlope() {
        return ginit;
    }

    /**
     * Feeds f and f' at {@link #step()} and advances the search (dcsrch after an evaluation).
     *
     * @return EVALUATE with a new {@link #step()}, or CONVERGED / WARNING with the accepted step unchanged
     */
    Task iterate(double f, double g) {
        double ftest = finit + stp * gtest;
        if (stage == 1 && f <= ftest && g >= 0) {
            stage = 2;
        }
        Task task = null;
        if (brackt && (stp <= stmin || stp >= stmax)) {
            task = Task.WARNING;
        }
        if (brackt && stmax - stmin <= XTOL * stmax) {
            task = Task.WARNING;
        }
        if (stp == stpmax && f <= ftest && g <= gtest) {
            task = Task.WARNING;
        }
        if (stp == 0 && (f > ftest || g >= gtest)) {
            task = Task.WARNING;
        }
        if (f <= ftest && Math.abs(g) <= GTOL * -ginit) {
            task = Task.CONVERGED;
        }
        if (task != null) {
            return task;
        }
        if (stage == 1 && f <= fx && f > ftest) {
            double fm = f - stp * gtest;
            double fxm = fx - stx * gtest;
            double fym = fy - sty * gtest;
            double gm = g - gtest;
            double gxm = gx - gtest;
            double gym = gy - gtest;
            updateInterval(fxm, gxm, fym, gym, fm, gm);
            fx += stx * gtest;
            fy += sty * gtest;
            gx += gtest;
            gy += gtest;
        } else {
            updateInterval(fx, gx, fy, gy, f, g);
        }
        if (brackt) {
            if (Math.abs(sty - stx) >= 0.66 * width1) {
                stp = stx + 0.5 * (sty - stx);
            }
            width1 = width;
            width = Math.abs(sty - stx);
            stmin = Math.min(stx, sty);
            stmax = Math.max(stx, sty);
        } else {
            stmin = stp + XTRAPL * (stp - stx);
            stmax = stp + XTRAPU * (stp - stx);
        }
        stp = Math.min(Math.max(stp, 0), stpmax);
        if (brackt && (stp <= stmin || stp >= stmax || stmax - stmin <= XTOL * stmax)) {
            stp = stx;
        }
        return Task.EVALUATE;
    }

    /**
     * dcstep: one safeguarded step (Moré and Thuente 1994, section 4, cases 1-4), updating the interval of
     * uncertainty [stx, sty] and the trial step. The arguments are values and slopes of the function in use
     * (the modified function psi of section 3 in stage 1, f otherwise) at stx, sty and stp; the updated
     * end-point values are stored in {@code fx, gx, fy, gy} in the same form, and the caller converts back.
     */
    private void updateInterval(double fxIn, double dx, double fyIn, double dy, double fp, double dp) {
        double fxv = fxIn;
        double fyv = fyIn;
        double dxv = dx;
        double dyv = dy;
        double sgnd = dp * (dxv / Math.abs(dxv));
        double stpf;
        if (fp > fxv) {
            double theta = 3.0 * (fxv - fp) / (stp - stx) + dxv + dp;
            double s = max3(Math.abs(theta), Math.abs(dxv), Math.abs(dp));
            double gamma = s * Math.sqrt((theta / s) * (theta / s) - (dxv / s) * (dp / s));
            if (stp < stx) {
                gamma = -gamma;
            }
            double p = (gamma - dxv) + theta;
            double q = ((gamma - dxv) + gamma) + dp;
            double r = p / q;
            double stpc = stx + r * (stp - stx);
            double stpq = stx + ((dxv / ((fxv - fp) / (stp - stx) + dxv)) / 2.0) * (stp - stx);
            stpf = Math.abs(stpc - stx) < Math.abs(stpq - stx) ? stpc : stpc + (stpq - stpc) / 2.0;
            brackt = true;
        } else if (sgnd < 0) {
            double theta = 3.0 * (fxv - fp) / (stp - stx) + dxv + dp;
            double s = max3(Math.abs(theta), Math.abs(dxv), Math.abs(dp));
            double gamma = s * Math.sqrt((theta / s) * (theta / s) - (dxv / s) * (dp / s));
            if (stp > stx) {
                gamma = -gamma;
            }
            double p = (gamma - dp) + theta;
            double q = ((gamma - dp) + gamma) + dxv;
            double r = p / q;
            double stpc = stp + r * (stx - stp);
            double stpq = stp + (dp / (dp - dxv)) * (stx - stp);
            stpf = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
            brackt = true;
        } else if (Math.abs(dp) < Math.abs(dxv)) {
            double theta = 3.0 * (fxv - fp) / (stp - stx) + dxv + dp;
            double s = max3(Math.abs(theta), Math.abs(dxv), Math.abs(dp));
            double gamma = s * Math.sqrt(Math.max(0.0, (theta / s) * (theta / s) - (dxv / s) * (dp / s)));
            if (stp > stx) {
                gamma = -gamma;
            }
            double p = (gamma - dp) + theta;
            double q = (gamma + (dxv - dp)) + gamma;
            double r = p / q;
            double stpc;
            if (r < 0 && gamma != 0) {
                stpc = stp + r * (stx - stp);
            } else if (stp > stx) {
                stpc = stmax;
            } else {
                stpc = stmin;
            }
            double stpq = stp + (dp / (dp - dxv)) * (stx - stp);
            if (brackt) {
                stpf = Math.abs(stpc - stp) < Math.abs(stpq - stp) ? stpc : stpq;
                if (stp > stx) {
                    stpf = Math.min(stp + 0.66 * (sty - stp), stpf);
                } else {
                    stpf = Math.max(stp + 0.66 * (sty - stp), stpf);
                }
            } else {
                stpf = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
                stpf = Math.min(stmax, stpf);
                stpf = Math.max(stmin, stpf);
            }
        } else {
            if (brackt) {
                double theta = 3.0 * (fp - fyv) / (sty - stp) + dyv + dp;
                double s = max3(Math.abs(theta), Math.abs(dyv), Math.abs(dp));
                double gamma = s * Math.sqrt((theta / s) * (theta / s) - (dyv / s) * (dp / s));
                if (stp > sty) {
                    gamma = -gamma;
                }
                double p = (gamma - dp) + theta;
                double q = ((gamma - dp) + gamma) + dyv;
                double r = p / q;
                stpf = stp + r * (sty - stp);
            } else if (stp > stx) {
                stpf = stmax;
            } else {
                stpf = stmin;
            }
        }
        if (fp > fxv) {
            sty = stp;
            fyv = fp;
            dyv = dp;
        } else {
            if (sgnd < 0) {
                sty = stx;
                fyv = fxv;
                dyv = dxv;
            }
            stx = stp;
            fxv = fp;
            dxv = dp;
        }
        stp = stpf;
        fx = fxv;
        gx = dxv;
        fy = fyv;
        gy = dyv;
    }

    private static double max3(double a, double b, double c) {
        return Math.max(a, Math.max(b, c));
    }
}
