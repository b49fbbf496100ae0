package org.blindspot.engine.attack;

/**
 * The result of attacking one example.
 *
 * @param index        the example's index in its data set
 * @param trueLabel    its label
 * @param target       the label attacked (for {@code closest}: the one with the smallest distortion)
 * @param c            the largest successful c (NaN if none)
 * @param rmsDistortion sqrt(mean((x' - x)^2)) over the pixels
 * @param l2           ||x' - x||_2
 * @param iterations   L-BFGS-B iterations over all solves
 * @param evaluations  loss-and-gradient evaluations over all solves
 * @param solves       solves over all targets and c
 * @param status       the outcome
 * @param margin       logit[target] - max other logit of x' in float32
 * @param adversarial  x', [m] pixels in [0, 1] (the best attempt when failed)
 */
public record AttackRecord(int index, int trueLabel, int target, double c, double rmsDistortion, double l2,
                           int iterations, int evaluations, int solves, AttackStatus status, double margin,
                           float[] adversarial) {

    /** Whether the attack succeeded. */
    public boolean succeeded() {
        return status == AttackStatus.SUCCEEDED;
    }
}
