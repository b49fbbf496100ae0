package org.blindspot.engine.attack;

/** Receives each example's record as soon as it is final (in finishing order, not input order). */
@FunctionalInterface
public interface AttackListener {

    /** Called once per example. */
    void finished(AttackRecord record);

    /** Called after each batched model evaluation with the running total; default: ignore. */
    default void evaluated(long gradientEvaluations) {
    }
}
