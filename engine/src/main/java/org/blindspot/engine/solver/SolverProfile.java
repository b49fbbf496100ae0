package org.blindspot.engine.solver;

import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where the solver's host time goes, stage by stage, summed over rows and threads: an opt-in diagnostic for
 * anyone tuning the solver or comparing machines. Off unless the JVM runs with {@code -Dblindspot.profile=true}
 * (for the launcher: {@code JAVA_OPTS=-Dblindspot.profile=true ./blindspot attack ...}); when off, the checks
 * are constant-folded away by the JIT and cost nothing. When on, each stage boundary reads
 * {@link System#nanoTime()} (some 25 ns, against tens of microseconds per row and iteration). Beside the time it
 * counts what the stages' costs scale with: correction pairs in use, variables entering or leaving the free set,
 * variables moving along the Cauchy path and breakpoints passed.
 */
public final class SolverProfile {
    /** The stages of advancing one row after an evaluation, in the order they run. */
    public enum Stage {
        /** The new gradient's directional derivative and finiteness check. */
        SLOPE("slope and finiteness check"),
        /**
         * Accepting the trial point: the step and gradient change, the projected-gradient norm; for a row in an open
         * box also the next Cauchy scan's first pass over the variables, done in the same sweep.
         */
        ACCEPT("acceptance and stopping tests"),
        /** Adding the pair to the history: its Gram entries and the middle matrix M. */
        NEW_PAIR("new pair: Gram entries and M"),
        /** The generalised Cauchy point (without its first pass when the acceptance did it). */
        CAUCHY("Cauchy point"),
        /** The free-set Gram blocks moved to the new free set. */
        FREE_SET("free-set Gram update"),
        /** The subspace minimisation and the projection or backtrack. */
        SUBSPACE("subspace minimisation"),
        /** The search direction, its slope and the step to the nearest bound. */
        DIRECTION("direction and box step");

        private final String label;

        Stage(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** True when the JVM was started with {@code -Dblindspot.profile=true}. */
    public static final boolean ENABLED = Boolean.getBoolean("blindspot.profile");

    /** What the iterations did, counted alongside the time: the sizes that the stages' costs scale with. */
    public enum Count {
        /** Iterations begun (Cauchy point, free set, subspace step), restarts included. */
        ITERATIONS,
        /** Correction pairs in the history, summed over iterations. */
        PAIRS,
        /** Variables entering or leaving the free set, summed over iterations. */
        FREE_SET_CHANGES,
        /** Iterations whose Cauchy point scanned the projected path (all but unconstrained rows with a history). */
        SCANS,
        /** Variables moving along the path, summed over scans. */
        MOVING,
        /** Breakpoints passed, summed over scans. */
        BREAKPOINTS
    }

    private static final LongAdder[] NANOS = adders(Stage.values().length);
    private static final LongAdder[] COUNTS = adders(Count.values().length);

    private static LongAdder[] adders(int size) {
        LongAdder[] out = new LongAdder[size];
        for (int k = 0; k < size; k++) {
            out[k] = new LongAdder();
        }
        return out;
    }

    private SolverProfile() {
    }

    /** A time stamp to measure the next stage from (0 when profiling is off). */
    static long start() {
        return ENABLED ? System.nanoTime() : 0L;
    }

    /** Adds the time since {@code since} to {@code stage}; returns the new time stamp (0 when off). */
    static long lap(Stage stage, long since) {
        if (!ENABLED) {
            return 0L;
        }
        long now = System.nanoTime();
        add(stage, now - since);
        return now;
    }

    /** Adds {@code nanos} to {@code stage}'s total. */
    static void add(Stage stage, long nanos) {
        NANOS[stage.ordinal()].add(nanos);
    }

    /**
     * Counts one iteration begun: {@code pairs} in the history, {@code freeSetChanges} variables entering or
     * leaving the free set, and, if its Cauchy point was {@code scanned}, the variables moving along the path and
     * the breakpoints passed.
     */
    static void iteration(int pairs, int freeSetChanges, boolean scanned, int moving, int breakpoints) {
        COUNTS[Count.ITERATIONS.ordinal()].increment();
        COUNTS[Count.PAIRS.ordinal()].add(pairs);
        COUNTS[Count.FREE_SET_CHANGES.ordinal()].add(freeSetChanges);
        if (scanned) {
            COUNTS[Count.SCANS.ordinal()].increment();
            COUNTS[Count.MOVING.ordinal()].add(moving);
            COUNTS[Count.BREAKPOINTS.ordinal()].add(breakpoints);
        }
    }

    /** The total of {@code count} since start-up or the last {@link #reset()}. */
    public static long total(Count count) {
        return COUNTS[count.ordinal()].sum();
    }

    /** Seconds spent in {@code stage} since start-up or the last {@link #reset()}. */
    public static double seconds(Stage stage) {
        return NANOS[stage.ordinal()].sum() / 1e9;
    }

    /** Clears the totals. */
    public static void reset() {
        for (LongAdder adder : NANOS) {
            adder.reset();
        }
        for (LongAdder adder : COUNTS) {
            adder.reset();
        }
    }

    /**
     * The totals as a small table, one stage per line, with each stage's share of their sum, then the counts'
     * means per iteration and per scan.
     */
    public static String table() {
        double total = 0;
        for (Stage stage : Stage.values()) {
            total += seconds(stage);
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "solver host time by stage (summed over threads), %.2f s in all:%n", total));
        for (Stage stage : Stage.values()) {
            double s = seconds(stage);
            out.append(String.format(Locale.ROOT, "  %-32s %8.2f s %5.1f%%%n", stage.label(), s,
                    total > 0 ? 100 * s / total : 0.0));
        }
        long iterations = total(Count.ITERATIONS);
        long scans = total(Count.SCANS);
        out.append(String.format(Locale.ROOT, "%d iterations begun, each with %.2f correction pairs and %.1f variables "
                        + "entering or leaving the free set on average;%n", iterations,
                mean(Count.PAIRS, iterations), mean(Count.FREE_SET_CHANGES, iterations)));
        out.append(String.format(Locale.ROOT, "%d Cauchy scans, each with %.1f variables moving and %.1f breakpoints "
                + "passed on average%n", scans, mean(Count.MOVING, scans), mean(Count.BREAKPOINTS, scans)));
        return out.toString();
    }

    private static double mean(Count count, long over) {
        return over > 0 ? total(count) / (double) over : 0.0;
    }
}
