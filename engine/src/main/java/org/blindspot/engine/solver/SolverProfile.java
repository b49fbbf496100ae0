package org.blindspot.engine.solver;

import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where the solver's host time goes, stage by stage, summed over rows and threads: an opt-in diagnostic for
 * anyone tuning the solver or comparing machines. Off unless the JVM runs with {@code -Dblindspot.profile=true}
 * (for the launcher: {@code JAVA_OPTS=-Dblindspot.profile=true ./blindspot attack ...}); when off, the checks
 * are constant-folded away by the JIT and cost nothing. When on, each stage boundary reads
 * {@link System#nanoTime()} (some 25 ns, against tens of microseconds per row and iteration).
 */
public final class SolverProfile {
    /** The stages of advancing one row after an evaluation, in the order they run. */
    public enum Stage {
        /** The new gradient's directional derivative and finiteness check. */
        SLOPE("slope and finiteness check"),
        /** Accepting the trial point: the step and gradient change, the projected-gradient norm. */
        ACCEPT("acceptance and stopping tests"),
        /** Adding the pair to the history: its Gram entries and the middle matrix M. */
        NEW_PAIR("new pair: Gram entries and M"),
        /** The generalised Cauchy point. */
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

    private static final LongAdder[] NANOS = new LongAdder[Stage.values().length];

    static {
        for (int k = 0; k < NANOS.length; k++) {
            NANOS[k] = new LongAdder();
        }
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

    /** Seconds spent in {@code stage} since start-up or the last {@link #reset()}. */
    public static double seconds(Stage stage) {
        return NANOS[stage.ordinal()].sum() / 1e9;
    }

    /** Clears the totals. */
    public static void reset() {
        for (LongAdder adder : NANOS) {
            adder.reset();
        }
    }

    /** The totals as a small table, one stage per line, with each stage's share of their sum. */
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
        return out.toString();
    }
}
