package org.blindspot.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.blindspot.engine.io.BadDataException;
import org.deeplearning4j.util.ModelSerializer;

/**
 * Loads a DL4J model zip (what {@code ModelSerializer.writeModel} writes: {@code configuration.json},
 * {@code coefficients.bin}, optionally the updater state) as a classifier the engine attacks: a
 * {@link DenseNetwork} for a chain of dense layers, a {@link Dl4jClassifier} for a convolutional network
 * (convolutions, pooling, dense layers), which must take flat inputs ({@code InputType.convolutionalFlat}).
 *
 * <p>The network must be a chain ending in softmax or logits: see {@link Dl4jDenseConversion} and
 * {@link Dl4jNetworkConversion} for what is accepted. A {@code MultiLayerNetwork} is the usual case; a
 * {@code ComputationGraph} that is such a chain is accepted too. The updater state is not read.
 */
public final class Dl4jImport {

    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};
    private static final String CONFIGURATION = "configuration.json";
    private static final String COEFFICIENTS = "coefficients.bin";

    private Dl4jImport() {
    }

    /**
     * Loads {@code zip} as a float32 classifier (no metadata).
     *
     * @param expectedInputs the input size the caller needs, or 0 to accept any
     * @throws BadDataException when the file is not a DL4J model zip, is corrupt, holds layers the engine
     *                          does not run, or takes another number of inputs
     */
    public static ModelFile.Loaded load(Path zip, int expectedInputs) {
        String source = zip.toString();
        if (!Files.isRegularFile(zip)) {
            throw new BadDataException(source, "no such model file");
        }
        checkMagic(source, zip, ZIP_MAGIC, "not a zip file: a DL4J model is the zip that ModelSerializer.writeModel "
                + "writes");
        boolean graph = isGraph(source, readConfiguration(source, zip));
        Classifier network;
        if (graph) {
            network = Dl4jDenseConversion.fromGraph(source, restore(source, zip, "ComputationGraph",
                    file -> ModelSerializer.restoreComputationGraph(file, false)));
        } else {
            network = Dl4jDenseConversion.fromMultiLayer(source, restore(source, zip, "MultiLayerNetwork",
                    file -> ModelSerializer.restoreMultiLayerNetwork(file, false)));
        }
        checkInputs(source, network, expectedInputs);
        return new ModelFile.Loaded(network, null, zip);
    }

    /** ModelSerializer's restore methods, which throw IOException. */
    private interface Restorer<T> {
        T restore(File zip) throws IOException;
    }

    private static <T> T restore(String source, Path zip, String kind, Restorer<T> restorer) {
        try {
            return restorer.restore(zip.toFile());
        } catch (IOException | RuntimeException e) {
            throw new BadDataException(source, "cannot restore the DL4J " + kind + " (corrupt or truncated?): "
                    + firstLine(e), e);
        }
    }

    private static String readConfiguration(String source, Path zip) {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            ZipEntry config = file.getEntry(CONFIGURATION);
            if (config == null || file.getEntry(COEFFICIENTS) == null) {
                throw new BadDataException(source, "a DL4J model zip holds " + CONFIGURATION + " and " + COEFFICIENTS
                        + "; this zip has neither or only one of them");
            }
            try (InputStream in = file.getInputStream(config)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new BadDataException(source, "corrupt or truncated zip: " + firstLine(e), e);
        }
    }

    /** True for a ComputationGraph configuration (it has "vertices"), false for a MultiLayerNetwork's ("confs"). */
    private static boolean isGraph(String source, String json) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new BadDataException(source, CONFIGURATION + " is not JSON: " + firstLine(e), e);
        }
        if (root != null && root.has("vertices")) {
            return true;
        }
        if (root != null && root.has("confs")) {
            return false;
        }
        throw new BadDataException(source, CONFIGURATION + " describes neither a MultiLayerNetwork (\"confs\") nor a "
                + "ComputationGraph (\"vertices\")");
    }

    /** Throws unless the file starts with {@code magic}. */
    static void checkMagic(String source, Path file, byte[] magic, String problem) {
        byte[] head = new byte[magic.length];
        int read;
        try (InputStream in = Files.newInputStream(file)) {
            read = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new BadDataException(source, "cannot read: " + firstLine(e), e);
        }
        if (read < magic.length || !Arrays.equals(head, magic)) {
            throw new BadDataException(source, problem);
        }
    }

    static void checkInputs(String source, Classifier network, int expectedInputs) {
        if (expectedInputs > 0 && network.inputSize() != expectedInputs) {
            throw new BadDataException(source, "the model takes " + network.inputSize()
                    + " inputs but the data has " + expectedInputs + " features per image");
        }
    }

    /** The first line of an exception's message, or its class name when it has none. */
    static String firstLine(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return message.lines().findFirst().orElse(message);
    }
}
