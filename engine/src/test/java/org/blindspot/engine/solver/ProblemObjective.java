package org.blindspot.engine.solver;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A batch objective over test problems, one per slot, that checks and records what the solver asks for:
 * feasibility of every point, the rows passed, and (optionally) a NaN injected into one slot.
 */
final class ProblemObjective implements BatchObjective {
    final TestProblem[] problems;
    long rowsEvaluated;
    int calls;
    int boundViolations;
    final List<int[]> rowsPerCall = new ArrayList<>();
    int nanSlot = -1;
    int nanAfter;
    private final int[] perSlot;

    ProblemObjective(TestProblem... problems) {
        this.problems = problems;
        this.perSlot = new int[problems.length];
    }

    @Override
    public INDArray evaluate(int[] rows, INDArray x, INDArray grad) {
        calls++;
        rowsPerCall.add(rows.clone());
        double[][] xs = x.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleMatrix();
        double[][] gs = new double[rows.length][];
        double[] fs = new double[rows.length];
        for (int t = 0; t < rows.length; t++) {
            TestProblem p = problems[rows[t]];
            for (int i = 0; i < p.n; i++) {
                if (!(xs[t][i] >= p.lower[i] && xs[t][i] <= p.upper[i])) {
                    boundViolations++;
                }
            }
            gs[t] = new double[p.n];
            fs[t] = p.evaluate(xs[t], gs[t]);
            perSlot[rows[t]]++;
            if (rows[t] == nanSlot && perSlot[rows[t]] > nanAfter) {
                fs[t] = Double.NaN;
            }
        }
        rowsEvaluated += rows.length;
        grad.assign(Nd4j.createFromArray(gs).castTo(grad.dataType()));
        return Nd4j.createFromArray(fs).castTo(x.dataType());
    }
}
