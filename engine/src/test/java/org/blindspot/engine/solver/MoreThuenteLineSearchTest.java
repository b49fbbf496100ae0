package org.blindspot.engine.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/** The line search ends at steps satisfying the strong Wolfe conditions, on closed-form functions. */
class MoreThuenteLineSearchTest {
    /** Runs a search on phi with derivative dphi; returns {step, evaluations}. */
    private static double[] search(DoubleUnaryOperator phi, DoubleUnaryOperator dphi, double initial, double max) {
        MoreThuenteLineSearch search = new MoreThuenteLineSearch();
        assertEquals(MoreThuenteLineSearch.Task.EVALUATE, search.start(phi.applyAsDouble(0), dphi.applyAsDouble(0),
                initial, max));
        for (int k = 1; k <= 30; k++) {
            double t = search.step();
            MoreThuenteLineSearch.Task task = search.iterate(phi.applyAsDouble(t), dphi.applyAsDouble(t));
            if (task != MoreThuenteLineSearch.Task.EVALUATE) {
                assertEquals(MoreThuenteLineSearch.Task.CONVERGED, task);
                return new double[] {t, k};
            }
        }
        throw new AssertionError("no convergence in 30 evaluations");
    }

    private static void assertStrongWolfe(DoubleUnaryOperator phi, DoubleUnaryOperator dphi, double t) {
        double f0 = phi.applyAsDouble(0);
        double g0 = dphi.applyAsDouble(0);
        assertTrue(phi.applyAsDouble(t) <= f0 + MoreThuenteLineSearch.FTOL * t * g0, "sufficient decrease at " + t);
        assertTrue(Math.abs(dphi.applyAsDouble(t)) <= MoreThuenteLineSearch.GTOL * -g0, "curvature at " + t);
    }

    @Test
    void quadraticAcceptsTheUnitStepOfANewtonDirection() {
        DoubleUnaryOperator phi = t -> (t - 1) * (t - 1);
        DoubleUnaryOperator dphi = t -> 2 * (t - 1);
        double[] result = search(phi, dphi, 1.0, 1e10);
        assertEquals(1.0, result[0]);
        assertEquals(1, result[1]);
    }

    @Test
    void shortAndLongInitialStepsBothEndInTheWolfeSet() {
        DoubleUnaryOperator phi = t -> -t / (t * t + 2);
        DoubleUnaryOperator dphi = t -> (t * t - 2) / ((t * t + 2) * (t * t + 2));
        for (double initial : new double[] {1e-3, 0.1, 1, 10, 1000}) {
            double t = search(phi, dphi, initial, 1e10)[0];
            assertStrongWolfe(phi, dphi, t);
        }
    }

    @Test
    void stepIsCappedAtTheBox() {
        DoubleUnaryOperator phi = t -> -t;
        DoubleUnaryOperator dphi = t -> -1;
        MoreThuenteLineSearch search = new MoreThuenteLineSearch();
        search.start(0, -1, 0.5, 0.5);
        assertEquals(MoreThuenteLineSearch.Task.WARNING, search.iterate(phi.applyAsDouble(0.5), dphi.applyAsDouble(0.5)));
        assertEquals(0.5, search.step());
        assertEquals(MoreThuenteLineSearch.Task.ERROR, new MoreThuenteLineSearch().start(0, 1, 1, 10));
    }
}
