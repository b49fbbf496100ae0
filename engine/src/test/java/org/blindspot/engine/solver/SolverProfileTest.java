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
        ProblemObjective objective = new ProblemObjective(RandomProblems.batch(4, 12, 3));
        BatchedLbfgsb solver = new BatchedLbfgsb(LbfgsbOptions.DEFAULTS, 4, 12, DataType.DOUBLE);
        for (int r = 0; r < 4; r++) {
            TestProblem p = objective.problems[r];
            solver.start(r, p.x0, p.lower, p.upper);
        }
        while (solver.step(objective)) {
            assertTrue(objective.calls < 10_000, "the solves end");
        }
        assertTrue(objective.calls > 5, "the solves iterated: " + objective.calls + " calls");
        for (Stage stage : Stage.values()) {
            assertEquals(0.0, SolverProfile.seconds(stage), stage.name());
        }
        for (SolverProfile.Count count : SolverProfile.Count.values()) {
            assertEquals(0, SolverProfile.total(count), count.name());
        }
    }

    @Test
    void countsGiveMeansPerIterationAndPerScan() {
        SolverProfile.reset();
        SolverProfile.iteration(4, 100, true, 500, 30);
        SolverProfile.iteration(6, 20, true, 300, 10);
        SolverProfile.iteration(10, 0, false, 999, 999);
        assertEquals(3, SolverProfile.total(SolverProfile.Count.ITERATIONS));
        assertEquals(2, SolverProfile.total(SolverProfile.Count.SCANS));
        assertEquals(800, SolverProfile.total(SolverProfile.Count.MOVING), "an unscanned iteration adds nothing");
        String table = SolverProfile.table();
        assertTrue(table.contains("3 iterations begun, each with 6.67 correction pairs and 40.0 variables"), table);
        assertTrue(table.contains("2 Cauchy scans, each with 400.0 variables moving and 20.0 breakpoints"), table);
        SolverProfile.reset();
        assertEquals(0, SolverProfile.total(SolverProfile.Count.ITERATIONS));
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
