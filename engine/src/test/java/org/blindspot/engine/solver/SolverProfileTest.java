package org.blindspot.engine.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.blindspot.engine.solver.SolverProfile.Stage;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** The opt-in stage timing: off by default and then recording nothing; its totals and table when fed. */
class SolverProfileTest {

    @Test
    void offByDefaultAndSolvesRecordNothing() {
        assertFalse(SolverProfile.ENABLED, "tests run without -Dblindspot.profile=true");
        SolverProfile.reset();
        int n = 5;
        BatchedLbfgsb solver = new BatchedLbfgsb(LbfgsbOptions.DEFAULTS, 2, n, DataType.DOUBLE);
        double[] lower = new double[n];
        double[] upper = new double[n];
        java.util.Arrays.fill(upper, 1.0);
        for (int r = 0; r < 2; r++) {
            solver.start(r, new double[] {0.5, 0.5, 0.5, 0.5, 0.5}, lower, upper);
        }
        double[] centre = {-1, 0.3, 2, 0.7, 0.1};
        BatchObjective quadratic = (rows, x, grad) -> {
            double[] f = new double[rows.length];
            for (int t = 0; t < rows.length; t++) {
                for (int i = 0; i < n; i++) {
                    double d = x.getDouble(t, i) - centre[i];
                    grad.putScalar(t, i, (i + 1) * d);
                    f[t] += 0.5 * (i + 1) * d * d;
                }
            }
            return org.nd4j.linalg.factory.Nd4j.createFromArray(f);
        };
        while (solver.step(quadratic)) {
            // runs to convergence
        }
        for (Stage stage : Stage.values()) {
            assertEquals(0.0, SolverProfile.seconds(stage), stage.name());
        }
    }

    @Test
    void tableSumsTheStagesAndGivesShares() {
        SolverProfile.reset();
        SolverProfile.add(Stage.CAUCHY, 3_000_000_000L);
        SolverProfile.add(Stage.SUBSPACE, 1_000_000_000L);
        assertEquals(3.0, SolverProfile.seconds(Stage.CAUCHY), 1e-12);
        String table = SolverProfile.table();
        assertTrue(table.contains("4.00 s in all"), table);
        assertTrue(table.matches("(?s).*Cauchy point\\s+3\\.00 s\\s+75\\.0%.*"), table);
        assertTrue(table.matches("(?s).*subspace minimisation\\s+1\\.00 s\\s+25\\.0%.*"), table);
        SolverProfile.reset();
        assertEquals(0.0, SolverProfile.seconds(Stage.CAUCHY));
    }
}
