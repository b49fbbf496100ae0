package org.blindspot.engine.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The search over c against margins given in closed form: a success threshold at c*, the margin's excess
 * a decreasing function of c with its root there.
 */
class TradeOffSearchTest {

    private static final double TOLERANCE = 0.05;
    private static final int STEPS = 10;

    /** Runs a search from c = 1 (factor 10); returns the c of every solve. */
    private static List<Double> run(DoubleUnaryOperator excess, boolean useMargins) {
        return run(excess, useMargins ? CSearch.INTERPOLATION : CSearch.BISECTION, Double.NaN);
    }

    private static List<Double> run(DoubleUnaryOperator excess, CSearch method, double cleanExcess) {
        TradeOffSearch search = new TradeOffSearch(1.0, 10.0, TOLERANCE, STEPS, 1e-10, method, cleanExcess);
        List<Double> solved = new ArrayList<>();
        boolean more = true;
        while (more) {
            double c = search.c();
            solved.add(c);
            double e = excess.applyAsDouble(c);
            more = search.record(e > 0, e);
        }
        return solved;
    }

    /** The bracket around c* at the end: the largest success and the smallest failure. */
    private static double[] bracket(List<Double> solved, double root) {
        double lo = Double.NaN;
        double hi = Double.NaN;
        for (double c : solved) {
            if (c < root) {
                lo = Double.isNaN(lo) ? c : Math.max(lo, c);
            } else {
                hi = Double.isNaN(hi) ? c : Math.min(hi, c);
            }
        }
        return new double[] {lo, hi};
    }

    @Test
    void endsWithABracketWithinTheToleranceAroundTheRootUsingFewerSolvesThanBisection() {
        double[] roots = {0.003, 0.37, 1.7, 3.4, 13.7, 28.0, 420.0};
        int interpolated = 0;
        int bisected = 0;
        for (double root : roots) {
            // margins curved in log c (steeper on the success side), as the attack's are
            DoubleUnaryOperator excess = c -> Math.log(root / c) * (1 + 0.5 * Math.max(0, Math.log(root / c)))
                    + 0.3 * Math.log(root / c) * Math.abs(Math.log(root / c));
            List<Double> withMargins = run(excess, true);
            List<Double> withOutcomes = run(excess, false);
            for (List<Double> solved : List.of(withMargins, withOutcomes)) {
                double[] b = bracket(solved, root);
                assertTrue(b[0] < root && root <= b[1], "root " + root + " bracketed: " + solved);
                assertTrue(b[1] <= b[0] * (1 + TOLERANCE), "bracket within the tolerance for " + root + ": "
                        + solved);
            }
            interpolated += withMargins.size();
            bisected += withOutcomes.size();
        }
        assertTrue(interpolated < 0.8 * bisected, "solves with margins " + interpolated + ", bisection "
                + bisected);
    }

    @Test
    void extrapolatedBracketsEndWithinTheToleranceAroundNearAndFarRoots() {
        double[] roots = {0.003, 0.02, 0.37, 0.6, 1.3, 1.7, 2.6, 3.4, 5.5, 8.0, 13.7, 28.0, 420.0};
        for (double root : roots) {
            // a sigmoid in log c, as the attack's margins are: flat far from the root on both sides
            DoubleUnaryOperator excess = c -> 4 * Math.tanh(0.5 * Math.log(root / c)) + 0.2 * Math.log(root / c);
            List<Double> secant = run(excess, CSearch.EXTRAPOLATION, excess.applyAsDouble(1e12));
            double[] b = bracket(secant, root);
            assertTrue(b[0] < root && root <= b[1], "root " + root + " bracketed: " + secant);
            assertTrue(b[1] <= b[0] * (1 + TOLERANCE), "bracket within the tolerance for " + root + ": " + secant);
            assertTrue(secant.size() < STEPS, "within the step budget for " + root + ": " + secant);
        }
        // exactly linear in log c near the root: the third solve lands on it, the fourth closes the bracket
        double root = 4.4;
        List<Double> linear = run(c -> 1.5 * Math.log(root / c), CSearch.EXTRAPOLATION, -20);
        assertEquals(4, linear.size(), linear.toString());
        assertEquals(root, linear.get(2), 1e-9, linear.toString());
    }

    @Test
    void extrapolationStepsStayBetweenTheToleranceAndTheFactor() {
        TradeOffSearch nearRoot = new TradeOffSearch(1.0, 10.0, TOLERANCE, STEPS, 1e-10, CSearch.EXTRAPOLATION, -20);
        assertTrue(nearRoot.record(true, 1.0));
        assertEquals(TradeOffSearch.FIRST_STEP, nearRoot.c(), 1e-12, "the second solve at twice the first");
        assertTrue(nearRoot.record(true, 0.5));
        double secantRoot = 2 * Math.exp(0.5 * Math.log(2) / 0.5);
        assertEquals(secantRoot, nearRoot.c(), 1e-9, "then at the secant's root in log c");

        TradeOffSearch flatSuccess = new TradeOffSearch(1.0, 10.0, TOLERANCE, STEPS, 1e-10, CSearch.EXTRAPOLATION, -20);
        flatSuccess.record(true, 1.0);
        flatSuccess.record(true, 0.999);
        assertEquals(20.0, flatSuccess.c(), 1e-9, "a flat secant goes no farther than the factor");

        TradeOffSearch rising = new TradeOffSearch(1.0, 10.0, TOLERANCE, STEPS, 1e-10, CSearch.EXTRAPOLATION, -20);
        rising.record(true, 1.0);
        rising.record(true, 1.2);
        assertEquals(20.0, rising.c(), 1e-9, "margins that rise with c are not extrapolated: the factor");

        TradeOffSearch close = new TradeOffSearch(1.0, 10.0, TOLERANCE, STEPS, 1e-10, CSearch.EXTRAPOLATION, -20);
        close.record(true, 1.0);
        close.record(true, 1e-6);
        assertEquals(2 * (1 + 2 * TOLERANCE), close.c(), 1e-9, "at least two tolerances past the last solve");
    }

    @Test
    void aFailedSolveWhoseMarginBarelyMovedKeepsTheFactorsReach() {
        TradeOffSearch flat = new TradeOffSearch(1.0, 10.0, TOLERANCE, STEPS, 1e-10, CSearch.EXTRAPOLATION, -2.3);
        assertTrue(flat.record(false, -2.2));
        assertEquals(0.1, flat.c(), 1e-12, "near the clean image's margin: the root is far, a factor down");
        TradeOffSearch moved = new TradeOffSearch(1.0, 10.0, TOLERANCE, STEPS, 1e-10, CSearch.EXTRAPOLATION, -2.3);
        assertTrue(moved.record(false, -0.3));
        assertEquals(1 / TradeOffSearch.FIRST_STEP, moved.c(), 1e-12, "past half-way to the threshold: a short step");
        TradeOffSearch unknown = new TradeOffSearch(1.0, 10.0, TOLERANCE, STEPS, 1e-10, CSearch.EXTRAPOLATION);
        assertTrue(unknown.record(false, -2.2));
        assertEquals(1 / TradeOffSearch.FIRST_STEP, unknown.c(), 1e-12, "without the clean margin: a short step");
    }

    @Test
    void withoutUsableMarginsItIsBisectionInLogC() {
        List<Double> solved = run(c -> c < 3.4 ? 1 : -1, false);
        assertEquals(List.of(1.0, 10.0), solved.subList(0, 2));
        assertEquals(Math.sqrt(10.0), solved.get(2), 1e-12);
        assertEquals(Math.sqrt(Math.sqrt(10.0) * 10.0), solved.get(3), 1e-12);
    }

    @Test
    void everyNarrowingSolveIsStrictlyInsideTheBracketEvenWithMisleadingMargins() {
        // margins that say the root is far from where it is: outcomes flip at 5, excess says 0.2
        DoubleUnaryOperator outcome = c -> c < 5 ? 1 : -1;
        TradeOffSearch search = new TradeOffSearch(1.0, 10.0, TOLERANCE, 50, 1e-10, CSearch.INTERPOLATION);
        double lo = Double.NaN;
        double hi = Double.NaN;
        boolean more = true;
        int solves = 0;
        while (more) {
            double c = search.c();
            if (!Double.isNaN(lo) && !Double.isNaN(hi)) {
                assertTrue(c > lo && c < hi, c + " inside (" + lo + ", " + hi + ")");
            }
            boolean success = outcome.applyAsDouble(c) > 0;
            double misleading = success ? 1e-9 : -Math.log(c / 0.2);
            if (success) {
                lo = Double.isNaN(lo) ? c : Math.max(lo, c);
            } else {
                hi = Double.isNaN(hi) ? c : Math.min(hi, c);
            }
            more = search.record(success, misleading);
            solves++;
        }
        assertTrue(hi <= lo * (1 + TOLERANCE), "ended with a tight bracket: " + lo + ", " + hi);
        int bisections = (int) Math.ceil(Math.log(Math.log(10) / Math.log1p(TOLERANCE)) / Math.log(2));
        assertTrue(solves <= 2 + 3 * bisections, "at most three times bisection's narrowing solves: " + solves);
    }

    @Test
    void stopsAtTheStepBudgetAndBelowTheMinimum() {
        TradeOffSearch budget = new TradeOffSearch(1.0, 10.0, 1e-9, 3, 1e-10, CSearch.INTERPOLATION);
        assertTrue(budget.record(true, 1.0));
        assertTrue(budget.record(false, -1.0));
        assertFalse(budget.record(true, 0.5));
        assertEquals(3, budget.steps());
        assertThrows(IllegalStateException.class, () -> budget.record(true, 1.0));
        TradeOffSearch unreachable = new TradeOffSearch(1.0, 10.0, TOLERANCE, STEPS, 0.05, CSearch.INTERPOLATION);
        assertTrue(unreachable.record(false, -1.0));
        assertFalse(unreachable.record(false, -1.0), "c would fall below the minimum");
        assertTrue(Double.isNaN(unreachable.bestSuccessful()));
    }
}
