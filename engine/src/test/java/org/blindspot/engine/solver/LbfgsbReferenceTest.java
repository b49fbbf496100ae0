package org.blindspot.engine.solver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The solver against SciPy's L-BFGS-B on the problem set of {@code src/scripts/lbfgsb_reference.py}
 * ({@code lbfgsb/reference.json}, which records the SciPy and NumPy versions): same optimum, same active set,
 * and no more than 1.1x SciPy's evaluations, median over the set.
 */
class LbfgsbReferenceTest {
    private static JsonNode reference;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = LbfgsbReferenceTest.class.getResourceAsStream("/lbfgsb/reference.json")) {
            reference = new ObjectMapper().readTree(in);
        }
    }

    /**
     * Solves every reference problem alone in float64; returns evaluations / SciPy's evaluations per problem and
     * appends a Markdown row per problem to {@code table}.
     */
    static double[] solveAll(JsonNode problems, StringBuilder table) {
        double[] ratios = new double[problems.size()];
        for (int k = 0; k < problems.size(); k++) {
            JsonNode node = problems.get(k);
            TestProblem problem = TestProblem.fromJson(node);
            JsonNode scipy = node.get("scipy");
            ProblemObjective objective = new ProblemObjective(problem);
            BatchedLbfgsb solver = new BatchedLbfgsb(LbfgsbOptions.DEFAULTS, 1, problem.n, DataType.DOUBLE);
            solver.start(0, problem.x0, problem.lower, problem.upper);
            solver.solve(objective);
            double fRef = scipy.get("f").asDouble();
            String label = problem.name + " (" + solver.status(0) + ", f " + solver.f(0) + " vs " + fRef + ")";
            assertTrue(solver.status(0).isConverged(), label);
            assertEquals(fRef, solver.f(0), 1e-8 * (1 + Math.abs(fRef)), label);
            double[] x = solver.x(0).toDoubleVector();
            int[] active = new int[problem.n];
            for (int i = 0; i < problem.n; i++) {
                active[i] = x[i] <= problem.lower[i] ? -1 : x[i] >= problem.upper[i] ? 1 : 0;
            }
            int[] activeRef = new int[problem.n];
            for (int i = 0; i < problem.n; i++) {
                activeRef[i] = scipy.get("active").get(i).asInt();
            }
            assertArrayEquals(activeRef, active, "active set of " + label);
            assertEquals(0, objective.boundViolations, label);
            assertEquals(solver.evaluations(0), objective.rowsEvaluated, label);
            ratios[k] = solver.evaluations(0) / scipy.get("nfev").asDouble();
            table.append(String.format(Locale.ROOT, "| %s | %d | %s | %d | %d | %.2f | %.1e |%n", problem.name, problem.n,
                    solver.status(0), solver.evaluations(0), scipy.get("nfev").asInt(), ratios[k],
                    Math.abs(solver.f(0) - fRef) / (1 + Math.abs(fRef))));
        }
        return ratios;
    }

    @Test
    void matchesScipyOptimumActiveSetAndEvaluationCount() {
        StringBuilder table = new StringBuilder(
                "| problem | n | status | evaluations | SciPy's | ratio | |f - f_SciPy| / (1 + |f_SciPy|) |\n"
                        + "|---|---:|---|---:|---:|---:|---:|\n");
        double[] ratios = solveAll(reference.get("problems"), table);
        double[] sorted = ratios.clone();
        Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : 0.5 * (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]);
        System.out.printf(Locale.ROOT, "L-BFGS-B against SciPy %s (float64, m = 10, factr 1e7, pgtol 1e-5):%n%s"
                + "median evaluation ratio %.3f, worst %.3f%n", reference.get("scipy").asText(), table, median,
                sorted[sorted.length - 1]);
        assertTrue(median <= 1.1, "median evaluation ratio vs SciPy " + median + ", ratios " + Arrays.toString(ratios));
        assertTrue(sorted[sorted.length - 1] <= 1.25, "worst evaluation ratio vs SciPy " + Arrays.toString(ratios));
    }

    @Test
    void referenceFileRecordsVersions() {
        assertTrue(reference.get("scipy").asText().matches("\\d+\\.\\d+.*"));
        assertTrue(reference.get("numpy").asText().matches("\\d+\\.\\d+.*"));
        List<Integer> sizes = new ArrayList<>();
        reference.get("problems").forEach(p -> sizes.add(p.get("n").asInt()));
        assertTrue(sizes.contains(2) && sizes.contains(1000), "problem sizes " + sizes);
    }
}
