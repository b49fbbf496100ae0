package org.blindspot.engine.model;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.blindspot.engine.io.BadDataException;
import org.blindspot.engine.model.Dl4jDenseConversion.Step;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * Rebuilds a DL4J chain of layers holding convolutions or pooling as a {@link Dl4jClassifier}: a new
 * float32 {@link MultiLayerNetwork} with the same layers, preprocessors and parameters, except that
 *
 * <ul>
 *   <li>dropout and weight noise are removed from every layer (DL4J's gradient pass runs in training
 *       mode, where they would apply);</li>
 *   <li>the layer that gives the logits (the last {@code DenseLayer} or {@code OutputLayer}, with softmax
 *       or no activation) becomes an {@code OutputLayer} with softmax and MCXENT, and what follows it (a
 *       softmax or identity {@code ActivationLayer}, the {@code LossLayer} Keras import adds, dropout) is
 *       dropped: the engine's loss is the softmax cross-entropy of the logits, whatever loss the model was
 *       trained with, except that a softmax trained with another loss is refused.</li>
 * </ul>
 * The input is flat rows: a network whose first layer takes images needs a {@code FeedForwardToCnnPreProcessor}
 * (DL4J's {@code InputType.convolutionalFlat}) or, for Keras, the input shape from the model's configuration,
 * to which each row is reshaped in C order ([H, W, C] with channels last, as Keras' {@code Flatten} orders it).
 */
final class Dl4jNetworkConversion {

    /** The layers of a convolutional network the engine runs, for messages. */
    static final String LAYERS = "ConvolutionLayer (Keras Conv2D), SubsamplingLayer (MaxPooling2D, AveragePooling2D), "
            + "ZeroPaddingLayer, DenseLayer, DropoutLayer, ActivationLayer and flattening, ending in logits or softmax "
            + "with cross-entropy";

    private Dl4jNetworkConversion() {
    }

    /** True for the layers that make a network convolutional (it then goes through {@link #convert}). */
    static boolean isSpatial(Layer conf) {
        return conf.getClass() == ConvolutionLayer.class || conf.getClass() == SubsamplingLayer.class
                || conf.getClass() == ZeroPaddingLayer.class;
    }

    /**
     * @param exampleShape the shape of one input when the first layer takes images without a preprocessor
     *                     (Keras: [H, W, C]), or null
     * @throws BadDataException naming the layer the engine cannot run
     */
    static Dl4jClassifier convert(String source, List<Step> steps, long[] exampleShape) {
        for (Step step : steps) {
            if (!isSpatial(step.conf()) && !isAccepted(step.conf())) {
                throw new BadDataException(source, step.describe() + ": the engine runs convolutional networks of "
                        + LAYERS + unsupportedReason(step.conf()));
            }
        }
        int logits = logitsLayer(source, steps);
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).list();
        for (int i = 0; i <= logits; i++) {
            Step step = steps.get(i);
            if (i < logits) {
                Layer conf = step.conf().clone();
                conf.setIDropout(null);
                if (conf instanceof BaseLayer base) {
                    base.setWeightNoise(null);
                }
                list.layer(i, conf);
            } else {
                FeedForwardLayer dense = (FeedForwardLayer) step.conf();
                list.layer(i, new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .name(dense.getLayerName()).nIn(dense.getNIn()).nOut(dense.getNOut())
                        .hasBias(step.params().containsKey("b")).activation(new ActivationSoftmax()).build());
            }
            if (step.pre() != null) {
                list.inputPreProcessor(i, step.pre().clone());
            }
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        for (int i = 0; i <= logits; i++) {
            for (Map.Entry<String, INDArray> param : steps.get(i).params().entrySet()) {
                INDArray value = param.getValue().castTo(DataType.FLOAT);
                if (value.isInfinite().any() || value.isNaN().any()) {
                    throw new BadDataException(source, steps.get(i).describe() + " parameter " + param.getKey()
                            + " holds a non-finite value");
                }
                net.getLayer(i).setParam(param.getKey(), value.dup());
            }
        }
        Dl4jClassifier classifier = new Dl4jClassifier(net, inputShape(source, steps.get(0), exampleShape));
        try {
            classifier.logits(Nd4j.zeros(DataType.FLOAT, 1, classifier.inputSize()));
        } catch (RuntimeException e) {
            throw new BadDataException(source, "the network does not run on inputs of shape "
                    + Arrays.toString(classifier.exampleShape()) + ": " + Dl4jImport.firstLine(e), e);
        }
        return classifier;
    }

    private static boolean isAccepted(Layer conf) {
        return conf.getClass() == DenseLayer.class || conf instanceof OutputLayer || conf instanceof ActivationLayer
                || conf instanceof LossLayer || conf instanceof DropoutLayer;
    }

    private static String unsupportedReason(Layer conf) {
        if (conf instanceof org.deeplearning4j.nn.conf.layers.BatchNormalization) {
            return " (batch normalisation is not supported: DL4J's input gradient runs it in training mode, on the "
                    + "batch's statistics)";
        }
        return "";
    }

    /**
     * Index of the layer that gives the logits: the last DenseLayer or OutputLayer, with softmax or no
     * activation, followed only by dropout, a softmax or identity activation, or a loss layer.
     */
    private static int logitsLayer(String source, List<Step> steps) {
        int logits = -1;
        for (int i = 0; i < steps.size(); i++) {
            Layer conf = steps.get(i).conf();
            if (conf instanceof FeedForwardLayer dense && (conf.getClass() == DenseLayer.class
                    || conf instanceof OutputLayer)) {
                if (logits >= 0 && steps.get(logits).conf() instanceof OutputLayer) {
                    throw new BadDataException(source, steps.get(i).describe() + " follows the output layer "
                            + steps.get(logits).describe() + ": the engine runs one chain ending in the logits");
                }
                logits = i;
            }
        }
        if (logits < 0) {
            throw new BadDataException(source, "no DenseLayer or OutputLayer gives the logits: the engine runs "
                    + "convolutional networks of " + LAYERS);
        }
        for (int i = 0; i < logits; i++) {
            if (steps.get(i).conf() instanceof LossLayer) {
                throw new BadDataException(source, steps.get(i).describe() + " comes before "
                        + steps.get(logits).describe() + ": a loss layer can only end the network");
            }
        }
        Step last = steps.get(logits);
        IActivation fn = ((BaseLayer) last.conf()).getActivationFn();
        boolean softmax = fn instanceof ActivationSoftmax;
        if (!softmax && !(fn instanceof ActivationIdentity)) {
            throw new BadDataException(source, "the last layer, " + last.describe() + ", applies " + fn
                    + ": the engine needs logits, a last layer with softmax or no activation");
        }
        checkLoss(source, last, softmax);
        for (Step step : steps.subList(logits + 1, steps.size())) {
            Layer conf = step.conf();
            IActivation after = conf instanceof ActivationLayer a ? a.getActivationFn()
                    : conf instanceof LossLayer l ? l.getActivationFn() : null;
            if (after != null && !(after instanceof ActivationIdentity)) {
                if (!(after instanceof ActivationSoftmax) || softmax) {
                    throw new BadDataException(source, step.describe() + " applies " + after + " after the logits of "
                            + last.describe() + ": the engine needs logits, at most one softmax at the end");
                }
                softmax = true;
            }
            if (conf instanceof LossLayer) {
                checkLoss(source, step, softmax);
            }
        }
        return logits;
    }

    /** Refuses a softmax trained with a loss other than cross-entropy. */
    private static void checkLoss(String source, Step step, boolean softmax) {
        Object loss = step.conf() instanceof OutputLayer o ? o.getLossFn()
                : step.conf() instanceof LossLayer l ? l.getLossFn() : null;
        if (softmax && loss != null && !(loss instanceof LossMCXENT)) {
            throw new BadDataException(source, step.describe() + " has softmax with loss "
                    + loss.getClass().getSimpleName() + ": the engine's classifiers are trained with cross-entropy "
                    + "(MCXENT or NEGATIVELOGLIKELIHOOD) or give logits (identity)");
        }
    }

    /** The shape one flat input row is reshaped to before the network sees it. */
    private static long[] inputShape(String source, Step first, long[] exampleShape) {
        InputPreProcessor pre = first.pre();
        if (pre instanceof FeedForwardToCnnPreProcessor cnn) {
            return new long[] {cnn.getInputHeight() * cnn.getInputWidth() * cnn.getNumChannels()};
        }
        if (exampleShape != null) {
            return exampleShape.clone();
        }
        if (pre == null && first.conf() instanceof FeedForwardLayer dense && !isSpatial(first.conf())) {
            return new long[] {dense.getNIn()};
        }
        throw new BadDataException(source, first.describe() + " takes images of a size the file does not say"
                + (pre == null ? "" : " (preprocessor " + pre + ")")
                + ": the engine passes flat rows; build the network with InputType.convolutionalFlat(height, width, "
                + "channels)");
    }
}
