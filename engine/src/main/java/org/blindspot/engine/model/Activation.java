package org.blindspot.engine.model;

import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Element-wise activations of hidden layers, applied in place, with their Lipschitz constants. */
public enum Activation {
    /** 1 / (1 + e^-z): Lipschitz constant 1/4 (Szegedy et al. 2014, section 4.3). */
    SIGMOID(0.25),
    /** max(0, z). */
    RELU(1.0),
    /** tanh(z). */
    TANH(1.0),
    /** z: the output layer's logits. */
    IDENTITY(1.0);

    private final double lipschitz;

    Activation(double lipschitz) {
        this.lipschitz = lipschitz;
    }

    /** The largest slope of the activation: the factor it adds to a layer's Lipschitz bound. */
    public double lipschitz() {
        return lipschitz;
    }

    /** Replaces {@code z} by act(z), in place. */
    public void applyInPlace(INDArray z) {
        switch (this) {
            case SIGMOID -> Transforms.sigmoid(z, false);
            case RELU -> Transforms.relu(z, false);
            case TANH -> Transforms.tanh(z, false);
            case IDENTITY -> { }
        }
    }

    /**
     * Multiplies {@code delta} in place by act'(z), written in terms of the activation's output
     * {@code a = act(z)}.
     *
     * @param a       [B, k] activation outputs
     * @param delta   [B, k] gradient with respect to a, becomes the gradient with respect to z
     * @param scratch [B, k] buffer the method may overwrite
     */
    public void backpropInPlace(INDArray a, INDArray delta, INDArray scratch) {
        switch (this) {
            case SIGMOID -> delta.muli(scratch.assign(a).rsubi(1.0).muli(a));
            case RELU -> delta.muli(Transforms.sign(scratch.assign(a), false));
            case TANH -> delta.muli(scratch.assign(a).muli(a).rsubi(1.0));
            case IDENTITY -> { }
        }
    }

    /** Parses "sigmoid", "relu", "tanh" or "identity", case-insensitively. */
    public static Activation parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "activation: unknown '" + name + "'; expected one of sigmoid, relu, tanh, identity");
        }
    }

    /** The lower-case name used on the command line and in model files. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
