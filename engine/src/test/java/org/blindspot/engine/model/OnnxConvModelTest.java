package org.blindspot.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import org.blindspot.engine.io.Npy;
import org.blindspot.engine.io.NpyArray;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.blindspot.engine.testing.InputGradientCheck;

/** Convolutional ONNX files through {@link ModelFile#load}: a DL4J-backed classifier with torch's logits. */
class OnnxConvModelTest {

    @ParameterizedTest
    @ValueSource(strings = {"conv", "conv_pool", "conv_stride"})
    void loadsAsAClassifierWithTorchsLogitsAndExactGradients(String name) throws Exception {
        ModelFile.Loaded loaded = ModelFile.load(fixture(name + ".onnx"), Activation.SIGMOID, 0);
        assertTrue(loaded.classifier() instanceof Dl4jClassifier, loaded.classifier().getClass().toString());
        NpyArray input = Npy.read(fixture(name + ".input.npy"));
        long[] shape = input.shape();
        INDArray x = Nd4j.create(input.asFloats(), new long[] {shape[0], shape[1] * shape[2] * shape[3]}, 'c');
        float[] logits = loaded.classifier().logits(x).castTo(DataType.FLOAT).data().asFloat();
        float[] expected = Npy.read(fixture(name + ".logits.npy")).asFloats();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], logits[i], 1e-5 * Math.max(1, Math.abs(expected[i])), name + " logit " + i);
        }
        InputGradientCheck.assertMatchesFiniteDifferences(loaded.classifier(), 3, 5, name);
    }

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(OnnxConvModelTest.class.getResource("/onnx/" + name).toURI());
    }
}
