package org.blindspot.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.blindspot.engine.run.Json;
import org.blindspot.engine.testing.TestData;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** The command line on a convolutional DL4J model zip (28 x 28 x 1, random weights). */
class ConvCommandLineTest {

    @TempDir
    Path dir;

    private Path conv;

    /** 28x28x1 flat -> Conv 5x5 stride 3, 2 relu -> max pool 2x2 -> 10 softmax. */
    @BeforeEach
    void saveConvNet() throws Exception {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(6)
                .dataType(DataType.FLOAT).list()
                .layer(new ConvolutionLayer.Builder(5, 5).stride(3, 3).nOut(2).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1))
                .build());
        net.init();
        conv = dir.resolve("conv.zip");
        try (OutputStream out = Files.newOutputStream(conv)) {
            ModelSerializer.writeModel(net, out, false);
        }
    }

    @Test
    void evalAndAttackRunOnAConvolutionalModel() throws Exception {
        String data = TestData.mnist().toString();
        Captured eval = run("eval", "--model", conv.toString(), "--data", data);
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.out().contains("test error") && eval.out().contains("conv.zip"), eval.out());

        Path out = dir.resolve("attack");
        Captured attack = run("attack", "--model", conv.toString(), "--data", data, "--first", "3", "--out",
                out.toString(), "--batch", "4", "--search-steps", "3", "--max-iterations", "30");
        assertEquals(0, attack.code(), attack.err());
        JsonNode summary = Json.LINES.readTree(out.resolve("summary.json").toFile());
        assertEquals(3, summary.get("examples").asInt());
    }

    @Test
    void spectralBoundsAConvolutionalModelAndUnitsRefusesIt() {
        Captured spectral = run("spectral", "--model", conv.toString());
        assertEquals(0, spectral.code(), spectral.err());
        assertTrue(spectral.out().contains("| 1 | conv "), spectral.out());
        assertTrue(spectral.out().contains("network bound (product)"), spectral.out());
        Captured units = run("units", "--model", conv.toString(), "--data", TestData.mnist().toString(), "--out",
                conv.resolveSibling("units").toString());
        assertEquals(Main.FAILED, units.code());
        assertTrue(units.err().contains("convolutional model: units needs a fully connected one"), units.err());
        assertFalse(units.err().contains("\tat "), units.err());
    }

    private static Captured run(String... args) {
        return Captured.command(args);
    }
}
