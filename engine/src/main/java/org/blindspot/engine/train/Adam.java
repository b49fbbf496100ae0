package org.blindspot.engine.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adam (Kingma and Ba 2015, Algorithm 1) for one parameter array, in place, with its moment
 * estimates and one scratch buffer allocated once.
 */
final class Adam {

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;

    private final INDArray param;
    private final INDArray first;
    private final INDArray second;
    private final INDArray scratch;
    private long t;

    Adam(INDArray param) {
        this.param = param;
        this.first = Nd4j.zerosLike(param);
        this.second = Nd4j.zerosLike(param);
        this.scratch = Nd4j.zerosLike(param);
    }

    /** One step: param -= lr * mhat / (sqrt(vhat) + eps), with the bias corrections folded into lr. */
    void step(INDArray grad, double learningRate) {
        t++;
        first.muli(BETA1).addi(scratch.assign(grad).muli(1 - BETA1));
        second.muli(BETA2).addi(scratch.assign(grad).muli(grad).muli(1 - BETA2));
        double rate = learningRate * Math.sqrt(1 - Math.pow(BETA2, t)) / (1 - Math.pow(BETA1, t));
        Transforms.sqrt(scratch.assign(second), false).addi(EPSILON).rdivi(first).muli(rate);
        param.subi(scratch);
    }
}
