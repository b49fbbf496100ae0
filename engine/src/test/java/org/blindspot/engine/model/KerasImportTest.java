package org.blindspot.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.blindspot.engine.io.BadDataException;
import org.blindspot.engine.io.Npy;
import org.blindspot.engine.io.NpyArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.blindspot.engine.testing.InputGradientCheck;

/**
 * Keras HDF5 models written by src/scripts/make_keras_fixtures.py (Keras 2 layout, by hand with h5py),
 * with the logits the script computed in NumPy.
 */
class KerasImportTest {

    @TempDir
    Path temp;

    static Path fixture(String name) {
        try {
            return Path.of(KerasImportTest.class.getResource("/keras/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sequential_dense", "functional_dense", "model_dense", "flatten_2d", "flatten_3d",
        "conv2d", "conv_mnistlike", "conv_channels"})
    void logitsEqualNumpys(String name) {
        ModelFile.Loaded loaded = KerasImport.load(fixture(name + ".h5"), 0);
        NpyArray x = Npy.read(fixture(name + "_x.npy"));
        NpyArray expected = Npy.read(fixture(name + "_logits.npy"));
        Classifier network = loaded.classifier();
        assertEquals(name.startsWith("conv"), network instanceof Dl4jClassifier, network.getClass().getName());
        assertEquals(DataType.FLOAT, network.dataType());
        assertEquals(x.shape()[1], network.inputSize());
        INDArray logits = network.logits(Nd4j.create(x.asFloats(), x.shape(), DataType.FLOAT));
        assertArrayEquals(expected.shape(), logits.shape());
        double[] want = expected.asDoubles();
        double[] got = logits.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-4 * (1 + Math.abs(want[i])), name + " logit " + i);
        }
        assertEquals(null, loaded.metadata());
    }

    @Test
    void modelFileLoadsAnH5ByItsExtension() {
        DenseNetwork direct = KerasImport.load(fixture("sequential_dense.h5"), 12).network();
        DenseNetwork viaModelFile = ModelFile.load(fixture("sequential_dense.h5"), Activation.SIGMOID, 12).network();
        org.nd4j.linalg.api.ndarray.INDArray x = org.nd4j.linalg.factory.Nd4j.rand(
                org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 12);
        assertEquals(direct.logits(x), viaModelFile.logits(x));
    }

    @Test
    void sequentialLayersKeepTheirActivations() {
        DenseNetwork network = KerasImport.load(fixture("sequential_dense.h5"), 12).network();
        List<Activation> activations = network.layers().stream().map(DenseLayer::activation).toList();
        // Dense relu, Dense linear + Activation tanh (folded), Dense sigmoid, Dense softmax (dropped).
        assertEquals(List.of(Activation.RELU, Activation.TANH, Activation.SIGMOID, Activation.IDENTITY), activations);
        assertArrayEquals(new int[] {8, 6, 5}, network.hiddenSizes());
        assertEquals(3, network.numClasses());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sequential_dense", "functional_dense", "flatten_3d", "conv_mnistlike", "conv_channels"})
    void inputGradientMatchesFiniteDifferences(String name) {
        InputGradientCheck.assertMatchesFiniteDifferences(KerasImport.load(fixture(name + ".h5"), 0).classifier(), 3,
                5, name);
    }

    @Test
    void convolutionalModelTakesTheFlattenedChannelsLastImage() {
        Dl4jClassifier classifier = (Dl4jClassifier) KerasImport.load(fixture("conv_mnistlike.h5"), 64).classifier();
        assertArrayEquals(new long[] {8, 8, 1}, classifier.exampleShape());
        assertEquals(4, classifier.numClasses());
        String message = assertThrows(BadDataException.class,
                () -> ModelFile.load(fixture("conv_mnistlike.h5"), Activation.SIGMOID, 64).network("units"))
                .getMessage();
        assertTrue(message.contains("convolutional model: units needs a fully connected one"), message);
    }

    @Test
    void mergeIsRefusedByName() {
        BadDataException e = assertThrows(BadDataException.class, () -> KerasImport.load(fixture("merge.h5"), 0));
        assertTrue(e.getMessage().startsWith(fixture("merge.h5").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("'add'") && e.getMessage().contains("dense networks"), e.getMessage());
    }

    @Test
    void inputSizeMismatchIsRefused() {
        BadDataException e = assertThrows(BadDataException.class,
                () -> KerasImport.load(fixture("sequential_dense.h5"), 784));
        assertTrue(e.getMessage().contains("takes 12 inputs but the data has 784"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 2048, 6000, 12000})
    void truncatedFileIsRefused(int length) throws IOException {
        byte[] whole = Files.readAllBytes(fixture("sequential_dense.h5"));
        Path cut = temp.resolve("cut.h5");
        Files.write(cut, Arrays.copyOf(whole, length));
        BadDataException e = assertThrows(BadDataException.class, () -> KerasImport.load(cut, 0));
        assertTrue(e.getMessage().startsWith(cut.toString()), e.getMessage());
    }

    @Test
    void notHdf5IsRefused() throws IOException {
        Path text = temp.resolve("model.h5");
        Files.writeString(text, "W1,b1\n1,2\n", StandardCharsets.US_ASCII);
        BadDataException e = assertThrows(BadDataException.class, () -> KerasImport.load(text, 0));
        assertTrue(e.getMessage().contains("not an HDF5 file"), e.getMessage());
    }

    @Test
    void keras3ArchiveIsRefusedWithAHint() throws IOException {
        Path keras = temp.resolve("model.keras");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(keras))) {
            out.putNextEntry(new ZipEntry("config.json"));
            out.write("{}".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        BadDataException e = assertThrows(BadDataException.class, () -> KerasImport.load(keras, 0));
        assertTrue(e.getMessage().contains("Keras 3") && e.getMessage().contains("model.save(\"model.h5\")"),
                e.getMessage());
    }

    @Test
    void missingFileIsRefused() {
        Path missing = temp.resolve("absent.h5");
        BadDataException e = assertThrows(BadDataException.class, () -> KerasImport.load(missing, 0));
        assertTrue(e.getMessage().contains("no such model file"), e.getMessage());
    }
}
