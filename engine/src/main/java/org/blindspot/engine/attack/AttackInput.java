package org.blindspot.engine.attack;

/**
 * One example to attack.
 *
 * @param index     its index in the data set (carried into the record)
 * @param image     [m] pixels in [0, 1]
 * @param trueLabel its label
 * @param targets   the labels to attack (one, or several for {@code closest}: the smallest successful
 *                  distortion is kept); empty when there is nothing to attack
 */
public record AttackInput(int index, float[] image, int trueLabel, int[] targets) {
}
