package org.blindspot.engine.attack;

import java.nio.FloatBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.blindspot.engine.model.Classifier;
import org.blindspot.engine.model.Predictions;
import org.blindspot.engine.solver.BatchedLbfgsb;
import org.blindspot.engine.solver.LbfgsbOptions;
import org.blindspot.engine.solver.RowStatus;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The box-constrained L-BFGS attack of Szegedy et al. (2014), section 4.1, with continuous batching.
 *
 * <p>Every (example, target) pair is a problem with its own search over c ({@link TradeOffSearch}).
 * The solver's B slots hold B problems; each call of {@link BatchedLbfgsb#step} makes one batched
 * loss-and-gradient call for the slots still running. When a slot's solve ends, its minimiser is
 * checked by a float32 forward pass (classified as the target with logit margin > the option's
 * margin); the problem then either restarts in the same slot at its next c, warm-started from that
 * minimiser, or ends and the slot takes the next problem from the queue at once. An example ends
 * when all its problems have; its record holds the smallest successful distortion, or the best
 * failed attempt.
 *
 * <p>Departures from the paper: each solve after the first starts from an earlier minimiser of the same
 * problem rather than from x (its best success so far, or with {@link CSearch#BISECTION} the last one),
 * which cuts the evaluations per solve several-fold; with the squared penalty and {@link AttackOptions#keepHistory()},
 * that solve also keeps the last one's correction pairs, each {@code y} shifted by {@code 2 (c' - c) s} so that they
 * are the new objective's exact gradient changes ({@link BatchedLbfgsb#restart}), which saves about a sixth of the
 * evaluations for the same distortion; the bracket on c is found by extrapolating the solves' margins and
 * narrowed by interpolating them rather than by factors and bisection ({@link CSearch}), which cuts the solves
 * by about two fifths;
 * with {@link AttackOptions#adaptiveC()} the first c of a problem is the median c found for earlier
 * problems, not a fixed constant.
 */
public final class BoxConstrainedLbfgsAttack {

    private static final double MINIMUM_C = 1e-8;
    private static final int MEDIAN_WINDOW = 101;
    /** Images per forward pass when the clean margins are computed. */
    private static final int CLEAN_BATCH = 1024;

    private final Classifier solveModel;
    private final Classifier checkModel;
    private final AttackOptions options;
    private final double boxLower;
    private final double boxUpper;
    private final double[] recentC = new double[MEDIAN_WINDOW];
    private int recentCount;
    private long evaluations;
    private double modelSeconds;
    private long checkNanos;

    /**
     * @param model the classifier; it is cast to the options' precision for the solves and to
     *              float32 for the success checks
     */
    public BoxConstrainedLbfgsAttack(Classifier model, AttackOptions options) {
        this(model, options, 0, 1);
    }

    /**
     * An attack whose adversarial images stay in the box [lower, upper]^m (the model's input range) instead of
     * [0, 1]^m; the inputs must lie in it.
     */
    public BoxConstrainedLbfgsAttack(Classifier model, AttackOptions options, double lower, double upper) {
        if (!(Double.isFinite(lower) && Double.isFinite(upper) && lower < upper)) {
            throw new IllegalArgumentException("box: must be finite with lower < upper, got [" + lower + ", "
                    + upper + "]");
        }
        this.solveModel = model.castTo(options.precision());
        this.checkModel = model.castTo(DataType.FLOAT);
        this.options = options;
        this.boxLower = lower;
        this.boxUpper = upper;
    }

    /**
     * Seconds spent in the model during {@link #run}: its batched loss-and-gradient calls for the solver and the
     * float32 forward passes that check each solve's minimiser.
     */
    public double modelSeconds() {
        return modelSeconds;
    }

    /** Loss-and-gradient evaluations (rows) made so far by {@link #run}. */
    public long evaluations() {
        return evaluations;
    }

    /**
     * Attacks every input; each record goes to the listener as soon as it is final.
     *
     * @return the records, in input order
     * @throws CancellationException when {@link AttackListener#cancelled()} answers true (checked
     *         once per solver step)
     */
    public List<AttackRecord> run(List<AttackInput> inputs, AttackListener listener) {
        int m = solveModel.inputSize();
        List<Example> examples = new ArrayList<>();
        Deque<Problem> queue = new ArrayDeque<>();
        AttackRecord[] records = new AttackRecord[inputs.size()];
        for (int e = 0; e < inputs.size(); e++) {
            AttackInput input = inputs.get(e);
            if (input.image().length != m) {
                throw new IllegalArgumentException("image " + input.index() + ": " + input.image().length
                        + " pixels, the model takes " + m);
            }
            for (int i = 0; i < m; i++) {
                float v = input.image()[i];
                if (!(v >= boxLower && v <= boxUpper)) {
                    throw new IllegalArgumentException("image " + input.index() + ", pixel " + i + " = " + v
                            + " is outside the box [" + boxLower + ", " + boxUpper + "]");
                }
            }
            Example example = new Example(e, input);
            examples.add(example);
            for (int target : input.targets()) {
                Problem problem = new Problem(example, target);
                example.problems.add(problem);
                queue.add(problem);
            }
            if (input.targets().length == 0) {
                records[e] = example.record(checkModel);
                listener.finished(records[e]);
            }
        }
        if (options.cSearch() == CSearch.EXTRAPOLATION) {
            cleanExcesses(new ArrayList<>(queue));
        }
        Pool pool = new Pool(Math.max(1, Math.min(options.batch(), queue.size())), m, queue, records, listener);
        while (pool.fill()) {
            if (listener.cancelled()) {
                throw new CancellationException("attack cancelled");
            }
            pool.step();
        }
        return Arrays.asList(records);
    }

    /**
     * The solver's slots during one {@link #run}: which problem each holds, the solver and the objective. The
     * loop's stages are short methods, so that the JIT compiles each on its own early in a run.
     */
    private final class Pool {
        private final int slots;
        private final Deque<Problem> queue;
        private final AttackRecord[] records;
        private final AttackListener listener;
        private final BatchedLbfgsb solver;
        private final PenaltyObjective objective;
        private final Problem[] inSlot;
        private final double[] lower;
        private final double[] upper;
        private final double[] point;
        /** The gradient a restart starts with. */
        private final double[] startGradient;
        /**
         * The success checks' input, allocated once: a check writes its minimisers into the first rows and passes
         * a view (creating a new array from the rows took about as long as the forward pass).
         */
        private final INDArray checkPoints;

        Pool(int slots, int m, Deque<Problem> queue, AttackRecord[] records, AttackListener listener) {
            this.slots = slots;
            this.queue = queue;
            this.records = records;
            this.listener = listener;
            LbfgsbOptions solverOptions = LbfgsbOptions.DEFAULTS.withM(options.memory())
                    .withMaxIterations(options.maxIterations())
                    .withMaxEvaluations(Math.max(20, 2 * options.maxIterations()))
                    .withFactr(options.ftol() / Math.ulp(1.0));
            this.solver = new BatchedLbfgsb(solverOptions, slots, m, options.precision(), options.threads());
            this.objective = new PenaltyObjective(solveModel, options.penalty(), slots);
            this.inSlot = new Problem[slots];
            this.lower = new double[m];
            this.upper = new double[m];
            Arrays.fill(lower, boxLower);
            Arrays.fill(upper, boxUpper);
            this.point = new double[m];
            this.startGradient = new double[m];
            this.checkPoints = Nd4j.create(DataType.FLOAT, slots, m);
        }

        /** Puts queued problems into empty slots; false when no slot is running any more. */
        boolean fill() {
            for (int slot = 0; slot < slots; slot++) {
                if (inSlot[slot] == null && !queue.isEmpty()) {
                    Problem problem = queue.poll();
                    problem.search = new TradeOffSearch(firstC(), options.searchFactor(), options.cTolerance(),
                            options.searchSteps(), MINIMUM_C, options.cSearch(), problem.cleanExcess);
                    inSlot[slot] = problem;
                    objective.assign(slot, problem.example.input.image(), problem.target, problem.search.c());
                    solver.start(slot, toDoubles(problem.example.input.image()), lower, upper);
                }
            }
            for (int slot = 0; slot < slots; slot++) {
                if (inSlot[slot] != null && solver.status(slot) == RowStatus.RUNNING) {
                    return true;
                }
            }
            return false;
        }

        /** One solver step, then the solves that ended are checked and their problems moved on. */
        void step() {
            solver.step(objective);
            evaluations = objective.evaluations();
            modelSeconds = objective.modelSeconds() + checkNanos / 1e9;
            listener.evaluated(evaluations);
            int[] ended = endedSlots();
            if (ended.length == 0) {
                return;
            }
            float[][] minimisers = new float[ended.length][];
            int[] targets = new int[ended.length];
            for (int i = 0; i < ended.length; i++) {
                solver.copyX(ended[i], point);
                minimisers[i] = toFloats(point);
                targets[i] = inSlot[ended[i]].target;
            }
            double[] margins = checkedMargins(minimisers, targets);
            for (int i = 0; i < ended.length; i++) {
                solveEnded(ended[i], minimisers[i], margins[i]);
            }
        }

        /**
         * Where the problem's next solve starts: when the margins steer the search, from its best successful
         * minimiser so far (a continuation from the success side, so that the margins the search interpolates
         * come from comparable solves; inexact solves started across the threshold keep the margin of their
         * start), else from the solve that just ended, as {@link CSearch#BISECTION} always does.
         */
        private float[] warmStart(Problem problem, float[] minimiser) {
            return options.cSearch().usesMargins() && problem.best != null ? problem.best : minimiser;
        }

        /**
         * Restarts {@code slot} at {@code x0} with the history of the solve that just ended (at c) and the objective's
         * value and gradient at {@code x0} already known: those of that solve's end, or of the problem's best success,
         * moved to the new c ({@link PenaltyObjective#shiftTradeOff}), so that x0 is not evaluated again.
         */
        private void restartKnown(int slot, Problem problem, boolean fromEnd, double[] x0, double c, double next) {
            double known;
            double knownC;
            if (fromEnd) {
                known = solver.f(slot);
                knownC = c;
                solver.copyGradient(slot, startGradient);
            } else {
                known = problem.bestValue;
                knownC = problem.bestValueC;
                System.arraycopy(problem.bestGradient, 0, startGradient, 0, startGradient.length);
            }
            double f0 = objective.shiftTradeOff(slot, x0, knownC, next, known, startGradient);
            solver.restart(slot, x0, 2 * (next - c), f0, startGradient);
        }

        private int[] endedSlots() {
            int count = 0;
            int[] ended = new int[slots];
            for (int slot = 0; slot < slots; slot++) {
                if (inSlot[slot] != null && solver.status(slot) != RowStatus.RUNNING) {
                    ended[count++] = slot;
                }
            }
            return Arrays.copyOf(ended, count);
        }

        /** The float32 check: each minimiser's logit margin for its target. */
        private double[] checkedMargins(float[][] minimisers, int[] targets) {
            FloatBuffer buffer = checkPoints.data().asNioFloat();
            int inputs = (int) checkPoints.size(1);
            for (int i = 0; i < minimisers.length; i++) {
                buffer.put(i * inputs, minimisers[i], 0, inputs);
            }
            Nd4j.getAffinityManager().tagLocation(checkPoints, AffinityManager.Location.HOST);
            INDArray checkInput = checkPoints.get(NDArrayIndex.interval(0, minimisers.length), NDArrayIndex.all());
            long checkStart = System.nanoTime();
            INDArray logits = checkModel.logits(checkInput);
            checkNanos += System.nanoTime() - checkStart;
            return Predictions.margins(logits, targets);
        }

        /** The solve in {@code slot} ended at {@code minimiser}: its problem restarts at its next c, or ends. */
        private void solveEnded(int slot, float[] minimiser, double margin) {
            Problem problem = inSlot[slot];
            problem.iterations += solver.iterations(slot);
            problem.evaluations += solver.evaluations(slot);
            problem.solves++;
            double c = problem.search.c();
            boolean nonFinite = solver.status(slot) == RowStatus.NON_FINITE || !Double.isFinite(margin);
            boolean success = !nonFinite && margin > options.margin();
            problem.offer(minimiser, margin, c, success);
            if (nonFinite) {
                problem.nonFinite = true;
            }
            boolean keep = options.historyKept();
            if (keep && problem.best == minimiser) {
                solver.copyGradient(slot, problem.bestGradient());
                problem.bestValue = solver.f(slot);
                problem.bestValueC = c;
            }
            if (!nonFinite && problem.search.record(success, margin - options.margin())) {
                double next = problem.search.c();
                objective.setTradeOff(slot, next);
                float[] from = warmStart(problem, minimiser);
                double[] x0 = toDoubles(from);
                if (keep) {
                    restartKnown(slot, problem, from == minimiser, x0, c, next);
                } else {
                    solver.start(slot, x0, lower, upper);
                }
                return;
            }
            problem.bestGradient = null;
            inSlot[slot] = null;
            if (!Double.isNaN(problem.search.bestSuccessful())) {
                remember(problem.search.bestSuccessful());
            }
            Example example = problem.example;
            if (++example.finishedProblems == example.problems.size()) {
                records[example.position] = example.record(checkModel);
                listener.finished(records[example.position]);
            }
        }
    }

    /**
     * Each problem's margin excess at its clean image (float32 forward passes of the check model, a batch at a time),
     * which the extrapolating search uses ({@link TradeOffSearch}).
     */
    private void cleanExcesses(List<Problem> problems) {
        for (int from = 0; from < problems.size(); from += CLEAN_BATCH) {
            int to = Math.min(problems.size(), from + CLEAN_BATCH);
            float[][] images = new float[to - from][];
            int[] targets = new int[to - from];
            for (int i = from; i < to; i++) {
                images[i - from] = problems.get(i).example.input.image();
                targets[i - from] = problems.get(i).target;
            }
            long start = System.nanoTime();
            double[] margins = Predictions.margins(checkModel.logits(Nd4j.create(images)), targets);
            checkNanos += System.nanoTime() - start;
            for (int i = from; i < to; i++) {
                problems.get(i).cleanExcess = margins[i - from] - options.margin();
            }
        }
    }

    private double firstC() {
        if (!options.adaptiveC() || recentCount == 0) {
            return options.initialC();
        }
        double[] window = Arrays.copyOf(recentC, Math.min(recentCount, MEDIAN_WINDOW));
        Arrays.sort(window);
        return window[window.length / 2];
    }

    private void remember(double c) {
        recentC[recentCount % MEDIAN_WINDOW] = c;
        recentCount++;
    }

    private static float[] toFloats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    private static double[] toDoubles(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    /** One example and its problems (one per target). */
    private static final class Example {
        final int position;
        final AttackInput input;
        final List<Problem> problems = new ArrayList<>();
        int finishedProblems;

        Example(int position, AttackInput input) {
            this.position = position;
            this.input = input;
        }

        /** The final record: the smallest successful distortion over the targets, or the best attempt. */
        AttackRecord record(Classifier checkModel) {
            Problem best = null;
            for (Problem p : problems) {
                if (p.best != null && (best == null || p.bestL2 < best.bestL2)) {
                    best = p;
                }
            }
            if (best == null) {
                for (Problem p : problems) {
                    if (best == null || p.attemptMargin > best.attemptMargin) {
                        best = p;
                    }
                }
            }
            float[] image = input.image();
            int iterations = 0;
            int evaluations = 0;
            int solves = 0;
            boolean nonFinite = !problems.isEmpty();
            for (Problem p : problems) {
                iterations += p.iterations;
                evaluations += p.evaluations;
                solves += p.solves;
                nonFinite &= p.nonFinite;
            }
            if (best == null) {
                return new AttackRecord(input.index(), input.trueLabel(), -1, Double.NaN, 0, 0, 0, 0, 0,
                        AttackStatus.FAILED, Double.NaN, image.clone());
            }
            boolean succeeded = best.best != null;
            float[] adversarial = succeeded ? best.best : best.attempt != null ? best.attempt : image.clone();
            AttackStatus status = succeeded ? AttackStatus.SUCCEEDED
                    : nonFinite ? AttackStatus.NON_FINITE : AttackStatus.FAILED;
            double margin = succeeded ? best.bestMargin : best.attemptMargin;
            return new AttackRecord(input.index(), input.trueLabel(), best.target,
                    succeeded ? best.bestC : Double.NaN, Distortion.rms(adversarial, image),
                    Distortion.l2(adversarial, image), iterations, evaluations, solves, status, margin, adversarial);
        }
    }

    /** One (example, target) pair: its search over c and the best minimisers found. */
    private static final class Problem {
        final Example example;
        final int target;
        TradeOffSearch search;
        float[] best;
        double bestL2 = Double.POSITIVE_INFINITY;
        double bestC = Double.NaN;
        double bestMargin = Double.NaN;
        float[] attempt;
        double attemptMargin = Double.NEGATIVE_INFINITY;
        int iterations;
        int evaluations;
        int solves;
        boolean nonFinite;
        /** The margin's excess over the success threshold at the clean image; NaN unless the search needs it. */
        double cleanExcess = Double.NaN;
        /** The objective's value and gradient at {@link #best}, for c = {@code bestValueC} (kept history only). */
        double bestValue;
        double bestValueC;
        double[] bestGradient;

        Problem(Example example, int target) {
            this.example = example;
            this.target = target;
        }

        /** The buffer of the gradient at {@link #best}, allocated on first use. */
        double[] bestGradient() {
            if (bestGradient == null) {
                bestGradient = new double[example.input.image().length];
            }
            return bestGradient;
        }

        /** Keeps {@code x} if it is the smallest success so far, or the best failed attempt. */
        void offer(float[] x, double margin, double c, boolean success) {
            if (success) {
                double l2 = Distortion.l2(x, example.input.image());
                if (l2 < bestL2) {
                    best = x;
                    bestL2 = l2;
                    bestC = c;
                    bestMargin = margin;
                }
            } else if (!Double.isNaN(margin) && margin > attemptMargin) {
                attempt = x;
                attemptMargin = margin;
            }
        }
    }
}
