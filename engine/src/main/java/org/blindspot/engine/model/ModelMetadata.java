package org.blindspot.engine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * What a saved model records about itself, stored as {@code model.json} beside its weights.
 *
 * @param format          {@link #FORMAT}, so that a file of another kind is recognised
 * @param name            the zoo name or architecture, e.g. "fc100-100-10"
 * @param hidden          hidden layer sizes
 * @param activation      hidden activation id
 * @param weightDecay     lambda per layer
 * @param autoencoder     whether layer 1 is a frozen sparse autoencoder layer
 * @param inputSize       number of inputs (784)
 * @param classes         number of classes (10)
 * @param split           training data: "train", "p1" or "p2" (null when unknown)
 * @param trainedExamples how many images it was trained on
 * @param seed            training seed
 * @param training        trainer settings and run facts (method, epochs, seconds, ...)
 * @param trainError      error on the training split
 * @param testError       error on the 10,000 test images
 * @param backend         the ND4J backend it was trained on
 * @param version         Blindspot's version
 * @param created         ISO-8601 time of saving
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelMetadata(String format, String name, int[] hidden, String activation, double[] weightDecay,
                            boolean autoencoder, int inputSize, int classes, String split, Integer trainedExamples,
                            Long seed, Map<String, Object> training, Double trainError, Double testError,
                            String backend, String version, String created) {

    /** The format tag of model.json. */
    public static final String FORMAT = "blindspot-model/1";

    /** The architecture this metadata describes. */
    public ModelSpec spec() {
        return new ModelSpec(name, hidden, Activation.parse(activation), weightDecay, autoencoder);
    }
}
