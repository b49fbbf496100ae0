package org.blindspot.engine.train;

import java.util.ArrayList;
import java.util.List;
import org.blindspot.engine.model.DenseLayer;
import org.blindspot.engine.model.DenseNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One Adam step of a network's trainable layers on a minibatch: mean cross-entropy plus each
 * layer's weight decay, gradient buffers and moment estimates allocated once.
 */
final class AdamStep {

    private final DenseNetwork net;
    private final List<INDArray[]> grads = new ArrayList<>();
    private final List<Adam[]> optimisers = new ArrayList<>();

    AdamStep(DenseNetwork net) {
        this.net = net;
        for (DenseLayer layer : net.layers()) {
            grads.add(new INDArray[] {Nd4j.zerosLike(layer.weights()), Nd4j.zerosLike(layer.bias())});
            optimisers.add(layer.trainable() ? new Adam[] {new Adam(layer.weights()), new Adam(layer.bias())} : null);
        }
    }

    /**
     * Updates the parameters once.
     *
     * @param x       [B, m] inputs
     * @param targets B labels
     * @return the minibatch loss before the step (mean CE plus decay)
     */
    double step(INDArray x, int[] targets, double rate) {
        int batch = targets.length;
        double loss = net.lossAndWeightGradients(x, targets, grads).sumNumber().doubleValue() / batch;
        List<DenseLayer> layers = net.layers();
        for (int l = 0; l < layers.size(); l++) {
            DenseLayer layer = layers.get(l);
            if (!layer.trainable()) {
                continue;
            }
            INDArray[] g = grads.get(l);
            g[0].divi(batch);
            g[1].divi(batch);
            layer.addPenaltyGradient(g[0], g[1]);
            loss += layer.penalty();
            optimisers.get(l)[0].step(g[0], rate);
            optimisers.get(l)[1].step(g[1], rate);
        }
        return loss;
    }
}
