package org.blindspot.engine.solver;

import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.blindspot.engine.solver.SolverProfile.Stage;
import org.blindspot.kernels.BoxProjection;
import org.blindspot.kernels.CauchyScan;
import org.blindspot.kernels.ProjectedGradientNorm;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Batched L-BFGS-B: minimises B independent problems {@code f_b(x_b)}, {@code l_b <= x_b <= u_b},
 * {@code x_b in R^n}, in lockstep, with one batched objective call per {@link #step}.
 *
 * <p>References: R. H. Byrd, P. Lu, J. Nocedal and C. Zhu, "A limited memory algorithm for bound constrained
 * optimization", SIAM J. Sci. Comput. 16(5), 1995 (the algorithm of section 6); J. L. Morales and J. Nocedal,
 * "Remark on Algorithm 778", ACM TOMS 38(1), 2011 (subspace step); J. J. Moré and D. J. Thuente, ACM TOMS
 * 20(3), 1994 (line search). The control flow, constants and stopping tests follow L-BFGS-B 3.0 as called by
 * SciPy ({@code mainlb}, {@code lnsrlb}), so that results and evaluation counts agree with SciPy's.
 *
 * <p>An iteration of one row, as in the paper: (1) the generalised Cauchy point ({@link CauchyPoint}); (2)
 * subspace minimisation over the free variables ({@link SubspaceMinimizer}); (3) a Moré-Thuente line search
 * along {@code d = z - x}, the step capped at the box ({@link MoreThuenteLineSearch}); (4) the new correction
 * pair ({@link CompactLbfgsMatrix}). Each row is a small state machine in reverse communication, like the
 * Fortran's {@code task}: every running row always waits for one evaluation (at its starting point or at a
 * trial step of its line search); {@link #step} gathers those points, makes ONE objective call for the running
 * rows only, compacted, and advances every row until it needs its next evaluation or stops.
 *
 * <p>Departures from the Fortran, all in edge cases: a trial point is projected onto the box after
 * {@code x + stp d} is formed, so bounds hold exactly at every iterate despite rounding; a line search that ends
 * on a warning with {@code f} above {@code f_k} counts as a failure (the Fortran would accept it), so f never
 * increases; the evaluation limit is checked before every evaluation, so it is never exceeded (SciPy checks
 * {@code nfev > maxfun} once per iteration); a non-finite value or gradient stops that row (NON_FINITE) at its
 * last finite iterate. In {@link DataType#FLOAT} mode the objective sees float points, x0, bounds and trial
 * points are rounded to float, and the solver's own arithmetic stays in double.
 *
 * <p>Per-row state is fixed-shape host memory ({@code [B, n]} points, {@code [B, m, n]} history); the only ND4J
 * operations per step are those of {@link EvaluationBuffers} (two views and the read of f), whatever B. The
 * per-row work after an evaluation can run on several threads (a constructor argument), and then a step is
 * pipelined: the objective evaluates one half of the slots while the other threads advance the other half (see
 * {@link #pipelinedStep}); the solver itself must be used from one thread at a time.
 */
public final class BatchedLbfgsb {
    private static final double EPSMCH = Math.ulp(1.0);
    private static final double UNBOUNDED_STEP = 1e10;
    /** Rows a thread takes at a time in a pipelined step. */
    private static final int CHUNK = 8;

    private final LbfgsbOptions options;
    private final int batchSize;
    private final int n;
    private final DataType dataType;
    private final double[] x;
    private final double[] g;
    /**
     * Bounds: the shared box in the first block of n, then, once a row needs its own, a block of n per slot (slot r's
     * at {@code (r + 1) n}; see {@link #boundOffset}). Until then the arrays hold the shared box only.
     */
    private double[] lower;
    private double[] upper;
    /**
     * Where each row's bounds are: its own block, or the shared box, the first bounds any row was started with,
     * kept for every later row with the same bounds (an attack's rows all have [0, 1]); that block stays in cache.
     */
    private final int[] boundOffset;
    private boolean sharedBoxSet;
    /** The bounds {@link #start} is given, checked and rounded here before they are placed. */
    private final double[] stagedLower;
    private final double[] stagedUpper;
    /** Every bound of the row finite and {@code lower < upper}: the Cauchy scan's shorter first pass applies. */
    private final boolean[] openBox;
    private final double[] direction;
    private final double[] trial;
    private final double[] f;
    private final int[] iterations;
    private final int[] evaluations;
    private final int[] searchEvaluations;
    private final RowStatus[] status;
    private final boolean[] awaitingStart;
    /** Restarted with f and g at x known: the row begins its first iteration in the next step, unevaluated. */
    private final boolean[] knownStart;
    private final boolean[] constrained;
    private final boolean[] boxed;
    private final MoreThuenteLineSearch[] lineSearch;
    private final CompactLbfgsMatrix history;
    private final RowWorkspace[] workspaces;
    private final ForkJoinPool pool;
    private final int[] running;
    /** Plain stepping (one thread): the buffers of the whole batch; null when steps are pipelined. */
    private final EvaluationBuffers buffers;
    /** Pipelined stepping (threads > 1): per half of the slots, its buffers and its evaluated, not yet advanced rows. */
    private final EvaluationBuffers[] halves;
    /**
     * Pipelined stepping: the advance of the half evaluated last, running on the pool while the calling thread
     * evaluates the other half or, after a step returns, does its own work; joined by {@link #settle}.
     */
    private Advance inFlight;
    private boolean[] inFlightRow;

    /**
     * A solver for {@code batchSize} slots of {@code n} variables, all IDLE, advancing rows on the calling thread.
     *
     * @param dataType {@link DataType#FLOAT} or {@link DataType#DOUBLE}: the type of the points the objective sees
     */
    public BatchedLbfgsb(LbfgsbOptions options, int batchSize, int n, DataType dataType) {
        this(options, batchSize, n, dataType, 1);
    }

    /**
     * A solver whose per-row work after each evaluation runs on {@code threads} threads (rows are independent,
     * so results do not depend on {@code threads}).
     *
     * @param threads number of threads advancing rows, the calling thread included, {@code >= 1}; with more than
     *                one, steps are pipelined
     */
    public BatchedLbfgsb(LbfgsbOptions options, int batchSize, int n, DataType dataType, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (options == null) {
            throw new IllegalArgumentException("options must not be null");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
            throw new IllegalArgumentException("dataType must be FLOAT or DOUBLE, got " + dataType);
        }
        this.options = options;
        this.batchSize = batchSize;
        this.n = n;
        this.dataType = dataType;
        int size = batchSize * n;
        this.x = new double[size];
        this.g = new double[size];
        this.lower = new double[n];
        this.upper = new double[n];
        this.stagedLower = new double[n];
        this.stagedUpper = new double[n];
        this.boundOffset = new int[batchSize];
        this.openBox = new boolean[batchSize];
        this.direction = new double[size];
        this.trial = new double[size];
        this.f = new double[batchSize];
        this.iterations = new int[batchSize];
        this.evaluations = new int[batchSize];
        this.searchEvaluations = new int[batchSize];
        this.status = new RowStatus[batchSize];
        Arrays.fill(status, RowStatus.IDLE);
        this.awaitingStart = new boolean[batchSize];
        this.knownStart = new boolean[batchSize];
        this.constrained = new boolean[batchSize];
        this.boxed = new boolean[batchSize];
        this.lineSearch = new MoreThuenteLineSearch[batchSize];
        for (int r = 0; r < batchSize; r++) {
            lineSearch[r] = new MoreThuenteLineSearch();
        }
        this.history = new CompactLbfgsMatrix(batchSize, n, options.m());
        this.workspaces = new RowWorkspace[threads];
        for (int t = 0; t < threads; t++) {
            workspaces[t] = new RowWorkspace(n, history);
        }
        this.pool = threads > 1 ? new ForkJoinPool(threads - 1) : null;
        this.running = new int[batchSize];
        this.buffers = pool == null ? new EvaluationBuffers(batchSize, n, dataType) : null;
        this.halves = pool == null ? null : new EvaluationBuffers[] {
            new EvaluationBuffers(Math.max(1, half()), n, dataType),
            new EvaluationBuffers(Math.max(1, batchSize - half()), n, dataType)};
    }

    /** Minimises one problem; the data type is that of {@code x0}. Bounds: [n], +/-Infinity for none. */
    public static LbfgsbResult minimize(LbfgsbOptions options, BatchObjective objective, INDArray x0,
                                        INDArray lower, INDArray upper) {
        BatchedLbfgsb solver = new BatchedLbfgsb(options, 1, (int) x0.length(), x0.dataType());
        solver.start(0, x0, lower, upper);
        solver.solve(objective);
        return solver.result(0);
    }

    /**
     * (Re)starts slot {@code row} at {@code x0} (projected onto the box) with new bounds and an empty history,
     * while the other rows go on. The first evaluation happens at the next {@link #step}.
     *
     * @param x0    [n] starting point
     * @param lower [n] lower bounds, -Infinity for none
     * @param upper [n] upper bounds, +Infinity for none, {@code >= lower}
     */
    public void start(int row, INDArray x0, INDArray lower, INDArray upper) {
        start(row, vector("x0", x0), vector("lower", lower), vector("upper", upper));
    }

    /** {@link #start(int, INDArray, INDArray, INDArray)} on host arrays of length n. */
    public void start(int row, double[] x0, double[] lowerBound, double[] upperBound) {
        checkRow(row);
        settle(row);
        checkLength("x0", x0);
        checkLength("lower", lowerBound);
        checkLength("upper", upperBound);
        int off = row * n;
        boolean anyBound = false;
        boolean allBoxed = true;
        boolean open = true;
        for (int i = 0; i < n; i++) {
            double l = rounded(lowerBound[i]);
            double u = rounded(upperBound[i]);
            if (!(l <= u) || l == Double.POSITIVE_INFINITY || u == Double.NEGATIVE_INFINITY) {
                throw new IllegalArgumentException("bounds of row " + row + " must satisfy -inf <= lower <= upper"
                        + " <= inf, got lower[" + i + "] = " + lowerBound[i] + ", upper[" + i + "] = " + upperBound[i]);
            }
            if (!Double.isFinite(x0[i])) {
                throw new IllegalArgumentException("x0 of row " + row + " must be finite, got x0[" + i + "] = " + x0[i]);
            }
            stagedLower[i] = l;
            stagedUpper[i] = u;
            x[off + i] = rounded(x0[i]);
            anyBound |= Double.isFinite(l) || Double.isFinite(u);
            allBoxed &= Double.isFinite(l) && Double.isFinite(u);
            open &= l < u;
        }
        boundOffset[row] = placeBounds(row);
        constrained[row] = anyBound;
        boxed[row] = allBoxed;
        openBox[row] = allBoxed && open;
        history.reset(row);
        begin(row);
    }

    /**
     * Restarts slot {@code row} at {@code x0} (projected onto its box) with its bounds and its history kept, for an
     * objective that has changed by a quadratic term whose Hessian is {@code curvatureShift} times the identity
     * (as {@code c ||x - a||^2} does when c changes by {@code curvatureShift / 2}). Each stored pair's gradient change
     * gains {@code curvatureShift * s}, which makes it the new objective's exact gradient change over the same step,
     * so the restarted solve begins with the curvature the last one learnt. If a pair's curvature is no longer
     * positive, the history is emptied, as {@link #start} does. The row must have been started before.
     */
    public void restart(int row, double[] x0, double curvatureShift) {
        checkRow(row);
        settle(row);
        checkLength("x0", x0);
        if (status[row] == RowStatus.IDLE) {
            throw new IllegalStateException("row " + row + " was never started; start it with its bounds first");
        }
        if (!Double.isFinite(curvatureShift)) {
            throw new IllegalArgumentException("curvatureShift must be finite, got " + curvatureShift);
        }
        int off = row * n;
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(x0[i])) {
                throw new IllegalArgumentException("x0 of row " + row + " must be finite, got x0[" + i + "] = " + x0[i]);
            }
            x[off + i] = rounded(x0[i]);
        }
        if (!history.shiftCurvature(row, curvatureShift, workspaces[0].matrix)) {
            history.reset(row);
        }
        begin(row);
    }

    /**
     * {@link #restart(int, double[], double)} where f and its gradient at {@code x0} under the new objective are
     * already known (in the attack: the value and gradient of an earlier evaluation at that point with the change of
     * the penalty term added): x0 is not evaluated; the next step begins the row's first iteration, beside the
     * advance of the evaluated rows, and the row's first evaluation is that iteration's first trial point. If
     * {@code x0} lies outside the row's box, or {@code f0} or {@code g0} is not finite, {@code x0} is evaluated as a
     * plain restart does.
     *
     * @param f0 f at {@code x0}
     * @param g0 [n] the gradient at {@code x0}
     */
    public void restart(int row, double[] x0, double curvatureShift, double f0, double[] g0) {
        checkLength("g0", g0);
        restart(row, x0, curvatureShift);
        int off = row * n;
        for (int i = 0; i < n; i++) {
            if (x[off + i] != rounded(x0[i])) {
                return;
            }
        }
        if (!Double.isFinite(f0) || !allFinite(g0, 0)) {
            return;
        }
        awaitingStart[row] = false;
        knownStart[row] = true;
        f[row] = f0;
        System.arraycopy(g0, 0, g, off, n);
    }

    /** A row restarted with f and g known: its first iteration, as after the evaluation of its starting point. */
    private void beginKnown(int row, RowWorkspace w) {
        knownStart[row] = false;
        if (projectedGradientNorm(row) <= options.pgtol()) {
            status[row] = RowStatus.CONVERGED_PGTOL;
        } else {
            beginIteration(row, w, false);
        }
    }

    /** The row's x projected and made its first trial point, counters cleared, waiting for its first evaluation. */
    private void begin(int row) {
        int off = row * n;
        BoxProjection.project(x, off, lower, upper, boundOffset[row], n);
        System.arraycopy(x, off, trial, off, n);
        iterations[row] = 0;
        evaluations[row] = 0;
        searchEvaluations[row] = 0;
        f[row] = Double.NaN;
        awaitingStart[row] = true;
        knownStart[row] = false;
        status[row] = RowStatus.RUNNING;
    }

    /**
     * The offset of the staged bounds: the shared box if they equal it, else the row's own block, where they are
     * copied (the blocks are allocated when the first row needs one, after any advance in flight has ended).
     */
    private int placeBounds(int row) {
        if (!sharedBoxSet) {
            System.arraycopy(stagedLower, 0, lower, 0, n);
            System.arraycopy(stagedUpper, 0, upper, 0, n);
            sharedBoxSet = true;
            return 0;
        }
        if (Arrays.equals(stagedLower, 0, n, lower, 0, n) && Arrays.equals(stagedUpper, 0, n, upper, 0, n)) {
            return 0;
        }
        if (lower.length == n) {
            settle();
            lower = Arrays.copyOf(lower, (batchSize + 1) * n);
            upper = Arrays.copyOf(upper, (batchSize + 1) * n);
        }
        int off = (row + 1) * n;
        System.arraycopy(stagedLower, 0, lower, off, n);
        System.arraycopy(stagedUpper, 0, upper, off, n);
        return off;
    }

    /**
     * One batched evaluation: the points of all running rows go to {@code objective} in one call (rows in
     * ascending order, compacted), then every row advances to its next evaluation or stops.
     *
     * @return whether any row is still running
     */
    public boolean step(BatchObjective objective) {
        if (pool != null) {
            return pipelinedStep(objective);
        }
        int[] rows = runningRows(0, batchSize, false);
        int[] known = runningRows(0, batchSize, true);
        if (rows.length == 0 && known.length == 0) {
            return false;
        }
        if (rows.length > 0) {
            double[] fs = buffers.evaluate(objective, rows, trial);
            advanceRows(objective, rows, fs, buffers, 0, rows.length, workspaces[0]);
        }
        for (int row : known) {
            beginKnown(row, workspaces[0]);
        }
        boolean any = false;
        for (int r = 0; r < batchSize; r++) {
            any |= status[r] == RowStatus.RUNNING;
        }
        return any;
    }

    /**
     * With several threads, a step overlaps the model with the solver: the slots form two halves; while the
     * calling thread evaluates one half's points, the pool advances the other half's rows with the values of their
     * previous evaluation, then the halves swap. Each row still alternates evaluation and advance exactly as in a
     * plain step, so its iterates are the same; only the second half's rows are one half-step behind (a row of it
     * that ends is seen as ended at the next step). The second half's advance starts on the pool before the step
     * returns and runs while the caller works between steps; until it is joined, {@link #status} reports its rows
     * as running (as they were when the step returned) and the other accessors wait for it, so what the caller
     * sees does not depend on timing.
     */
    private boolean pipelinedStep(BatchObjective objective) {
        for (int g = 0; g < 2; g++) {
            int from = g == 0 ? 0 : half();
            int to = g == 0 ? half() : batchSize;
            checkNotInFlight(from, to);
            int[] rows = runningRows(from, to, false);
            int[] known = runningRows(from, to, true);
            double[] values = rows.length > 0 ? halves[g].evaluate(objective, rows, trial) : null;
            settle();
            if (rows.length > 0 || known.length > 0) {
                launch(new Advance(objective, rows, values, halves[g], known));
            }
        }
        if (inFlight != null) {
            return true;
        }
        for (int r = 0; r < batchSize; r++) {
            if (status[r] == RowStatus.RUNNING) {
                return true;
            }
        }
        return false;
    }

    /**
     * Advancing a list of rows in chunks: the pool's threads start at once; the calling thread joins in when it
     * comes to {@link #finish} (after its evaluation), so no core idles while rows remain.
     */
    private final class Advance {
        private final BatchObjective objective;
        private final int[] rows;
        private final double[] fs;
        private final EvaluationBuffers evaluated;
        /** Rows restarted with f and g known, which begin their first iteration without an evaluation. */
        private final int[] known;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger nextKnown = new AtomicInteger();
        private final List<Future<Void>> workers = new ArrayList<>();

        Advance(BatchObjective objective, int[] rows, double[] fs, EvaluationBuffers evaluated, int[] known) {
            this.objective = objective;
            this.rows = rows;
            this.fs = fs;
            this.evaluated = evaluated;
            this.known = known;
            for (int t = 1; t < workspaces.length; t++) {
                RowWorkspace w = workspaces[t];
                workers.add(pool.submit(() -> {
                    work(w);
                    return null;
                }));
            }
        }

        private void work(RowWorkspace w) {
            for (int from = next.getAndAdd(CHUNK); from < rows.length; from = next.getAndAdd(CHUNK)) {
                advanceRows(objective, rows, fs, evaluated, from, Math.min(rows.length, from + CHUNK), w);
            }
            for (int t = nextKnown.getAndIncrement(); t < known.length; t = nextKnown.getAndIncrement()) {
                beginKnown(known[t], w);
            }
        }

        void finish() {
            work(workspaces[0]);
            join(workers);
        }
    }

    /** The first slot of the second half. */
    private int half() {
        return batchSize / 2;
    }

    /** Running rows in [from, to) that wait for an evaluation ({@code known} false) or begin unevaluated (true). */
    private int[] runningRows(int from, int to, boolean known) {
        int k = 0;
        for (int r = from; r < to; r++) {
            running[k] = r;
            k += status[r] == RowStatus.RUNNING && knownStart[r] == known ? 1 : 0;
        }
        return Arrays.copyOf(running, k);
    }

    /** Fails if the advance in flight holds rows of [from, to) (a half is evaluated only after its advance). */
    private void checkNotInFlight(int from, int to) {
        if (inFlight != null) {
            for (int r = from; r < to; r++) {
                if (inFlightRow[r]) {
                    throw new IllegalStateException("rows of this half are still waiting for their advance");
                }
            }
        }
    }

    private static void join(List<Future<Void>> futures) {
        for (Future<Void> done : futures) {
            try {
                done.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while advancing rows", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
            }
        }
    }

    /** Steps until no row is running. */
    public void solve(BatchObjective objective) {
        while (step(objective)) {
            continue;
        }
    }

    /** Makes {@code advance} the one in flight (its workers have started on the pool). */
    private void launch(Advance advance) {
        if (inFlightRow == null) {
            inFlightRow = new boolean[batchSize];
        }
        for (int row : advance.rows) {
            inFlightRow[row] = true;
        }
        for (int row : advance.known) {
            inFlightRow[row] = true;
        }
        inFlight = advance;
    }

    /** Joins the advance in flight, if any (the calling thread works on its remaining rows). */
    private void settle() {
        if (inFlight == null) {
            return;
        }
        Advance advance = inFlight;
        inFlight = null;
        advance.finish();
        Arrays.fill(inFlightRow, false);
    }

    /** Waits for {@code row}'s advance if it is in flight. */
    private void settle(int row) {
        if (inFlight != null && inFlightRow[row]) {
            settle();
        }
    }

    /** The state of slot {@code row} (RUNNING while its advance of the last step is still in flight). */
    public RowStatus status(int row) {
        checkRow(row);
        return inFlight != null && inFlightRow[row] ? RowStatus.RUNNING : status[row];
    }

    /** [n] the last accepted iterate of {@code row} (x0 projected before the first iteration), a copy. */
    public INDArray x(int row) {
        checkRow(row);
        settle(row);
        return Nd4j.create(Arrays.copyOfRange(x, row * n, row * n + n), new long[] {n}, DataType.DOUBLE)
                .castTo(dataType);
    }

    /** Copies the last accepted iterate of {@code row} (as {@link #x(int)}) into {@code out[0, n)}, on the host. */
    public void copyX(int row, double[] out) {
        checkRow(row);
        settle(row);
        checkLength("out", out);
        System.arraycopy(x, row * n, out, 0, n);
    }

    /** Copies the gradient at {@link #x(int)} into {@code out[0, n)}, on the host (undefined before the first evaluation). */
    public void copyGradient(int row, double[] out) {
        checkRow(row);
        settle(row);
        checkLength("out", out);
        System.arraycopy(g, row * n, out, 0, n);
    }

    /** f at {@link #x(int)}; NaN before the first evaluation. */
    public double f(int row) {
        checkRow(row);
        settle(row);
        return f[row];
    }

    /** Number of accepted iterations of {@code row}. */
    public int iterations(int row) {
        checkRow(row);
        settle(row);
        return iterations[row];
    }

    /** Number of evaluations of f and g of {@code row} since its last start. */
    public int evaluations(int row) {
        checkRow(row);
        settle(row);
        return evaluations[row];
    }

    /** The result of {@code row} so far. */
    public LbfgsbResult result(int row) {
        return new LbfgsbResult(x(row), f(row), status(row), iterations(row), evaluations(row));
    }

    /**
     * Advances rows {@code rows[from, to)} with workspace w: f of evaluated row t is {@code fs[t]} plus the
     * objective's host term, its gradient that of {@code evaluated}'s row t plus the host term's, formed here, one
     * row at a time, while the row's data is in this thread's cache.
     */
    private void advanceRows(BatchObjective objective, int[] rows, double[] fs, EvaluationBuffers evaluated,
                             int from, int to, RowWorkspace w) {
        double[] grad = w.gradient;
        boolean hostTerm = objective.hasHostTerm();
        for (int t = from; t < to; t++) {
            int row = rows[t];
            evaluated.rowGradient(t, grad);
            double value = fs[t];
            if (hostTerm) {
                value += objective.hostTerm(row, trial, row * n, grad, 0);
            }
            advance(row, value, grad, 0, w);
        }
    }

    /** Advances {@code row} with f and g at its pending point (g at {@code grads[goff, goff + n)}). */
    private void advance(int row, double value, double[] grads, int goff, RowWorkspace w) {
        evaluations[row]++;
        if (awaitingStart[row]) {
            if (!Double.isFinite(value) || !allFinite(grads, goff)) {
                status[row] = RowStatus.NON_FINITE;
                return;
            }
            awaitingStart[row] = false;
            f[row] = value;
            System.arraycopy(grads, goff, g, row * n, n);
            if (projectedGradientNorm(row) <= options.pgtol()) {
                status[row] = RowStatus.CONVERGED_PGTOL;
            } else {
                beginIteration(row, w, false);
            }
            return;
        }
        long time = SolverProfile.start();
        double slope = slopeAlongDirection(row, grads, goff);
        SolverProfile.lap(Stage.SLOPE, time);
        if (!Double.isFinite(value) || Double.isNaN(slope)) {
            status[row] = RowStatus.NON_FINITE;
            return;
        }
        searchEvaluations[row]++;
        MoreThuenteLineSearch search = lineSearch[row];
        MoreThuenteLineSearch.Task task = search.iterate(value, slope);
        if (task == MoreThuenteLineSearch.Task.CONVERGED
                || (task == MoreThuenteLineSearch.Task.WARNING && value <= f[row])) {
            accept(row, value, grads, goff, w);
        } else if (task == MoreThuenteLineSearch.Task.EVALUATE && searchEvaluations[row] < options.maxLineSearch()) {
            if (!stopOnEvaluationLimit(row)) {
                setTrial(row, search.step());
            }
        } else {
            restartOrFail(row, w);
        }
    }

    /** Whether every entry of the gradient at {@code grads[goff, goff + n)} is finite. */
    private boolean allFinite(double[] grads, int goff) {
        double check = 0;
        for (int i = goff; i < goff + n; i++) {
            check += grads[i] * 0.0;
        }
        return !Double.isNaN(check);
    }

    /**
     * {@code g^T d} of the row's direction with the gradient at {@code grads[goff, goff + n)}, NaN if an entry of
     * that gradient is not finite (or the product overflows both ways). (A method of its own, so that the JIT
     * compiles this loop once and {@link #advance}, whose rare branches make it recompile as rows reach them, stays
     * small.)
     */
    private double slopeAlongDirection(int row, double[] grads, int goff) {
        double slope = 0;
        double check = 0;
        int doff = row * n;
        for (int i = 0; i < n; i++) {
            double gi = grads[goff + i];
            slope += gi * direction[doff + i];
            check += gi * 0.0;
        }
        return slope + check;
    }

    /**
     * The line search ended: the trial becomes the iterate; stopping tests; new pair; next iteration. For a row in an
     * open box, the sweep that accepts the point also does the next Cauchy scan's first pass
     * ({@link CauchyScan#accept}), while the new point is in cache.
     */
    private void accept(int row, double value, double[] grads, int goff, RowWorkspace w) {
        long time = SolverProfile.start();
        boolean prepared = openBox[row];
        CauchyScan scan = w.cauchyPoint.kernel();
        scan.accept(trial, grads, goff, x, g, row * n, lower, upper, boundOffset[row], prepared, w.step,
                w.gradientChange);
        double sy = scan.acceptedCurvature();
        double projectedNorm = scan.acceptedProjectedGradientNorm();
        time = SolverProfile.lap(Stage.ACCEPT, time);
        double fOld = f[row];
        f[row] = value;
        iterations[row]++;
        if (projectedNorm <= options.pgtol()) {
            status[row] = RowStatus.CONVERGED_PGTOL;
        } else if (fOld - value <= options.factr() * EPSMCH * Math.max(Math.max(Math.abs(fOld), Math.abs(value)), 1)) {
            status[row] = RowStatus.CONVERGED_FACTR;
        } else if (iterations[row] >= options.maxIterations()) {
            status[row] = RowStatus.ITERATION_LIMIT;
        } else {
            MoreThuenteLineSearch search = lineSearch[row];
            if (sy > EPSMCH * -search.initialSlope() * search.step() && !history.update(row, w.step, 0, w.gradientChange, 0, w.matrix)) {
                history.reset(row);
            }
            SolverProfile.lap(Stage.NEW_PAIR, time);
            beginIteration(row, w, prepared);
        }
    }

    /**
     * Stages 1-3 of an iteration at the row's iterate: Cauchy point, subspace minimisation, start of the line
     * search. On a singular subspace system or a direction that is not descent, the memory is refreshed and the
     * iteration restarted from steepest descent (the Fortran's {@code goto 222}); without memory, the row fails.
     *
     * @param prepared whether {@link #accept} did the first Cauchy scan's first pass (a restart does it again)
     */
    private void beginIteration(int row, RowWorkspace w, boolean prepared) {
        int off = row * n;
        int boff = boundOffset[row];
        double[] z = w.z;
        while (true) {
            if (stopOnEvaluationLimit(row)) {
                return;
            }
            long time = SolverProfile.start();
            CauchyScan cauchy = w.cauchyPoint.compute(row, x, g, lower, upper, boff, prepared, !constrained[row],
                    history);
            prepared = false;
            time = SolverProfile.lap(Stage.CAUCHY, time);
            int changes = history.syncFreeSet(row, cauchy.variableStates(), w.matrix);
            time = SolverProfile.lap(Stage.FREE_SET, time);
            if (SolverProfile.ENABLED) {
                SolverProfile.iteration(history.col(row), changes, w.cauchyPoint.scanned(), cauchy.movingVariables(),
                        cauchy.breakpointsPassed());
            }
            boolean solved = w.subspace.minimize(row, x, g, lower, upper, boff, cauchy, history, w.matrix, z);
            time = SolverProfile.lap(Stage.SUBSPACE, time);
            double slope = 0;
            double norm2 = 0;
            double boxStep = UNBOUNDED_STEP;
            for (int i = 0; i < n; i++) {
                double xi = x[off + i];
                double li = lower[boff + i];
                double ui = upper[boff + i];
                double zi = rounded(clip(z[i], li, ui));
                z[i] = zi;
                double di = zi - xi;
                direction[off + i] = di;
                slope += g[off + i] * di;
                norm2 += di * di;
                // distance to the bound in the way over the speed, without a branch on the sign of d
                // (the bound behind gives a negative ratio, d = 0 an infinite or NaN one, never taken)
                double limit = Math.max((li - xi) / di, (ui - xi) / di);
                boxStep = limit < boxStep ? limit : boxStep;
            }
            // lnsrlb's stpmx: 1e10 unconstrained, 1 at the first iteration, else the nearest bound in the way
            // the first iteration's rules apply to a steepest-descent start, not to a restart with its history kept
            boolean first = iterations[row] == 0 && history.col(row) == 0;
            double maxStep = !constrained[row] ? UNBOUNDED_STEP : first ? 1.0 : boxStep;
            double initial = first && !boxed[row] ? Math.min(1 / Math.sqrt(norm2), maxStep) : 1.0;
            SolverProfile.lap(Stage.DIRECTION, time);
            if (solved && lineSearch[row].start(f[row], slope, initial, maxStep) == MoreThuenteLineSearch.Task.EVALUATE) {
                searchEvaluations[row] = 0;
                if (initial == 1.0) {
                    System.arraycopy(z, 0, trial, off, n);
                } else {
                    setTrial(row, initial);
                }
                return;
            }
            if (history.col(row) == 0) {
                status[row] = RowStatus.LINE_SEARCH_FAILED;
                return;
            }
            history.reset(row);
        }
    }

    /** A failed line search: refresh the memory and restart the iteration, or fail if it was already empty. */
    private void restartOrFail(int row, RowWorkspace w) {
        if (history.col(row) == 0) {
            status[row] = RowStatus.LINE_SEARCH_FAILED;
            return;
        }
        history.reset(row);
        beginIteration(row, w, false);
    }

    private boolean stopOnEvaluationLimit(int row) {
        if (evaluations[row] >= options.maxEvaluations()) {
            status[row] = RowStatus.EVALUATION_LIMIT;
            return true;
        }
        return false;
    }

    /** The trial point {@code P(x + stp d)}, rounded to the solver's data type. */
    private void setTrial(int row, double stp) {
        int off = row * n;
        int b = boundOffset[row] - off;
        for (int i = off; i < off + n; i++) {
            trial[i] = rounded(clip(x[i] + stp * direction[i], lower[b + i], upper[b + i]));
        }
    }

    private double projectedGradientNorm(int row) {
        return ProjectedGradientNorm.norm(x, g, row * n, lower, upper, boundOffset[row], n);
    }

    /** {@code min(max(v, l), u)}. */
    private static double clip(double v, double l, double u) {
        return Math.min(Math.max(v, l), u);
    }

    /**
     * v rounded to the data type. The bounds are already rounded, so {@code rounded(clip(v, l, u))} stays in the
     * box and equals {@code clip(rounded(v), l, u)}; that order is also about twice as fast in the hot loops (the
     * float conversion is off the chain of dependent min/max operations).
     */
    private double rounded(double v) {
        return dataType == DataType.FLOAT ? (float) v : v;
    }

    private double[] vector(String name, INDArray a) {
        if (a == null || a.length() != n) {
            throw new IllegalArgumentException(name + " must have " + n + " elements, got "
                    + (a == null ? "null" : Arrays.toString(a.shape())));
        }
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    private void checkLength(String name, double[] a) {
        if (a == null || a.length != n) {
            throw new IllegalArgumentException(name + " must have length " + n + ", got "
                    + (a == null ? "null" : a.length));
        }
    }

    private void checkRow(int row) {
        if (row < 0 || row >= batchSize) {
            throw new IllegalArgumentException("row must be in [0, " + batchSize + "), got " + row);
        }
    }
}
