package org.blindspot.engine.model;

import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.SigmoidDerivative;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.TanhDerivative;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;
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

    /** Writes act(z) into {@code a} (same shape), leaving {@code z} as it is: one operation. */
    public void applyInto(INDArray z, INDArray a) {
        switch (this) {
            case SIGMOID -> Nd4j.exec(new Sigmoid(z, a));
            case RELU -> Nd4j.exec(new RectifiedLinear(z, a, 0.0));
            case TANH -> Nd4j.exec(new Tanh(z, a));
            case IDENTITY -> a.assign(z);
        }
    }

    /**
     * Multiplies {@code delta} in place by act'(z), from the pre-activation {@code z}: one operation
     * for sigmoid and tanh.
     *
     * @param z     [B, k] pre-activations
     * @param a     [B, k] act(z)
     * @param delta [B, k] gradient with respect to a, becomes the gradient with respect to z
     */
    public void backpropFromPreActivation(INDArray z, INDArray a, INDArray delta, INDArray scratch) {
        switch (this) {
            case SIGMOID -> Nd4j.exec(new SigmoidDerivative(z, delta, delta));
            case TANH -> Nd4j.exec(new TanhDerivative(z, delta, delta));
            case RELU, IDENTITY -> backpropInPlace(a, delta, scratch);
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
