package org.blindspot.engine.attack;

/**
 * The line search over c of one (image, target) problem (section 4.1): keep the <em>largest</em> c
 * whose minimiser is classified as the target, i.e. the smallest distortion. The bracket is found
 * by multiplying or dividing c by {@code factor}; it is then narrowed, in log c, until
 * hi / lo <= 1 + tolerance or the step budget is spent.
 *
 * <p>Narrowing uses the solves' logit margins, not only their outcomes: the margin's excess over the
 * success threshold is positive at lo and not positive at hi, so it has a root in between. The next c
 * is that root's estimate in log c: inverse quadratic interpolation through the three solves nearest
 * the bracket's middle (as in Brent's method), or regula falsi between the ends (with the Illinois
 * correction) while there are only two. When the estimate lies within one tolerance width of an end,
 * the solve is placed a quarter width past it, so that it lands on the other side of the root and
 * closes the bracket. Safeguards: every c is strictly inside the bracket; the bisection point is taken
 * when the bracket is less than two tolerance widths wide (one more solve then ends the search), when
 * the margins are not usable (not finite, or of the wrong sign), and when three narrowing steps have not
 * halved the bracket, so that even misleading margins take at most three times bisection's solves (the
 * step budget caps them in any case). On the attack's margins it takes about a third fewer solves than
 * bisection, and a quarter fewer gradient evaluations (docs/performance-history.md).
 *
 * <p>With {@link CSearch#EXTRAPOLATION} the bracket itself is found from the margins too. Near the threshold the
 * excess falls about linearly in log c, and the factor of 10 that brackets most problems in one step overshoots
 * the root by far, leaving a wide bracket to narrow. So the second solve is at {@link #FIRST_STEP} times (or over)
 * the first, and each later one at the root of the secant through the last two solves' excesses in log c, at
 * least {@code 1 + 2 tolerance} and at most {@code factor} times past the last. One exception keeps the factor's
 * reach: a failed solve whose margin is still near the clean image's ({@code cleanExcess}, the excess at
 * {@code c -> infinity}, where the perturbation vanishes) lies on the flat part of the curve, far from the root,
 * where a secant step would be short, and the next c is then {@code factor} times smaller. On the MNIST models of
 * the reproduction this takes 0-31% fewer gradient evaluations than the factor alone, for the same distortion
 * (docs/performance-history.md).
 *
 * <p>Mutable, one per problem; not thread-safe.
 */
final class TradeOffSearch {

    /** How far past an estimate near an end the solve is placed, in tolerance widths. */
    private static final double PUSH = 0.25;
    /** The farthest from an end that a closing solve is placed, in tolerance widths. */
    private static final double CLOSING_REACH = 0.95;
    /** The least distance of a c from the bracket's ends, as a fraction of its width. */
    private static final double INTERIOR = 0.02;
    /** The ratio of the second solve's c to the first's in an extrapolated bracketing (unless the margin is flat). */
    static final double FIRST_STEP = 2;
    /**
     * A failed solve is on the flat part of the margin's curve when its excess has covered less than this fraction of
     * the way from the clean image's excess to 0.
     */
    static final double FLAT = 0.5;

    private final double factor;
    private final double tolerance;
    private final int maxSteps;
    private final double minimum;
    private final boolean useMargins;
    private final boolean extrapolate;
    private final double cleanExcess;
    private final double[] solvedAt;
    private final double[] solvedExcess;
    private final double[] widths;
    private double c;
    private double lo = Double.NaN;
    private double hi = Double.NaN;
    private double loExcess = Double.NaN;
    private double hiExcess = Double.NaN;
    private double loWeight = 1;
    private double hiWeight = 1;
    private int lastMoved;
    private int narrowingSteps;
    private int steps;

    /**
     * @param initial   the first c
     * @param factor    bracketing factor (> 1)
     * @param tolerance relative width of the final bracket
     * @param maxSteps  most solves
     * @param minimum   below this c the search gives up (the target is out of reach)
     * @param method    whether the margins steer the bracketing and the narrowing, the narrowing only, or neither
     */
    TradeOffSearch(double initial, double factor, double tolerance, int maxSteps, double minimum, CSearch method) {
        this(initial, factor, tolerance, maxSteps, minimum, method, Double.NaN);
    }

    /**
     * @param cleanExcess the margin's excess over the success threshold at the clean image (no perturbation), which
     *                    {@link CSearch#EXTRAPOLATION} uses to tell a flat margin from a moving one; NaN if unknown
     */
    TradeOffSearch(double initial, double factor, double tolerance, int maxSteps, double minimum, CSearch method,
                   double cleanExcess) {
        this.c = initial;
        this.factor = factor;
        this.tolerance = tolerance;
        this.maxSteps = maxSteps;
        this.minimum = minimum;
        this.useMargins = method.usesMargins();
        this.extrapolate = method == CSearch.EXTRAPOLATION;
        this.cleanExcess = cleanExcess;
        this.solvedAt = new double[maxSteps];
        this.solvedExcess = new double[maxSteps];
        this.widths = new double[maxSteps];
    }

    /** The c of the current solve. */
    double c() {
        return c;
    }

    /** The largest c found successful so far, NaN if none. */
    double bestSuccessful() {
        return lo;
    }

    /** Solves done. */
    int steps() {
        return steps;
    }

    /**
     * Records the outcome of the solve at {@link #c()} and moves to the next c.
     *
     * @param success whether the solve's minimiser is classified as the target
     * @param margin  its margin minus the success threshold (positive on success; NaN if unknown, which
     *                makes the next narrowing step a bisection; unused by {@link CSearch#BISECTION})
     * @return true if another solve is wanted, at the new {@link #c()}
     * @throws IllegalStateException if the step budget was already spent
     */
    boolean record(boolean success, double margin) {
        if (steps >= maxSteps) {
            throw new IllegalStateException("the search has used its " + maxSteps + " solves");
        }
        double excess = useMargins ? margin : Double.NaN;
        solvedAt[steps] = Math.log(c);
        solvedExcess[steps] = excess;
        steps++;
        if (success) {
            if (Double.isNaN(lo) || c > lo) {
                lo = c;
                loExcess = excess;
                moved(1);
            }
        } else if (Double.isNaN(hi) || c < hi) {
            hi = c;
            hiExcess = excess;
            moved(-1);
        }
        if (steps >= maxSteps) {
            return false;
        }
        if (Double.isNaN(lo)) {
            c = hi / bracketingStep(success, excess);
            return c >= minimum;
        }
        if (Double.isNaN(hi)) {
            c = lo * bracketingStep(success, excess);
            return true;
        }
        if (hi <= lo * (1 + tolerance)) {
            return false;
        }
        double next = narrowingStep(Math.log(lo), Math.log(hi));
        c = Double.isNaN(next) ? Math.sqrt(lo * hi) : Math.exp(next);
        return true;
    }

    /**
     * How many times farther (up after a success, down after a failure) the next solve of the bracketing goes: the
     * factor, or with {@link CSearch#EXTRAPOLATION} the step to the margins' extrapolated root (see the class
     * comment). {@code excess} is that of the solve just recorded.
     */
    private double bracketingStep(boolean success, double excess) {
        if (!extrapolate || !Double.isFinite(excess)) {
            return factor;
        }
        if (!success && cleanExcess < 0 && excess - cleanExcess < FLAT * -cleanExcess) {
            return factor;
        }
        if (steps < 2) {
            return Math.min(FIRST_STEP, factor);
        }
        double u0 = solvedAt[steps - 2];
        double u1 = solvedAt[steps - 1];
        double e0 = solvedExcess[steps - 2];
        double slope = (excess - e0) / (u1 - u0);
        if (!(slope < 0) || !Double.isFinite(slope)) {
            return factor;
        }
        double ratio = Math.exp(Math.abs(excess / slope));
        return Math.min(Math.max(ratio, 1 + 2 * tolerance), factor);
    }

    /** Illinois: an end kept twice in a row has its excess halved in regula falsi. */
    private void moved(int side) {
        if (side == lastMoved) {
            if (side > 0) {
                hiWeight *= 0.5;
            } else {
                loWeight *= 0.5;
            }
        } else {
            loWeight = 1;
            hiWeight = 1;
        }
        lastMoved = side;
    }

    /**
     * The next log c inside the bracket {@code (u0, u1)}, which is wider than the tolerance; NaN for the bisection
     * point (computed by the caller as {@code sqrt(lo hi)}, bit for bit the c of plain bisection).
     */
    private double narrowingStep(double u0, double u1) {
        double width = u1 - u0;
        widths[narrowingSteps++] = width;
        boolean slow = narrowingSteps > 3 && width > 0.5 * widths[narrowingSteps - 4];
        double a = loWeight * loExcess;
        double b = hiWeight * hiExcess;
        double eps = Math.log1p(tolerance);
        if (slow || width <= 2 * eps || !(a > 0) || !(b <= 0) || !Double.isFinite(a - b)) {
            return Double.NaN;
        }
        double estimate = inverseQuadratic(u0, u1);
        if (Double.isNaN(estimate)) {
            estimate = u0 + width * a / (a - b);
        }
        double next = estimate;
        if (estimate - u0 < eps) {
            next = Math.min(estimate + PUSH * eps, u0 + CLOSING_REACH * eps);
        } else if (u1 - estimate < eps) {
            next = Math.max(estimate - PUSH * eps, u1 - CLOSING_REACH * eps);
        }
        double margin = INTERIOR * width;
        return Math.min(Math.max(next, u0 + margin), u1 - margin);
    }

    /**
     * The root, in log c, of the quadratic (in the excess) through the three solves nearest the bracket's
     * middle; NaN if there are fewer than three, their excesses are not distinct and finite, or the root is
     * not inside the bracket.
     */
    private double inverseQuadratic(double u0, double u1) {
        if (steps < 3) {
            return Double.NaN;
        }
        double middle = 0.5 * (u0 + u1);
        int[] nearest = {-1, -1, -1};
        for (int k = 0; k < steps; k++) {
            double distance = Math.abs(solvedAt[k] - middle);
            for (int j = 0; j < 3; j++) {
                if (nearest[j] < 0 || distance < Math.abs(solvedAt[nearest[j]] - middle)) {
                    System.arraycopy(nearest, j, nearest, j + 1, 2 - j);
                    nearest[j] = k;
                    break;
                }
            }
        }
        double x0 = solvedAt[nearest[0]];
        double x1 = solvedAt[nearest[1]];
        double x2 = solvedAt[nearest[2]];
        double f0 = solvedExcess[nearest[0]];
        double f1 = solvedExcess[nearest[1]];
        double f2 = solvedExcess[nearest[2]];
        if (!(Double.isFinite(f0) && Double.isFinite(f1) && Double.isFinite(f2)) || f0 == f1 || f0 == f2
                || f1 == f2) {
            return Double.NaN;
        }
        double root = x0 * f1 * f2 / ((f0 - f1) * (f0 - f2)) + x1 * f0 * f2 / ((f1 - f0) * (f1 - f2))
                + x2 * f0 * f1 / ((f2 - f0) * (f2 - f1));
        return root > u0 && root < u1 ? root : Double.NaN;
    }
}
