package org.blindspot.engine.attack;

/** Receives each example's record as soon as it is final (in finishing order, not input order). */
@FunctionalInterface
public interface AttackListener {

    /** Called once per example. */
    void finished(AttackRecord record);

    /** Called after each batched model evaluation with the running total; default: ignore. */
    default void evaluated(long gradientEvaluations) {
    }

    /**
     * Asked once before each batched solver step; when it answers true the run stops there with a
     * {@link java.util.concurrent.CancellationException} (records already passed to {@link #finished}
     * stay valid). Default: never, and a run that is never cancelled is unchanged by the check.
     */
    default boolean cancelled() {
        return false;
    }
}
