package org.blindspot.engine.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.blindspot.engine.io.AtomicFiles;
import org.blindspot.engine.io.BadDataException;
import org.blindspot.engine.io.NpyArray;
import org.blindspot.engine.io.Npz;
import org.blindspot.engine.model.onnx.OnnxConvImport;
import org.blindspot.engine.model.onnx.OnnxImport;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Model files. A saved model is a folder holding {@code model.npz} and {@code model.json}:
 *
 * <ul>
 *   <li>{@code model.npz}: the dense format other tools write too: arrays {@code W1, b1, ..., Wk, bk}
 *       in float32, {@code W_i} of shape [in, out], {@code b_i} of shape [out];
 *       logits = h_{k-1} @ Wk + bk;</li>
 *   <li>{@code model.json}: {@link ModelMetadata}.</li>
 * </ul>
 *
 * {@link #load} takes such a folder, a bare {@code .npz} of that format with the hidden
 * activation given by the caller, or a network from another tool, each layer keeping the
 * activation the file gives it: an {@code .onnx} file ({@link OnnxImport}; with convolutions {@link OnnxConvImport}), a Keras HDF5 file
 * ({@code .h5}, {@code .hdf5}; {@link KerasImport}) or a DL4J model zip ({@code .zip}; {@link Dl4jImport}),
 * fully connected or convolutional (a {@link Dl4jClassifier}; commands that need the layers of a dense
 * network, such as {@code spectral} and {@code units}, refuse it through {@link Loaded#network(String)}).
 */
public final class ModelFile {

    /** Weights file inside a model folder. */
    public static final String WEIGHTS = "model.npz";
    /** Metadata file inside a model folder. */
    public static final String METADATA = "model.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ModelFile() {
    }

    /**
     * A loaded model.
     *
     * @param classifier the classifier (float32): a {@link DenseNetwork}, or a {@link Dl4jClassifier} for a
     *                   convolutional Keras or DL4J model
     * @param metadata   its metadata (null for a bare NPZ or an imported file)
     * @param source     the path it was loaded from
     * @param notes      what the loader changed and the user should know (an ONNX model's final
     *                   Softmax removed, say), one line each
     */
    public record Loaded(Classifier classifier, ModelMetadata metadata, Path source, List<String> notes) {

        /** A model loaded as it is, without notes. */
        public Loaded(Classifier classifier, ModelMetadata metadata, Path source) {
            this(classifier, metadata, source, List.of());
        }

        /**
         * The model as a fully connected network, for what needs its layers (spectral bounds, unit analysis).
         *
         * @throws BadDataException when it is a convolutional model
         */
        public DenseNetwork network() {
            return network("this command");
        }

        /**
         * {@link #network()}, naming the command in the message.
         *
         * @param command what needs the dense network, e.g. "spectral"
         * @throws BadDataException when it is a convolutional model
         */
        public DenseNetwork network(String command) {
            if (classifier instanceof DenseNetwork dense) {
                return dense;
            }
            throw new BadDataException(source.toString(), "a convolutional model: " + command
                    + " needs a fully connected one (dense layers only)");
        }
    }

    /** Writes {@code dir/model.npz} and {@code dir/model.json}, creating {@code dir}. */
    public static void save(Path dir, DenseNetwork network, ModelMetadata metadata) {
        try {
            Files.createDirectories(dir);
            Npz.write(dir.resolve(WEIGHTS), toArrays(network));
            byte[] json = JSON.writeValueAsBytes(metadata);
            AtomicFiles.write(dir.resolve(METADATA), out -> out.write(json));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write model to " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Loads a model folder, a bare NPZ with {@code activation} for its hidden layers, or an ONNX, Keras HDF5 or
     * DL4J zip file (by extension: {@code .onnx}, {@code .h5}/{@code .hdf5}, {@code .zip}; {@code activation} is
     * not used for those).
     *
     * @param expectedInputs the input size the caller needs, or 0 to accept any
     * @throws BadDataException when the files are missing, not a model, or do not fit
     */
    public static Loaded load(Path path, Activation activation, int expectedInputs) {
        Path weights;
        ModelMetadata metadata = null;
        if (Files.isDirectory(path)) {
            Path json = path.resolve(METADATA);
            weights = path.resolve(WEIGHTS);
            if (!Files.isRegularFile(json) || !Files.isRegularFile(weights)) {
                throw new BadDataException(path.toString(), "not a model folder: expected " + METADATA + " and "
                        + WEIGHTS + " in it (made by 'blindspot train')");
            }
            metadata = readMetadata(json);
        } else if (Files.isRegularFile(path) && isOnnx(path)) {
            return onnx(path, expectedInputs);
        } else if (Files.isRegularFile(path) && hasExtension(path, ".h5", ".hdf5", ".keras")) {
            return KerasImport.load(path, expectedInputs);
        } else if (Files.isRegularFile(path) && hasExtension(path, ".zip")) {
            return Dl4jImport.load(path, expectedInputs);
        } else if (Files.isRegularFile(path)) {
            weights = path;
        } else {
            throw new BadDataException(path.toString(), "no such model file or folder");
        }
        Activation hidden = metadata != null ? Activation.parse(metadata.activation()) : activation;
        DenseNetwork network = fromArrays(weights.toString(), Npz.read(weights), hidden,
                metadata != null ? metadata.weightDecay() : null, metadata != null && metadata.autoencoder());
        checkInputs(path, network, expectedInputs);
        if (metadata != null && (metadata.inputSize() != network.inputSize()
                || metadata.classes() != network.numClasses())) {
            throw new BadDataException(path.toString(), METADATA + " says " + metadata.inputSize() + " inputs and "
                    + metadata.classes() + " classes but " + WEIGHTS + " has " + network.inputSize() + " and "
                    + network.numClasses());
        }
        return new Loaded(network, metadata, path);
    }

    /**
     * Whether the model at {@code path} says its own activations (a model folder, or an ONNX, Keras or DL4J file),
     * so that {@link #load}'s {@code activation} is not used: only a bare NPZ needs it.
     */
    public static boolean carriesActivations(Path path) {
        return Files.isDirectory(path) || hasExtension(path, ".onnx", ".h5", ".hdf5", ".keras", ".zip");
    }

    /** Whether {@code path} names an ONNX file (by its extension, in any case). */
    public static boolean isOnnx(Path path) {
        return hasExtension(path, ".onnx");
    }

    private static boolean hasExtension(Path path, String... extensions) {
        if (path.getFileName() == null) {
            return false;
        }
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        for (String extension : extensions) {
            if (name.endsWith(extension)) {
                return true;
            }
        }
        return false;
    }

    /**
     * An ONNX file: fully connected graphs become a {@link DenseNetwork} ({@link OnnxImport}), graphs with
     * convolutions or pooling a {@link Dl4jClassifier} taking the image flattened in [C, H, W] order
     * ({@link OnnxConvImport}).
     */
    private static Loaded onnx(Path path, int expectedInputs) {
        byte[] bytes = OnnxImport.bytes(path);
        if (OnnxConvImport.isConvolutional(path.toString(), bytes)) {
            OnnxConvImport.Imported imported = OnnxConvImport.fromBytes(path.toString(), bytes);
            Dl4jClassifier classifier = new Dl4jClassifier(imported.network(),
                    new long[] {(long) imported.channels() * imported.height() * imported.width()});
            checkInputs(path, classifier, expectedInputs);
            return new Loaded(classifier, null, path, imported.notes());
        }
        OnnxImport.Imported imported = OnnxImport.fromBytes(path.toString(), bytes);
        checkInputs(path, imported.network(), expectedInputs);
        return new Loaded(imported.network(), null, path, imported.notes());
    }

    private static void checkInputs(Path path, Classifier network, int expectedInputs) {
        if (expectedInputs > 0 && network.inputSize() != expectedInputs) {
            throw new BadDataException(path.toString(), "the model takes " + network.inputSize()
                    + " inputs but the data has " + expectedInputs + " features per image");
        }
    }

    static ModelMetadata readMetadata(Path json) {
        ModelMetadata metadata;
        try {
            metadata = JSON.readValue(Files.readString(json, StandardCharsets.UTF_8), ModelMetadata.class);
        } catch (IOException e) {
            throw new BadDataException(json.toString(), "not a Blindspot model description: "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (!ModelMetadata.FORMAT.equals(metadata.format())) {
            throw new BadDataException(json.toString(), "format is '" + metadata.format() + "', expected '"
                    + ModelMetadata.FORMAT + "'");
        }
        return metadata;
    }

    /** The network's parameters as NPZ arrays W1, b1, ..., in float32. */
    public static Map<String, NpyArray> toArrays(DenseNetwork network) {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        List<DenseLayer> layers = network.layers();
        for (int l = 0; l < layers.size(); l++) {
            DenseLayer layer = layers.get(l);
            arrays.put("W" + (l + 1), NpyArray.ofFloats(layer.weights().castTo(DataType.FLOAT).dup('c').data().asFloat(),
                    layer.in(), layer.out()));
            arrays.put("b" + (l + 1), NpyArray.ofFloats(layer.bias().castTo(DataType.FLOAT).dup('c').data().asFloat(),
                    layer.out()));
        }
        return arrays;
    }

    /**
     * Builds a float32 network from NPZ arrays W1, b1, ..., Wk, bk.
     *
     * @param source      file name for error messages
     * @param weightDecay lambda per layer, or null for none
     * @param autoencoder whether layer 1 is frozen
     */
    public static DenseNetwork fromArrays(String source, Map<String, NpyArray> arrays, Activation activation,
                                          double[] weightDecay, boolean autoencoder) {
        int count = 0;
        while (arrays.containsKey("W" + (count + 1))) {
            count++;
        }
        if (count == 0) {
            throw new BadDataException(source, "no array W1: a dense model holds W1, b1, ..., Wk, bk; found "
                    + arrays.keySet());
        }
        for (String name : arrays.keySet()) {
            if (!name.matches("[Wb][1-9][0-9]*") || Integer.parseInt(name.substring(1)) > count) {
                throw new BadDataException(source, "unexpected array '" + name + "': a dense model holds W1, b1, ..., W"
                        + count + ", b" + count);
            }
        }
        if (weightDecay != null && weightDecay.length != count) {
            throw new BadDataException(source, "metadata gives " + weightDecay.length + " weight decays for " + count
                    + " layers");
        }
        List<DenseLayer> layers = new ArrayList<>();
        for (int l = 1; l <= count; l++) {
            NpyArray w = arrays.get("W" + l);
            NpyArray b = arrays.get("b" + l);
            if (b == null) {
                throw new BadDataException(source, "array b" + l + " is missing (W" + l + " is there)");
            }
            if (w.rank() != 2) {
                throw new BadDataException(source, "array W" + l + " has shape " + Arrays.toString(w.shape())
                        + ", expected [in, out]");
            }
            long in = w.shape()[0];
            long out = w.shape()[1];
            if (b.size() != out || b.rank() > 2 || (b.rank() == 2 && b.shape()[0] != 1)) {
                throw new BadDataException(source, "array b" + l + " has shape " + Arrays.toString(b.shape())
                        + ", expected [" + out + "] to match W" + l + " " + Arrays.toString(w.shape()));
            }
            if (l > 1 && in != layers.get(l - 2).out()) {
                throw new BadDataException(source, "array W" + l + " takes " + in + " inputs but W" + (l - 1) + " gives "
                        + layers.get(l - 2).out());
            }
            float[] wv = finite(source, "W" + l, w.asFloats());
            float[] bv = finite(source, "b" + l, b.asFloats());
            INDArray weights = Nd4j.create(wv, new long[] {in, out}, DataType.FLOAT);
            INDArray bias = Nd4j.create(bv, new long[] {1, out}, DataType.FLOAT);
            Activation act = l == count ? Activation.IDENTITY : activation;
            double decay = weightDecay == null ? 0 : weightDecay[l - 1];
            layers.add(new DenseLayer(weights, bias, act, decay, !(autoencoder && l == 1)));
        }
        return new DenseNetwork(layers);
    }

    private static float[] finite(String source, String array, float[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new BadDataException(source, "array " + array + " holds a non-finite value (" + values[i]
                        + ") at flat index " + i);
            }
        }
        return values;
    }
}
