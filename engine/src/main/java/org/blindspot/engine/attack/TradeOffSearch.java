package org.blindspot.engine.attack;

/**
 * The line search over c of one (image, target) problem (section 4.1): keep the <em>largest</em> c
 * whose minimiser is classified as the target, i.e. the smallest distortion. The bracket is found
 * by multiplying or dividing c by {@code factor}, then narrowed by bisection in log space until
 * hi / lo <= 1 + tolerance or the step budget is spent.
 *
 * <p>Mutable, one per problem; not thread-safe.
 */
final class TradeOffSearch {

    private final double factor;
    private final double tolerance;
    private final int maxSteps;
    private final double minimum;
    private double c;
    private double lo = Double.NaN;
    private double hi = Double.NaN;
    private int steps;

    /**
     * @param initial   the first c
     * @param factor    bracketing factor (> 1)
     * @param tolerance relative width of the final bracket
     * @param maxSteps  most solves
     * @param minimum   below this c the search gives up (the target is out of reach)
     */
    TradeOffSearch(double initial, double factor, double tolerance, int maxSteps, double minimum) {
        this.c = initial;
        this.factor = factor;
        this.tolerance = tolerance;
        this.maxSteps = maxSteps;
        this.minimum = minimum;
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
     * @return true if another solve is wanted, at the new {@link #c()}
     */
    boolean record(boolean success) {
        steps++;
        if (success) {
            lo = Double.isNaN(lo) ? c : Math.max(lo, c);
        } else {
            hi = Double.isNaN(hi) ? c : Math.min(hi, c);
        }
        if (steps >= maxSteps) {
            return false;
        }
        if (Double.isNaN(lo)) {
            c = hi / factor;
            return c >= minimum;
        }
        if (Double.isNaN(hi)) {
            c = lo * factor;
            return true;
        }
        if (hi <= lo * (1 + tolerance)) {
            return false;
        }
        c = Math.sqrt(lo * hi);
        return true;
    }
}
