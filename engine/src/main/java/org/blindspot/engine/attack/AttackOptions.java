package org.blindspot.engine.attack;

import java.util.Locale;
import org.blindspot.engine.solver.BatchedLbfgsb;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Settings of the box-constrained L-BFGS attack, checked when built.
 *
 * @param penalty        d(r): squared L2 (default) or L2
 * @param initialC       c of the first solve of a problem (later problems start from the running
 *                       median of the c found so far when {@code adaptiveC})
 * @param adaptiveC      start new problems from the median successful c of finished ones
 * @param searchFactor   bracketing factor of the search over c
 * @param cTolerance     the search stops when hi / lo <= 1 + cTolerance
 * @param searchSteps    most solves per problem
 * @param batch          solver slots: problems solved in lockstep
 * @param maxIterations  L-BFGS-B iterations per solve
 * @param ftol           a solve ends when f falls by less than ftol * max(|f|, 1) in an iteration (SciPy's
 *                       ftol = factr * epsmch); 1e-4 by default (f is computed in float32; on FC100-100-10 1e-6
 *                       cost 1.7x the evaluations for a mean distortion 0.0001 lower)
 * @param margin         success needs logit[target] - max other logit > margin (float32 check)
 * @param precision      FLOAT or DOUBLE for the solve (the success check is always float32)
 * @param threads        threads for the solver's per-row work (the solver's iterates do not depend on it; with more
 *                       than one, the model is called on two halves of the batch, whose float32 results can differ
 *                       from one call's in the last bits, and so can the records)
 * @param memory         correction pairs the solver keeps per row (L-BFGS-B's m, SciPy's maxcor)
 * @param cSearch        how the search over c finds and narrows its bracket: margin extrapolation then
 *                       interpolation (default), factors then interpolation, or factors then bisection
 * @param keepHistory    a problem's next solve keeps the correction pairs of its last one, shifted to the new c
 *                       (squared L2 only: {@link BatchedLbfgsb#restart}); false starts every solve with an empty
 *                       history
 */
public record AttackOptions(Penalty penalty, double initialC, boolean adaptiveC, double searchFactor,
                            double cTolerance, int searchSteps, int batch, int maxIterations, double ftol, double margin,
                            DataType precision, int threads, int memory, CSearch cSearch,
                            boolean keepHistory) {

    public AttackOptions {
        if (penalty == null) {
            throw new IllegalArgumentException("penalty: required");
        }
        if (!(initialC > 0) || Double.isInfinite(initialC)) {
            throw new IllegalArgumentException("initialC: must be finite and > 0, got " + initialC);
        }
        if (!(searchFactor > 1) || Double.isInfinite(searchFactor)) {
            throw new IllegalArgumentException("searchFactor: must be finite and > 1, got " + searchFactor);
        }
        if (!(cTolerance > 0)) {
            throw new IllegalArgumentException("cTolerance: must be > 0, got " + cTolerance);
        }
        if (searchSteps < 1) {
            throw new IllegalArgumentException("searchSteps: must be >= 1, got " + searchSteps);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch: must be >= 1, got " + batch);
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations: must be >= 1, got " + maxIterations);
        }
        if (!(ftol > 0) || ftol >= 1) {
            throw new IllegalArgumentException("ftol: must lie in (0, 1), got " + ftol);
        }
        if (!(margin >= 0) || Double.isInfinite(margin)) {
            throw new IllegalArgumentException("margin: must be finite and >= 0, got " + margin);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads: must be >= 1, got " + threads);
        }
        if (memory < 1) {
            throw new IllegalArgumentException("memory: must be >= 1, got " + memory);
        }
        if (cSearch == null) {
            throw new IllegalArgumentException("cSearch: required");
        }
        if (precision != DataType.FLOAT && precision != DataType.DOUBLE) {
            throw new IllegalArgumentException("precision: FLOAT or DOUBLE, got " + precision);
        }
    }

    /**
     * The attack's default number of correction pairs per row: 5, not SciPy's 10. With the history kept from solve to
     * solve, 10 pairs took 3% fewer evaluations than 5 on FC100-100-10 but cost a fifth more solver time per
     * iteration (docs/performance-history.md, session 9).
     */
    public static final int DEFAULT_MEMORY = 5;

    /** Defaults: squared L2, c from 1 (not adaptive: every example's result depends on it alone, so a
     *  resumed run gives the same records), factor 10, tolerance 0.05, 10 solves, 1,024 slots,
     *  100 iterations per solve, ftol 1e-4, margin 0, float32, one solver thread per available processor
     *  (rows are independent; see {@code threads}), 5 correction pairs,
     *  the bracket on c found by margin extrapolation and narrowed by interpolation, the history kept from solve to
     *  solve. */
    public static AttackOptions defaults() {
        return new AttackOptions(Penalty.L2SQ, 1.0, false, 10, 0.05, 10, 1024, 100, 1e-4, 0, DataType.FLOAT,
                Runtime.getRuntime().availableProcessors(), DEFAULT_MEMORY, CSearch.EXTRAPOLATION, true);
    }

    public AttackOptions withPenalty(Penalty value) {
        return new AttackOptions(value, initialC, adaptiveC, searchFactor, cTolerance, searchSteps, batch,
                maxIterations, ftol, margin, precision, threads, memory, cSearch, keepHistory);
    }

    public AttackOptions withInitialC(double value) {
        return new AttackOptions(penalty, value, adaptiveC, searchFactor, cTolerance, searchSteps, batch,
                maxIterations, ftol, margin, precision, threads, memory, cSearch, keepHistory);
    }

    public AttackOptions withAdaptiveC(boolean value) {
        return new AttackOptions(penalty, initialC, value, searchFactor, cTolerance, searchSteps, batch,
                maxIterations, ftol, margin, precision, threads, memory, cSearch, keepHistory);
    }

    public AttackOptions withSearchFactor(double value) {
        return new AttackOptions(penalty, initialC, adaptiveC, value, cTolerance, searchSteps, batch,
                maxIterations, ftol, margin, precision, threads, memory, cSearch, keepHistory);
    }

    public AttackOptions withCTolerance(double value) {
        return new AttackOptions(penalty, initialC, adaptiveC, searchFactor, value, searchSteps, batch,
                maxIterations, ftol, margin, precision, threads, memory, cSearch, keepHistory);
    }

    public AttackOptions withSearchSteps(int value) {
        return new AttackOptions(penalty, initialC, adaptiveC, searchFactor, cTolerance, value, batch,
                maxIterations, ftol, margin, precision, threads, memory, cSearch, keepHistory);
    }

    public AttackOptions withBatch(int value) {
        return new AttackOptions(penalty, initialC, adaptiveC, searchFactor, cTolerance, searchSteps, value,
                maxIterations, ftol, margin, precision, threads, memory, cSearch, keepHistory);
    }

    public AttackOptions withMaxIterations(int value) {
        return new AttackOptions(penalty, initialC, adaptiveC, searchFactor, cTolerance, searchSteps, batch,
                value, ftol, margin, precision, threads, memory, cSearch, keepHistory);
    }

    public AttackOptions withFtol(double value) {
        return new AttackOptions(penalty, initialC, adaptiveC, searchFactor, cTolerance, searchSteps, batch,
                maxIterations, value, margin, precision, threads, memory, cSearch, keepHistory);
    }

    public AttackOptions withThreads(int value) {
        return new AttackOptions(penalty, initialC, adaptiveC, searchFactor, cTolerance, searchSteps, batch,
                maxIterations, ftol, margin, precision, value, memory, cSearch, keepHistory);
    }

    public AttackOptions withMargin(double value) {
        return new AttackOptions(penalty, initialC, adaptiveC, searchFactor, cTolerance, searchSteps, batch,
                maxIterations, ftol, value, precision, threads, memory, cSearch, keepHistory);
    }

    public AttackOptions withMemory(int value) {
        return new AttackOptions(penalty, initialC, adaptiveC, searchFactor, cTolerance, searchSteps, batch,
                maxIterations, ftol, margin, precision, threads, value, cSearch, keepHistory);
    }

    public AttackOptions withPrecision(DataType value) {
        return new AttackOptions(penalty, initialC, adaptiveC, searchFactor, cTolerance, searchSteps, batch,
                maxIterations, ftol, margin, value, threads, memory, cSearch, keepHistory);
    }

    public AttackOptions withCSearch(CSearch value) {
        return new AttackOptions(penalty, initialC, adaptiveC, searchFactor, cTolerance, searchSteps, batch,
                maxIterations, ftol, margin, precision, threads, memory, value, keepHistory);
    }

    /**
     * Whether a problem's solves after its first keep the last one's correction pairs: asked for, and possible (the
     * squared penalty's change of c is a quadratic of known Hessian; the norm's is not).
     */
    public boolean historyKept() {
        return keepHistory && penalty == Penalty.L2SQ;
    }

    /** Parses "keep" (true) or "reset" (false), the {@code --history} of the command line and the service. */
    public static boolean parseHistory(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "keep" -> true;
            case "reset" -> false;
            default -> throw new IllegalArgumentException("history: expected keep or reset, got '" + text + "'");
        };
    }

    public AttackOptions withKeepHistory(boolean value) {
        return new AttackOptions(penalty, initialC, adaptiveC, searchFactor, cTolerance, searchSteps, batch,
                maxIterations, ftol, margin, precision, threads, memory, cSearch, value);
    }
}
