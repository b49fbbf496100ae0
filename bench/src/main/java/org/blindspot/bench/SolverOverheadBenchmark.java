package org.blindspot.bench;

import java.nio.DoubleBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.blindspot.engine.solver.BatchObjective;
import org.blindspot.engine.solver.BatchedLbfgsb;
import org.blindspot.engine.solver.LbfgsbOptions;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Question: how long does one {@link BatchedLbfgsb#step} take apart from the objective, at n = 784, m = 10,
 * for B = 1 .. 4096?
 *
 * <p>{@code step} runs one batched evaluation on a full batch in steady state: rows that finish are restarted
 * at once (as the attack refills its slots). The objective is an ill-conditioned separable quadratic
 * {@code f_b = 0.5 sum_i w_i (x_i - c_bi)^2}, {@code w_i} from 1 to 1e4, with the box [0, 1] cutting the
 * minimiser, so rows keep iterating with active bounds; it is computed by a host loop on the CPU buffers so that
 * it costs little, and {@code objectiveOnly} measures it alone on a full batch: overhead = step - objectiveOnly.
 * (The host loop reads the CPU backend's buffers directly: this benchmark's objective, unlike the solver, is
 * CPU-only.)
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class SolverOverheadBenchmark {
    private static final int N = 784;
    private static final int M = 10;

    @Param({"1", "64", "1024", "4096"})
    public int batchSize;

    /** Threads advancing rows after each evaluation (results are the same for any value). */
    @Param({"1"})
    public int threads;

    private BatchedLbfgsb solver;
    private BatchObjective objective;
    private double[] x0;
    private double[] lower;
    private double[] upper;
    private INDArray fullX;
    private INDArray fullGrad;
    private int[] allRows;

    /** Builds the solver and the problems, starts every row and runs a few steps. */
    @Setup(Level.Trial)
    public void setUp() {
        Random random = new Random(42);
        double[] w = new double[N];
        for (int i = 0; i < N; i++) {
            w[i] = Math.pow(10, 4.0 * random.nextDouble());
        }
        double[] c = new double[batchSize * N];
        for (int i = 0; i < c.length; i++) {
            c[i] = 3 * random.nextDouble() - 1;
        }
        objective = (rows, x, grad) -> quadratic(rows, x, grad, w, c);
        x0 = new double[N];
        lower = new double[N];
        upper = new double[N];
        for (int i = 0; i < N; i++) {
            x0[i] = 0.5;
            upper[i] = 1;
        }
        solver = new BatchedLbfgsb(LbfgsbOptions.DEFAULTS.withM(M), batchSize, N, DataType.DOUBLE, threads);
        for (int r = 0; r < batchSize; r++) {
            solver.start(r, x0, lower, upper);
        }
        for (int s = 0; s < 5; s++) {
            step();
        }
        fullX = Nd4j.rand(DataType.DOUBLE, batchSize, N);
        fullGrad = Nd4j.create(DataType.DOUBLE, batchSize, N);
        allRows = new int[batchSize];
        for (int r = 0; r < batchSize; r++) {
            allRows[r] = r;
        }
    }

    /** One batched solver step (objective included), finished rows restarted first. */
    @Benchmark
    public boolean step() {
        for (int r = 0; r < batchSize; r++) {
            if (solver.status(r).isFinished()) {
                solver.start(r, x0, lower, upper);
            }
        }
        return solver.step(objective);
    }

    /** The objective alone on a full batch: the part of {@link #step} that is not solver overhead. */
    @Benchmark
    public INDArray objectiveOnly() {
        return objective.evaluate(allRows, fullX, fullGrad);
    }

    private static INDArray quadratic(int[] rows, INDArray x, INDArray grad, double[] w, double[] c) {
        DoubleBuffer xs = x.data().asNioDouble();
        DoubleBuffer gs = grad.data().asNioDouble();
        int xOff = (int) x.offset();
        int gOff = (int) grad.offset();
        double[] f = new double[rows.length];
        for (int t = 0; t < rows.length; t++) {
            int cOff = rows[t] * N;
            double sum = 0;
            for (int i = 0; i < N; i++) {
                double r = xs.get(xOff + t * N + i) - c[cOff + i];
                double g = w[i] * r;
                gs.put(gOff + t * N + i, g);
                sum += 0.5 * g * r;
            }
            f[t] = sum;
        }
        return Nd4j.createFromArray(f);
    }
}
