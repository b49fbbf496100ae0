package org.blindspot.engine.model.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.blindspot.engine.io.BadDataException;
import org.blindspot.engine.io.Npy;
import org.blindspot.engine.io.NpyArray;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Convolutional ONNX models exported by torch (src/scripts/make_onnx_fixtures.py) into DL4J networks. */
class OnnxConvImportTest {

    @ParameterizedTest
    @ValueSource(strings = {"conv", "conv_pool", "conv_stride"})
    void logitsAreTorchs(String name) throws Exception {
        byte[] bytes = Files.readAllBytes(fixture(name + ".onnx"));
        assertTrue(OnnxConvImport.isConvolutional(name, bytes));
        OnnxConvImport.Imported imported = OnnxConvImport.fromBytes(name, bytes);
        NpyArray input = Npy.read(fixture(name + ".input.npy"));
        long[] shape = input.shape();
        assertEquals(shape[1], imported.channels());
        assertEquals(shape[2], imported.height());
        assertEquals(shape[3], imported.width());
        INDArray x = Nd4j.create(input.asFloats(), new long[] {shape[0], shape[1] * shape[2] * shape[3]}, 'c');
        float[] expected = Npy.read(fixture(name + ".logits.npy")).asFloats();
        float[] logits = preSoftmax(imported.network(), x).castTo(DataType.FLOAT).data().asFloat();
        assertEquals(expected.length, logits.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], logits[i], 1e-5 * Math.max(1, Math.abs(expected[i])), name + " logit " + i);
        }
        assertEquals(name.equals("conv_pool"), !imported.notes().isEmpty(), "a note for the left-out Softmax");
    }

    @Test
    void denseModelsAreNotForThisImporter() throws Exception {
        assertFalse(OnnxConvImport.isConvolutional("relu_gemm", Files.readAllBytes(fixture("relu_gemm.onnx"))));
    }

    @Test
    void anUnsupportedOperatorIsNamed() throws Exception {
        byte[] bytes = Files.readAllBytes(fixture("avgpool.onnx"));
        BadDataException e = assertThrows(BadDataException.class, () -> OnnxConvImport.fromBytes("avgpool", bytes));
        assertTrue(e.getMessage().contains("unsupported operator"), e.getMessage());
    }

    /** The output layer's input (flattened as its preprocessor does) times its W plus b: the logits. */
    static INDArray preSoftmax(MultiLayerNetwork net, INDArray x) {
        List<INDArray> activations = net.feedForward(x, false);
        INDArray hidden = activations.get(activations.size() - 2);
        if (hidden.rank() > 2) {
            hidden = hidden.reshape('c', hidden.size(0), hidden.length() / hidden.size(0));
        }
        org.deeplearning4j.nn.api.Layer output = net.getLayer(net.getnLayers() - 1);
        return hidden.mmul(output.getParam("W")).addiRowVector(output.getParam("b"));
    }

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(OnnxConvImportTest.class.getResource("/onnx/" + name).toURI());
    }
}
