package org.blindspot.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.blindspot.engine.io.BadDataException;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;

/**
 * Loads a Keras model saved in the HDF5 format of Keras 2 ({@code model.save("m.h5")}, architecture and
 * weights in one file) as a classifier the engine attacks, through DL4J's Keras import: a {@link DenseNetwork}
 * for a chain of dense layers, a {@link Dl4jClassifier} for a convolutional network.
 *
 * <p>Sequential models go through {@code importKerasSequentialModelAndWeights}, functional ones
 * (class {@code Model} or {@code Functional}) through {@code importKerasModelAndWeights}; the DL4J network
 * is then converted by {@link Dl4jDenseConversion}: {@code InputLayer}, {@code Dense} (sigmoid, relu,
 * tanh, linear; softmax last), {@code Activation}, {@code Dropout} and {@code Flatten} make a dense network;
 * with {@code Conv2D}, {@code MaxPooling2D}, {@code AveragePooling2D} or {@code ZeroPadding2D} among them, the
 * network is run by DL4J ({@link Dl4jNetworkConversion}); the rest (batch normalisation, recurrent layers,
 * merges) is refused with the layer's Keras name and class. The engine's input is the Keras
 * input flattened in row-major order (what {@code Flatten} does with channels last), so a model built on
 * {@code Input((28, 28))} or {@code Input((28, 28, 1))} takes MNIST's 784 pixels. The training
 * configuration is not needed (enforceTrainingConfig is false). Keras 3's {@code .keras} zip archive and
 * weights-only files ({@code save_weights}) are refused with a message saying so.
 */
public final class KerasImport {

    private static final byte[] HDF5_MAGIC = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};
    private static final String MODEL_CONFIG = "model_config";

    private static boolean hdf5Quiet;

    private KerasImport() {
    }

    /**
     * Loads {@code h5} as a float32 classifier (no metadata).
     *
     * @param expectedInputs the input size the caller needs, or 0 to accept any
     * @throws BadDataException when the file is not a Keras HDF5 model, is corrupt, holds layers the
     *                          engine does not run, or takes another number of inputs
     */
    public static ModelFile.Loaded load(Path h5, int expectedInputs) {
        String source = h5.toString();
        if (!Files.isRegularFile(h5)) {
            throw new BadDataException(source, "no such model file");
        }
        if (startsWith(h5, ZIP_MAGIC)) {
            throw new BadDataException(source, "a zip archive, not HDF5: Keras 3's .keras format is not supported; "
                    + "save the model in the HDF5 format (model.save(\"model.h5\")); a DL4J model zip needs the "
                    + ".zip extension");
        }
        Dl4jImport.checkMagic(source, h5, HDF5_MAGIC, "not an HDF5 file: a Keras model saved with "
                + "model.save(\"model.h5\") is expected");
        JsonNode config = modelConfig(source, h5);
        String className = config.path("class_name").asText("");
        Map<String, String> origins = kerasLayerClasses(config);
        long[] inputShape = inputShape(config);
        Classifier network;
        if ("Sequential".equals(className)) {
            network = Dl4jDenseConversion.fromMultiLayer(source, importKeras(source,
                    () -> KerasModelImport.importKerasSequentialModelAndWeights(h5.toString(), false)), origins,
                    inputShape);
        } else if ("Model".equals(className) || "Functional".equals(className)) {
            network = Dl4jDenseConversion.fromGraph(source, importKeras(source,
                    () -> KerasModelImport.importKerasModelAndWeights(h5.toString(), false)), origins, inputShape);
        } else {
            throw new BadDataException(source, "model class '" + className
                    + "': expected a Keras Sequential or functional (Model, Functional) model");
        }
        Dl4jImport.checkInputs(source, network, expectedInputs);
        return new ModelFile.Loaded(network, null, h5);
    }

    /** One of KerasModelImport's methods, with their checked exceptions. */
    private interface Importer<T> {
        T run() throws IOException, InvalidKerasConfigurationException, UnsupportedKerasConfigurationException;
    }

    private static <T> T importKeras(String source, Importer<T> importer) {
        try {
            return importer.run();
        } catch (UnsupportedKerasConfigurationException e) {
            throw new BadDataException(source, "DL4J's Keras import does not support this model: "
                    + Dl4jImport.firstLine(e) + "; " + Dl4jDenseConversion.DENSE_ONLY, e);
        } catch (InvalidKerasConfigurationException | IOException e) {
            throw new BadDataException(source, "not a valid Keras model: " + Dl4jImport.firstLine(e), e);
        } catch (RuntimeException e) {
            throw new BadDataException(source, "cannot import the Keras model (corrupt or truncated?): "
                    + Dl4jImport.firstLine(e), e);
        }
    }

    /**
     * Stops the HDF5 library from printing its error stack to stderr (it does so by default for every
     * failed call, e.g. on a truncated file); the errors still reach us as exceptions, which become one
     * {@link BadDataException}. The setting is global to the HDF5 library of this process.
     */
    private static synchronized void quietHdf5() {
        if (!hdf5Quiet) {
            org.bytedeco.hdf5.Exception.dontPrint();
            hdf5Quiet = true;
        }
    }

    /** Layer name to "Keras Dense" etc., for messages that name a layer as the user wrote it. */
    private static Map<String, String> kerasLayerClasses(JsonNode config) {
        Map<String, String> classes = new HashMap<>();
        for (JsonNode layer : config.path("config").path("layers")) {
            String name = layer.path("config").path("name").asText(layer.path("name").asText(""));
            if (!name.isEmpty() && layer.path("class_name").isTextual()) {
                classes.put(name, "Keras " + layer.path("class_name").asText());
            }
        }
        return classes;
    }

    /**
     * The shape of one input, e.g. [28, 28, 1], from the first layer that gives {@code batch_input_shape}
     * (the InputLayer, or the first layer of an old Sequential model); null when no layer gives a complete one.
     */
    private static long[] inputShape(JsonNode config) {
        JsonNode layers = config.path("config").isArray() ? config.path("config") : config.path("config").path("layers");
        for (JsonNode layer : layers) {
            JsonNode shape = layer.path("config").path("batch_input_shape");
            if (shape.isArray() && shape.size() >= 2) {
                long[] dims = new long[shape.size() - 1];
                for (int i = 1; i < shape.size(); i++) {
                    if (!shape.get(i).canConvertToLong() || shape.get(i).asLong() <= 0) {
                        return null;
                    }
                    dims[i - 1] = shape.get(i).asLong();
                }
                return dims;
            }
        }
        return null;
    }

    /** The model_config attribute, read before importing to pick the importer. */
    private static JsonNode modelConfig(String source, Path h5) {
        quietHdf5();
        String json;
        try (Hdf5Archive archive = new Hdf5Archive(h5.toString())) {
            if (!archive.hasAttribute(MODEL_CONFIG)) {
                throw new BadDataException(source, "no '" + MODEL_CONFIG + "' attribute: a weights-only file "
                        + "(model.save_weights) has no architecture; save the whole model with model.save(\"model.h5\")");
            }
            json = archive.readAttributeAsJson(MODEL_CONFIG);
        } catch (UnsupportedKerasConfigurationException | RuntimeException e) {
            if (e instanceof BadDataException bad) {
                throw bad;
            }
            throw new BadDataException(source, "cannot read the HDF5 file (corrupt or truncated?): "
                    + Dl4jImport.firstLine(e), e);
        }
        try {
            JsonNode config = new ObjectMapper().readTree(json.replace("\u0000", ""));
            if (config == null || !config.path("class_name").isTextual()) {
                throw new BadDataException(source, MODEL_CONFIG + " has no class_name: not a Keras model");
            }
            return config;
        } catch (IOException e) {
            throw new BadDataException(source, MODEL_CONFIG + " is not JSON: " + Dl4jImport.firstLine(e), e);
        }
    }

    private static boolean startsWith(Path file, byte[] magic) {
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(magic.length), magic);
        } catch (IOException e) {
            return false;
        }
    }
}
