package org.blindspot.bench;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.blindspot.kernels.CauchyScan;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Question: what do the Cauchy scan's per-row sweeps cost on rows like the attack's, whose variables' cases (at a
 * bound or inside, gradient pointing up or down) alternate unpredictably from one variable to the next?
 *
 * <p>n = 784 on the box [0, 1]: a third of the variables at 0, a third at 1, the rest inside; gradient elements
 * normal (seeded). {@code accept}: the open-box acceptance with the next scan's first pass
 * ({@link CauchyScan#accept}), its trial points and gradients alternating between two sets so that every call
 * takes a step. {@code scan}: a general scan without history (the first pass, then the path through the
 * breakpoints below the quadratic's minimiser with the heap). Each call takes the next of {@code rows} rows:
 * with 1 row the data stay in cache and the branch predictor sees the same row again; with 1,024 rows (19 MiB of
 * points) the data come from memory, as in the solver at B = 1,024. The gradients come from 16 rows (in cache,
 * as the solver's widened gradient row is).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-XX:FreqInlineSize=100"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class CauchyScanBenchmark {
    private static final int N = 784;
    private static final int M = 10;
    private static final int GRADIENT_ROWS = 16;

    @Param({"1", "1024"})
    public int rows;

    private final CauchyScan kernel = new CauchyScan(N, M);
    private double[] x;
    private double[] g;
    private final double[][] trials = new double[2][];
    private final double[][] grads = new double[2][];
    private final double[] lower = new double[N];
    private final double[] upper = new double[N];
    private final double[] step = new double[N];
    private final double[] gradientChange = new double[N];
    private final double[] history = new double[M * N];
    private final double[] middle = new double[4 * M * M];
    private int call;

    /** Points, gradients and bounds as described above. */
    @Setup
    public void setUp() {
        Random random = new Random(7);
        Arrays.fill(upper, 1.0);
        x = new double[rows * N];
        g = new double[rows * N];
        for (int i = 0; i < x.length; i++) {
            x[i] = pixel(random);
            g[i] = random.nextGaussian();
        }
        for (int k = 0; k < 2; k++) {
            trials[k] = new double[rows * N];
            for (int i = 0; i < trials[k].length; i++) {
                trials[k][i] = pixel(random);
            }
            grads[k] = new double[GRADIENT_ROWS * N];
            for (int i = 0; i < grads[k].length; i++) {
                grads[k][i] = random.nextGaussian();
            }
        }
    }

    private static double pixel(Random random) {
        int kind = random.nextInt(3);
        return kind == 0 ? 0.0 : kind == 1 ? 1.0 : random.nextDouble();
    }

    /** One row's acceptance sweep (open box, with the next scan's first pass). */
    @Benchmark
    public double accept() {
        int row = call % rows;
        int set = (call / rows) & 1;
        call++;
        kernel.accept(trials[set], grads[set], (row % GRADIENT_ROWS) * N, x, g, row * N, lower, upper, 0, true,
                step, gradientChange);
        return kernel.acceptedCurvature();
    }

    /** One row's general scan, no history. */
    @Benchmark
    public double scan() {
        int row = call % rows;
        call++;
        kernel.scan(x, g, lower, upper, row * N, 0, false, history, history, 0, 0, 0, 1.0, middle, 0);
        return kernel.cauchyPoint()[row % N];
    }
}
