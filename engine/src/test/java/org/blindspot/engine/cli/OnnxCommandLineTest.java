package org.blindspot.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import org.blindspot.engine.model.ModelFile;
import org.blindspot.engine.testing.TestData;
import org.junit.jupiter.api.Test;

/**
 * ONNX models through the command line: the demo model examples/models/mnist-fc100-sigmoid.onnx
 * (src/scripts/train_torch_mnist.py; torch measured 3.36% train and 3.93% test error) and the
 * test fixtures of engine/src/test/resources/onnx.
 */
class OnnxCommandLineTest {

    @Test
    void evalOfTheDemoModelGivesTorchsErrors() {
        Path model = Path.of(System.getProperty("blindspot.root"), "examples", "models", "mnist-fc100-sigmoid.onnx");
        Captured result = Captured.of(() -> Main.run(new String[] {"eval", "--model", model.toString(), "--data",
            TestData.mnist().toString()}));
        assertEquals(0, result.code(), result.err());
        assertTrue(result.out().contains("model       mnist-fc100-sigmoid.onnx"), result.out());
        assertTrue(result.out().contains("train error 3.36%"), result.out());
        assertTrue(result.out().contains("test error  3.93%"), result.out());
    }

    @Test
    void anUnsupportedOperatorFailsWithOneLineNamingIt() {
        Captured result = Captured.of(() -> Main.run(new String[] {"eval", "--model", fixture("avgpool.onnx").toString(), "--data",
            TestData.mnist().toString()}));
        assertEquals(Main.FAILED, result.code());
        assertTrue(result.err().startsWith("error: " + fixture("avgpool.onnx") + ": unsupported operator Pad"), result.err());
        assertFalse(result.err().contains("\tat "), result.err());
    }

    @Test
    void modelOptionsPrintTheRemovedSoftmaxOnStandardError() {
        ModelOptions options = new ModelOptions();
        options.model = fixture("tanh_softmax.onnx");
        options.activation = "sigmoid";
        ModelFile.Loaded[] loaded = new ModelFile.Loaded[1];
        Captured result = Captured.of(() -> {
            loaded[0] = options.load(12);
            return 0;
        });
        assertEquals(12, loaded[0].network().inputSize());
        assertEquals("tanh_softmax.onnx", ModelOptions.name(loaded[0]));
        assertTrue(result.err().startsWith("note: tanh_softmax.onnx: the final Softmax"), result.err());
    }

    private static Path fixture(String name) {
        try {
            return Path.of(OnnxCommandLineTest.class.getResource("/onnx/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
