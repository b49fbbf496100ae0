package org.blindspot.engine.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One fully connected layer a = act(h W + b).
 *
 * @param weights     W, [in, out]
 * @param bias        b, [1, out]
 * @param activation  act; {@link Activation#IDENTITY} for the logits layer
 * @param weightDecay lambda of the penalty (lambda / 2) * (sum(W^2) + sum(b^2)), added to the mean cross-entropy;
 *                    see {@link #penalty()} for why this and not PAPER.md's lambda * sum(W^2) / k
 * @param trainable   false for a frozen layer (the autoencoder layer of AE400-10)
 */
public record DenseLayer(INDArray weights, INDArray bias, Activation activation, double weightDecay,
                         boolean trainable) {

    /** The weight-decay penalty of {@link #penalty()}, as recorded in model.json's training settings. */
    public static final String PENALTY_FORM = "(lambda/2)(sum W^2 + sum b^2) per layer";

    public DenseLayer {
        if (weights.rank() != 2) {
            throw new IllegalArgumentException("weights: expected rank 2 [in, out], got shape "
                    + java.util.Arrays.toString(weights.shape()));
        }
        if (bias.rank() != 2 || bias.rows() != 1 || bias.columns() != weights.columns()) {
            throw new IllegalArgumentException("bias: expected shape [1, " + weights.columns() + "], got "
                    + java.util.Arrays.toString(bias.shape()));
        }
        if (weights.dataType() != bias.dataType()) {
            throw new IllegalArgumentException("bias: data type " + bias.dataType()
                    + " differs from the weights' " + weights.dataType());
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weightDecay: must be finite and >= 0, got " + weightDecay);
        }
    }

    /** Number of inputs. */
    public int in() {
        return (int) weights.rows();
    }

    /** Number of units. */
    public int out() {
        return (int) weights.columns();
    }

    /** This layer with its parameters cast to {@code type} (copies). */
    public DenseLayer castTo(DataType type) {
        return new DenseLayer(weights.castTo(type).dup(), bias.castTo(type).dup(), activation, weightDecay,
                trainable);
    }

    /** This layer with a different trainable flag (parameters shared). */
    public DenseLayer withTrainable(boolean flag) {
        return new DenseLayer(weights, bias, activation, weightDecay, flag);
    }

    /**
     * The weight-decay penalty (lambda / 2) * (sum(W^2) + sum(b^2)) of this layer, biases included.
     *
     * <p>PAPER.md writes lambda * sum(W^2) / k with k the layer's units. Trained to the optimum next to the
     * mean cross-entropy, the readings give for FC10(1e-2) and FC10(1) (paper: 9.4% and 20% test error):
     * lambda * sum(W^2) / k, 8.2% and 14.5%; (lambda / 2) * sum(W^2), 9.3% and 21.6%; (lambda / 2) * (sum(W^2) +
     * sum(b^2)), the one used here, 9.2% and 20.0%, with train errors of 9.9% and 21.2% against the paper's 10%
     * and 21.2% (README.md, "Model zoo", has the commands).
     */
    public double penalty() {
        if (weightDecay == 0) {
            return 0;
        }
        double w = weights.norm2Number().doubleValue();
        double b = bias.norm2Number().doubleValue();
        return 0.5 * weightDecay * (w * w + b * b);
    }

    /** Adds d penalty / d W = lambda * W to {@code gradWeights} ([in, out]) and lambda * b to {@code gradBias}. */
    public void addPenaltyGradient(INDArray gradWeights, INDArray gradBias) {
        if (weightDecay != 0) {
            gradWeights.addi(weights.mul(weightDecay));
            gradBias.addi(bias.mul(weightDecay).reshape(gradBias.shape()));
        }
    }
}
