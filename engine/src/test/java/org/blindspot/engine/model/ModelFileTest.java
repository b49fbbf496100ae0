package org.blindspot.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.blindspot.engine.io.BadDataException;
import org.blindspot.engine.io.NpyArray;
import org.blindspot.engine.io.Npz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ModelFileTest {

    @TempDir
    Path dir;

    @Test
    void saveThenLoadGivesTheSameNetworkAndMetadata() {
        DenseNetwork net = ModelFactory.initialise(ModelSpec.named("ae400-10", Activation.SIGMOID), 784, 10, 5,
                DataType.FLOAT);
        ModelMetadata metadata = metadata(ModelSpec.named("ae400-10", Activation.SIGMOID));
        ModelFile.save(dir.resolve("m"), net, metadata);

        ModelFile.Loaded loaded = ModelFile.load(dir.resolve("m"), Activation.RELU, 784);
        assertEquals("ae400-10", loaded.metadata().name());
        assertEquals(0.02, loaded.metadata().testError());
        assertArrayEquals(new int[] {400}, loaded.network().hiddenSizes());
        assertFalse(loaded.network().layers().get(0).trainable(), "the autoencoder layer stays frozen");
        assertEquals(1e-6, loaded.network().layers().get(1).weightDecay());
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 784);
        assertTrue(net.logits(x).equalsWithEps(loaded.network().logits(x), 0));
    }

    @Test
    void aBareNpzLoadsWithTheGivenActivation() {
        DenseNetwork net = ModelFactory.initialise(ModelSpec.named("fc20-10", Activation.TANH), 784, 10, 5,
                DataType.FLOAT);
        Path npz = dir.resolve("net.npz");
        Npz.write(npz, ModelFile.toArrays(net));
        DenseNetwork loaded = ModelFile.load(npz, Activation.TANH, 0).network();
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 784);
        assertTrue(net.logits(x).equalsWithEps(loaded.logits(x), 0));
        assertEquals(Activation.TANH, loaded.layers().get(0).activation());
    }

    @Test
    void aFolderWithoutAModelIsRejected() throws IOException {
        Files.createDirectories(dir.resolve("empty"));
        BadDataException e = assertThrows(BadDataException.class,
                () -> ModelFile.load(dir.resolve("empty"), Activation.SIGMOID, 784));
        assertTrue(e.getMessage().contains("not a model folder"), e.getMessage());
        assertThrows(BadDataException.class, () -> ModelFile.load(dir.resolve("nothing"), Activation.SIGMOID, 784));
    }

    @Test
    void aFileThatIsNotAModelIsRejected() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.npz"), "hello");
        assertThrows(BadDataException.class, () -> ModelFile.load(text, Activation.SIGMOID, 784));

        DenseNetwork net = ModelFactory.initialise(ModelSpec.named("fc10-1", Activation.SIGMOID), 784, 10, 5,
                DataType.FLOAT);
        ModelFile.save(dir.resolve("m"), net, metadata(ModelSpec.named("fc10-1", Activation.SIGMOID)));
        Files.writeString(dir.resolve("m").resolve(ModelFile.METADATA), "{\"format\": \"something-else\"}");
        BadDataException e = assertThrows(BadDataException.class,
                () -> ModelFile.load(dir.resolve("m"), Activation.SIGMOID, 784));
        assertTrue(e.getMessage().contains("something-else"), e.getMessage());
    }

    @Test
    void aModelOfAnotherInputSizeIsRejected() {
        DenseNetwork net = ModelFactory.initialise(ModelSpec.named("fc10-1", Activation.SIGMOID), 100, 10, 5,
                DataType.FLOAT);
        Path npz = dir.resolve("small.npz");
        Npz.write(npz, ModelFile.toArrays(net));
        BadDataException e = assertThrows(BadDataException.class, () -> ModelFile.load(npz, Activation.SIGMOID, 784));
        assertTrue(e.getMessage().contains("100 inputs"), e.getMessage());
    }

    @Test
    void misnamedMisshapedAndNonFiniteArraysAreNamedInTheError() {
        Random random = new Random(1);
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        arrays.put("W1", floats(random, 784, 20));
        arrays.put("b1", floats(random, 20));
        arrays.put("W2", floats(random, 20, 10));
        arrays.put("b2", floats(random, 10));
        assertEquals(10, ModelFile.fromArrays("ok.npz", arrays, Activation.RELU, null, false).numClasses());

        Map<String, NpyArray> misnamed = new LinkedHashMap<>(arrays);
        misnamed.put("weights3", floats(random, 10, 10));
        assertMessage(misnamed, "weights3");

        Map<String, NpyArray> missingBias = new LinkedHashMap<>(arrays);
        missingBias.remove("b2");
        assertMessage(missingBias, "b2");

        Map<String, NpyArray> badChain = new LinkedHashMap<>(arrays);
        badChain.put("W2", floats(random, 21, 10));
        assertMessage(badChain, "W2");

        Map<String, NpyArray> badBias = new LinkedHashMap<>(arrays);
        badBias.put("b1", floats(random, 19));
        assertMessage(badBias, "b1");

        Map<String, NpyArray> nonFinite = new LinkedHashMap<>(arrays);
        float[] values = floats(random, 20, 10).asFloats();
        values[7] = Float.NaN;
        nonFinite.put("W2", NpyArray.ofFloats(values, 20, 10));
        assertMessage(nonFinite, "non-finite");

        assertMessage(Map.of("x", floats(random, 3)), "W1");
    }

    private static void assertMessage(Map<String, NpyArray> arrays, String fragment) {
        BadDataException e = assertThrows(BadDataException.class,
                () -> ModelFile.fromArrays("model.npz", arrays, Activation.SIGMOID, null, false));
        assertTrue(e.getMessage().contains(fragment) && e.getMessage().contains("model.npz"), e.getMessage());
    }

    private static NpyArray floats(Random random, long... shape) {
        int size = 1;
        for (long s : shape) {
            size *= (int) s;
        }
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return NpyArray.ofFloats(values, shape);
    }

    static ModelMetadata metadata(ModelSpec spec) {
        return new ModelMetadata(ModelMetadata.FORMAT, spec.name(), spec.hidden(), spec.activation().id(),
                spec.weightDecay(), spec.autoencoder(), 784, 10, "train", 60000, 1L, Map.of("method", "adam"),
                0.01, 0.02, "CPU", "test", "2026-01-01T00:00:00Z");
    }
}
