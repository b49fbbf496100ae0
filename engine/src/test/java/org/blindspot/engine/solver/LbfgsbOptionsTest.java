package org.blindspot.engine.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** Options keep SciPy's defaults and reject bad values with a message naming the field and the rule. */
class LbfgsbOptionsTest {
    @Test
    void defaultsAreScipys() {
        assertEquals(new LbfgsbOptions(10, 1e7, 1e-5, 15000, 15000, 20), LbfgsbOptions.DEFAULTS);
    }

    @Test
    void invalidValuesNameTheFieldAndTheRule() {
        assertMessage("m must be >= 1", () -> LbfgsbOptions.DEFAULTS.withM(0));
        assertMessage("factr must be finite and >= 0", () -> LbfgsbOptions.DEFAULTS.withFactr(-1));
        assertMessage("pgtol must be finite and >= 0", () -> LbfgsbOptions.DEFAULTS.withPgtol(Double.NaN));
        assertMessage("maxIterations must be >= 1", () -> LbfgsbOptions.DEFAULTS.withMaxIterations(0));
        assertMessage("maxEvaluations must be >= 1", () -> LbfgsbOptions.DEFAULTS.withMaxEvaluations(-3));
        assertMessage("maxLineSearch must be >= 1", () -> LbfgsbOptions.DEFAULTS.withMaxLineSearch(0));
    }

    @Test
    void startRejectsCrossedBoundsAndBadRows() {
        BatchedLbfgsb solver = new BatchedLbfgsb(LbfgsbOptions.DEFAULTS, 2, 2, DataType.DOUBLE);
        assertMessage("bounds of row 0", () -> solver.start(0, new double[2], new double[] {0, 1}, new double[] {1, 0}));
        assertMessage("row must be in [0, 2)", () -> solver.start(2, new double[2], new double[2], new double[2]));
        assertMessage("x0 must have length 2", () -> solver.start(0, new double[3], new double[2], new double[2]));
        assertEquals(RowStatus.IDLE, solver.status(1));
    }

    private static void assertMessage(String expected, Runnable action) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
