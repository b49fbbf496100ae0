package org.blindspot.engine.model.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.blindspot.engine.io.BadDataException;
import org.blindspot.engine.io.Npy;
import org.blindspot.engine.io.NpyArray;
import org.blindspot.engine.model.Activation;
import org.blindspot.engine.model.DenseLayer;
import org.blindspot.engine.model.DenseNetwork;
import org.blindspot.engine.model.ModelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.blindspot.engine.testing.InputGradientCheck;

/**
 * ONNX import against the models and logits that src/scripts/make_onnx_fixtures.py wrote with
 * torch 1.13 and onnx 1.12 (engine/src/test/resources/onnx), and its errors.
 */
class OnnxImportTest {

    private static final String[] IMPORTABLE = {"relu_gemm", "sigmoid_opset11", "sigmoid_opset17", "tanh_softmax",
        "matmul_add", "flatten", "handmade"};

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"relu_gemm", "sigmoid_opset11", "sigmoid_opset17", "tanh_softmax", "matmul_add",
        "flatten", "handmade"})
    void logitsEqualTorchs(String name) {
        DenseNetwork net = OnnxImport.read(fixture(name + ".onnx")).network();
        INDArray x = input(name, DataType.FLOAT);
        NpyArray expected = Npy.read(fixture(name + ".logits.npy"));
        INDArray logits = net.logits(x);
        assertArrayEquals(expected.shape(), logits.shape(), name);
        float[] want = expected.asFloats();
        float[] got = logits.dup('c').data().asFloat();
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-5, name + " logit " + i);
        }
    }

    @Test
    void layersKeepTheGraphsActivations() {
        assertEquals(List.of(Activation.RELU, Activation.TANH, Activation.IDENTITY),
                activations(OnnxImport.read(fixture("matmul_add.onnx")).network()));
        assertEquals(List.of(Activation.SIGMOID, Activation.SIGMOID, Activation.IDENTITY),
                activations(OnnxImport.read(fixture("sigmoid_opset11.onnx")).network()));
        DenseNetwork flatten = OnnxImport.read(fixture("flatten.onnx")).network();
        assertEquals(12, flatten.inputSize());
        assertEquals(5, flatten.numClasses());
    }

    @Test
    void aFinalSoftmaxIsRemovedWithANote() {
        OnnxImport.Imported softmax = OnnxImport.read(fixture("tanh_softmax.onnx"));
        assertEquals(1, softmax.notes().size());
        assertTrue(softmax.notes().get(0).contains("Softmax"), softmax.notes().get(0));
        OnnxImport.Imported logSoftmax = OnnxImport.read(fixture("matmul_add.onnx"));
        assertTrue(logSoftmax.notes().get(0).contains("LogSoftmax"), logSoftmax.notes().get(0));
        assertEquals(List.of(), OnnxImport.read(fixture("relu_gemm.onnx")).notes());
    }

    /** d loss / d x against central differences in float64, for every import path (Gemm, MatMul + Add, ...). */
    @ParameterizedTest
    @ValueSource(strings = {"relu_gemm", "sigmoid_opset11", "sigmoid_opset17", "tanh_softmax", "matmul_add",
        "flatten", "handmade"})
    void inputGradientMatchesFiniteDifferences(String name) {
        DenseNetwork net = OnnxImport.read(fixture(name + ".onnx")).network().castTo(DataType.DOUBLE);
        INDArray x = input(name, DataType.DOUBLE);
        int[] targets = new int[(int) x.rows()];
        for (int b = 0; b < targets.length; b++) {
            targets[b] = (b * 3 + 1) % net.numClasses();
        }
        InputGradientCheck.assertMatchesFiniteDifferences(net, x, targets, name);
    }

    @Test
    void aConvModelIsRefusedNamingConv() {
        BadDataException e = assertThrows(BadDataException.class, () -> OnnxImport.read(fixture("conv.onnx")));
        assertTrue(e.getMessage().contains("Conv"), e.getMessage());
        assertTrue(e.getMessage().contains("dense (fully connected)"), e.getMessage());
        assertTrue(e.getMessage().startsWith(fixture("conv.onnx").toString()), e.getMessage());
    }

    @Test
    void everyTruncationIsABadDataException() throws IOException {
        byte[] bytes = Files.readAllBytes(fixture("sigmoid_opset11.onnx"));
        for (int length = 0; length < bytes.length; length++) {
            byte[] cut = Arrays.copyOf(bytes, length);
            assertThrows(BadDataException.class, () -> OnnxImport.fromBytes("cut.onnx", cut), "length " + length);
        }
    }

    @Test
    void randomBytesAndFlippedBytesAreBadDataExceptions() throws IOException {
        Random random = new Random(5);
        for (int trial = 0; trial < 200; trial++) {
            byte[] noise = new byte[1 + random.nextInt(2000)];
            random.nextBytes(noise);
            assertThrows(BadDataException.class, () -> OnnxImport.fromBytes("noise.onnx", noise), "trial " + trial);
        }
        byte[] model = Files.readAllBytes(fixture("matmul_add.onnx"));
        for (int trial = 0; trial < 300; trial++) {
            byte[] corrupt = model.clone();
            corrupt[random.nextInt(corrupt.length)] = (byte) random.nextInt(256);
            try {
                OnnxImport.fromBytes("flipped.onnx", corrupt);
            } catch (BadDataException expected) {
                // a corrupt file may still decode to a valid model (a changed weight); it must never throw anything else
            }
        }
    }

    @Test
    void aWrongInputSizeIsRefusedByModelFile() throws IOException {
        Path onnx = copy("relu_gemm.onnx");
        BadDataException e = assertThrows(BadDataException.class, () -> ModelFile.load(onnx, Activation.SIGMOID, 784));
        assertTrue(e.getMessage().contains("takes 12 inputs but the data has 784"), e.getMessage());
        assertEquals(12, ModelFile.load(onnx, Activation.SIGMOID, 12).network().inputSize());
    }

    @Test
    void modelFileLoadsOnnxByItsExtension() throws IOException {
        Path onnx = copy("tanh_softmax.onnx");
        ModelFile.Loaded loaded = ModelFile.load(onnx, Activation.RELU, 0);
        assertEquals(null, loaded.metadata());
        assertEquals(onnx, loaded.source());
        assertEquals(Activation.TANH, loaded.network().layers().get(0).activation(), "the graph's, not the caller's");
        assertEquals(1, loaded.notes().size());
        Path upper = Files.copy(onnx, dir.resolve("MODEL.ONNX"));
        assertEquals(8, ModelFile.load(upper, Activation.RELU, 12).network().hiddenSizes()[0]);
    }

    @Test
    void aTruncatedFileOnDiskIsABadDataException() throws IOException {
        byte[] bytes = Files.readAllBytes(fixture("relu_gemm.onnx"));
        Path cut = dir.resolve("cut.onnx");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        BadDataException e = assertThrows(BadDataException.class, () -> ModelFile.load(cut, Activation.RELU, 0));
        assertTrue(e.getMessage().startsWith(cut.toString() + ": "), e.getMessage());
    }

    private Path copy(String name) throws IOException {
        return Files.copy(fixture(name), dir.resolve(name));
    }

    private static List<Activation> activations(DenseNetwork net) {
        return net.layers().stream().map(DenseLayer::activation).toList();
    }

    /** The fixture's input batch flattened to [B, features]. */
    private static INDArray input(String name, DataType type) {
        NpyArray x = Npy.read(fixture(name + ".input.npy"));
        long batch = x.shape()[0];
        return Nd4j.create(x.asDoubles(), new long[] {batch, x.size() / batch}, DataType.DOUBLE).castTo(type);
    }

    static Path fixture(String name) {
        try {
            return Path.of(OnnxImportTest.class.getResource("/onnx/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource onnx/" + name
                    + "; run /usr/bin/python3 src/scripts/make_onnx_fixtures.py", e);
        }
    }
}
