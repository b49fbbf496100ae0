package org.blindspot.bench;

import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Question: how long does one read of every row's correction pairs take, in the solver's layout (per row, m steps
 * then m gradient changes of n doubles each), at n = 784, m = 10?
 *
 * <p>An L-BFGS-B iteration reads its row's pairs at least once (the new pair's products with the stored ones), so
 * at B = 1,024, where the pairs (128 MB) are far out of cache, this read is a lower bound on the solver's overhead
 * per step that no arithmetic can beat; {@link SolverOverheadBenchmark} measures the overhead itself. The read is
 * the 2m dot products of each row's pairs with one vector (the vector stays in L1), with four accumulators so that
 * the additions' latency does not hide the memory's; one thread, or two taking half the rows each.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class HistoryReadBenchmark {
    private static final int N = 784;
    private static final int M = 10;

    @Param({"1024"})
    public int batchSize;

    @Param({"1", "2"})
    public int threads;

    private double[] steps;
    private double[] changes;
    private double[] vector;
    private ForkJoinPool pool;

    /** The pairs of every row, filled so that nothing is a page of zeros. */
    @Setup(Level.Trial)
    public void setUp() {
        Random random = new Random(42);
        steps = new double[batchSize * M * N];
        changes = new double[batchSize * M * N];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = random.nextDouble();
            changes[i] = random.nextDouble();
        }
        vector = new double[N];
        for (int i = 0; i < N; i++) {
            vector[i] = random.nextDouble();
        }
        pool = threads > 1 ? new ForkJoinPool(threads - 1) : null;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (pool != null) {
            pool.shutdown();
        }
    }

    /** One read of all rows' pairs: their 2m products with the vector, summed. */
    @Benchmark
    public double read() throws InterruptedException, ExecutionException {
        if (pool == null) {
            return rows(0, batchSize);
        }
        int half = batchSize / 2;
        Future<Double> other = pool.submit(() -> rows(half, batchSize));
        return rows(0, half) + other.get();
    }

    private double rows(int from, int to) {
        double total = 0;
        for (int row = from; row < to; row++) {
            for (int k = 0; k < M; k++) {
                int off = (row * M + k) * N;
                total += dot(steps, off) + dot(changes, off);
            }
        }
        return total;
    }

    private double dot(double[] pairs, int off) {
        double a = 0;
        double b = 0;
        double c = 0;
        double d = 0;
        for (int i = 0; i < N; i += 4) {
            a += pairs[off + i] * vector[i];
            b += pairs[off + i + 1] * vector[i + 1];
            c += pairs[off + i + 2] * vector[i + 2];
            d += pairs[off + i + 3] * vector[i + 3];
        }
        return (a + b) + (c + d);
    }
}
